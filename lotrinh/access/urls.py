"""Account pages that replace Django's own, under /accounts/ (the rest come from django.contrib.auth)."""

from django.urls import URLPattern, path

from lotrinh.access import views

urlpatterns: list[URLPattern] = [
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
