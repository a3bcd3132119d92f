from django.urls import path

from lotrinh.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.unit_index, name="unit-index"),
    path("<str:structure>/<str:code>/", views.unit_detail, name="unit-detail"),
]
