from django.urls import path

from lotrinh.opendata import views

app_name = "opendata"
urlpatterns = [
    path("dataset/", views.catalogue, name="catalogue"),
    path("dataset/api/", views.api_guide, name="api-guide"),
    path("dataset/<slug:name>/", views.dataset_detail, name="dataset-detail"),
    path(
        "dataset/<slug:name>/download/<str:fmt>",
        views.download,
        name="download",
    ),
]
