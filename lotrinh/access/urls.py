"""Account pages that replace Django's own, under /accounts/ (the rest come from django.contrib.auth)."""

from django.urls import URLPattern, path

from lotrinh.access import oidc, views

urlpatterns: list[URLPattern] = [
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("sso/refused/", oidc.refused, name="sso-refused"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/reset/", views.two_factor_reset, name="two-factor-reset"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
]
