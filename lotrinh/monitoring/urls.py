from django.urls import path

from lotrinh.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("programmes/<slug:code>/form-change/", views.form_change, name="form-change"),
    path("programmes/<slug:code>/plan/<slug:indicator>/", views.source_edit, name="source-edit"),
    path(
        "programmes/<slug:code>/published-figures/import/",
        views.figure_import,
        name="figure-import",
    ),
    path(
        "programmes/<slug:code>/published/<slug:indicator>/",
        views.figure_create,
        name="figure-create",
    ),
]
