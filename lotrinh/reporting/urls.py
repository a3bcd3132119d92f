"""Reporting pages (filled in by the reporting UI work)."""

from django.urls import URLPattern

app_name = "reporting"
urlpatterns: list[URLPattern] = []
