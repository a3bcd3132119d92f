"""Top-level URL map: the site pages, the admin and the HTTP API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from lotrinh.access.oidc import CallbackView, StartView, backchannel_logout
from lotrinh.api.api import api
from lotrinh.opendata import catalog_views, ckan_views

admin.site.site_header = _("Lộ Trình administration")
admin.site.site_title = _("Lộ Trình administration")

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Any other address under /api/ gets the API's JSON 404 (lotrinh.api.middleware).
    path("api/v1/", api.urls),
    # The provider sends the browser back to a fixed address, registered there, in any language.
    path("oidc/authenticate/", StartView.as_view(), name="oidc-start"),
    path("oidc/callback/", CallbackView.as_view(), name="oidc-callback"),
    # The provider posts logout tokens here from its server (Back-Channel Logout 1.0).
    path("oidc/backchannel-logout/", backchannel_logout, name="oidc-backchannel-logout"),
    # JSON for auditors and scripts: one address in every language.
    path("ledger/", include("lotrinh.ledger.urls")),
    # The CKAN Action API, at both of CKAN's addresses, without a trailing slash.
    path("api/3/action/<str:name>", ckan_views.action, name="ckan-action"),
    path("api/action/<str:name>", ckan_views.action, name="ckan-action-unversioned"),
    path("api/3", ckan_views.api_version, {"version": "3"}, name="ckan-version"),
    path("datastore/dump/<str:resource_id>", ckan_views.datastore_dump, name="datastore-dump"),
    # DCAT and Project Open Data catalogues, at ckanext-dcat's addresses.
    re_path(
        r"^catalog\.(?P<extension>ttl|jsonld|xml|rdf)$",
        catalog_views.catalogue,
        name="dcat-catalogue",
    ),
    re_path(
        r"^dataset/(?P<name>[-a-zA-Z0-9_]+)\.(?P<extension>ttl|jsonld|xml|rdf)$",
        catalog_views.dataset,
        name="dcat-dataset",
    ),
    path("data.json", catalog_views.data_json, name="pod-catalogue"),
    # The SDMX structure, at the address the SDMX REST API gives it.
    path(
        "sdmx/datastructure/LOTRINH/DSD_INDICATORS/1.0",
        catalog_views.sdmx_structure,
        name="sdmx-structure",
    ),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("units/", include("lotrinh.orgunits.urls")),
    path("reports/", include("lotrinh.reporting.urls")),
    path("import/", include("lotrinh.reporting.importing.urls")),
    path("accounts/", include("lotrinh.access.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("extract/", include("lotrinh.extraction.urls")),
    path("downloads/", include("lotrinh.core.urls")),
    path("", include("lotrinh.opendata.urls")),
    path("tasks/", include("lotrinh.workplan.urls")),
    path("", include("lotrinh.reviews.urls")),
    path("", include("lotrinh.monitoring.urls")),
    path("", include("lotrinh.indicators.urls")),
    path("", include("lotrinh.dashboards.urls")),
    prefix_default_language=False,
)
