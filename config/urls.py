"""Top-level URL map: the site pages, the admin and the HTTP API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from lotrinh.api.api import api, unknown_path

admin.site.site_header = _("Lộ Trình administration")
admin.site.site_title = _("Lộ Trình administration")

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Every other address under /api/v1/, its bare root included, gets the API's JSON 404.
    path("api/v1/", unknown_path),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", unknown_path),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("units/", include("lotrinh.orgunits.urls")),
    path("reports/", include("lotrinh.reporting.urls")),
    path("import/", include("lotrinh.reporting.importing.urls")),
    path("accounts/", include("lotrinh.access.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("extract/", include("lotrinh.extraction.urls")),
    path("", include("lotrinh.monitoring.urls")),
    path("", include("lotrinh.indicators.urls")),
    path("", include("lotrinh.dashboards.urls")),
    prefix_default_language=False,
)
