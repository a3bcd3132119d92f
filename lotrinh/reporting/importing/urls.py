"""Import pages: /import/ (forms), /import/periods (a regime's periods), /import/template
(download), /import/upload (dry run), /import/apply."""

from django.urls import URLPattern, path

from lotrinh.reporting.importing import views

app_name = "importing"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="import-index"),
    path("periods/", views.period_options, name="period-options"),
    path("template/", views.download_template, name="template-download"),
    path("upload/", views.upload, name="upload-dry-run"),
    path("apply/", views.apply, name="upload-apply"),
]
