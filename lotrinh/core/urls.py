from django.urls import path

from lotrinh.core import views

app_name = "core"
urlpatterns = [
    path("<int:prepared_id>/", views.prepared_file, name="prepared-file"),
    path("<int:prepared_id>/file", views.prepared_file_download, name="prepared-file-download"),
]
