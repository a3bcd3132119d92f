"""Reporting pages, under /reports/."""

from django.urls import URLPattern, path

from lotrinh.reporting import views

app_name = "reporting"
_REPORT = "<slug:regime_code>/<str:period_code>/<slug:structure>/<str:unit_code>/"
urlpatterns: list[URLPattern] = [
    path("", views.my_reports, name="my-reports"),
    path("approvals/", views.approvals, name="approvals"),
    path(
        "completeness/<slug:regime_code>/<str:period_code>/",
        views.completeness_page,
        name="completeness",
    ),
    path("regimes/", views.regime_index, name="regime-index"),
    path("regimes/<slug:code>/", views.regime_detail, name="regime-detail"),
    path(_REPORT, views.report_form, name="report-form"),
    path(_REPORT + "decide/", views.report_decide, name="report-decide"),
    path(_REPORT + "history/<slug:element_code>/", views.field_history, name="field-history"),
]
