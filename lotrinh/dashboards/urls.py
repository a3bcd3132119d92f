from django.urls import path

from lotrinh.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:code>/progress/", views.programme_progress, name="programme-progress"),
    path("programmes/<slug:code>/coverage/", views.programme_coverage, name="programme-coverage"),
    path("units/<str:structure>/<str:code>/overview/", views.unit_overview, name="unit-overview"),
    path("indicators/<slug:code>/map/", views.indicator_map, name="indicator-map"),
    path("behind/", views.behind, name="behind"),
    path("boundaries/<str:structure>.geojson", views.boundaries, name="boundaries"),
]
