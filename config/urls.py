"""Top-level URL map: the site pages, the admin and the HTTP API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from lotrinh.access.oidc import CallbackView, StartView
from lotrinh.api.api import api

admin.site.site_header = _("Lộ Trình administration")
admin.site.site_title = _("Lộ Trình administration")

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Any other address under /api/ gets the API's JSON 404 (lotrinh.api.middleware).
    path("api/v1/", api.urls),
    # The provider sends the browser back to a fixed address, registered there, in any language.
    path("oidc/authenticate/", StartView.as_view(), name="oidc-start"),
    path("oidc/callback/", CallbackView.as_view(), name="oidc-callback"),
    # JSON for auditors and scripts: one address in every language.
    path("ledger/", include("lotrinh.ledger.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("units/", include("lotrinh.orgunits.urls")),
    path("reports/", include("lotrinh.reporting.urls")),
    path("import/", include("lotrinh.reporting.importing.urls")),
    path("accounts/", include("lotrinh.access.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("extract/", include("lotrinh.extraction.urls")),
    path("", include("lotrinh.indicators.urls")),
    path("", include("lotrinh.dashboards.urls")),
    prefix_default_language=False,
)
