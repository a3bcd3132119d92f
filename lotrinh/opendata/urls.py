from django.urls import path

from lotrinh.opendata import exchange_views, views

app_name = "opendata"
urlpatterns = [
    path("import/exchange/", exchange_views.exchange_import, name="exchange-import"),
    path("dataset/", views.catalogue, name="catalogue"),
    path("dataset/api/", views.api_guide, name="api-guide"),
    path("dataset/<slug:name>/", views.dataset_detail, name="dataset-detail"),
    path(
        "dataset/<slug:name>/download/<str:fmt>",
        views.download,
        name="download",
    ),
]
