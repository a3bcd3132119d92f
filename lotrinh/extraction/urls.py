"""Addresses of the extraction pages, mounted under /extract/."""

from django.urls import path

from lotrinh.extraction import views

app_name = "extraction"
urlpatterns = [
    path("", views.document_upload, name="document-upload"),
    path("save/", views.targets_save, name="targets-save"),
    path("read/<int:prepared_id>/", views.prepared_review, name="prepared-review"),
]
