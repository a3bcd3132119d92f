"""Import pages (filled in by the import work)."""

from django.urls import URLPattern

app_name = "importing"
urlpatterns: list[URLPattern] = []
