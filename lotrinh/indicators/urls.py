from django.urls import path

from lotrinh.indicators import views

app_name = "indicators"
urlpatterns = [
    path("programmes/", views.programme_index, name="programme-index"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme-detail"),
    path("indicators/", views.indicator_index, name="indicator-index"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator-detail"),
]
