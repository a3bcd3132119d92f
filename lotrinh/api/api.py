"""The API object: routers, error handlers and the OpenAPI description."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from lotrinh import __version__
from lotrinh.api.errors import UNAUTHORIZED, error_payload, in_both_languages
from lotrinh.api.routers.assessment import router as assessment_router
from lotrinh.api.routers.indicators import router as indicators_router
from lotrinh.api.routers.programmes import router as programmes_router
from lotrinh.api.routers.reporting import router as reporting_router
from lotrinh.api.routers.units import router as units_router
from lotrinh.core.errors import UserFacingError

api = NinjaAPI(
    title="Lộ Trình API",
    version=__version__,
    description=(
        "Read access to Vietnam's administrative units (both structures and the 2025 crosswalk), "
        "digital-transformation programmes, their targets and the shared indicator catalogue; "
        "and, for signed-in users and systems with an API token, the reporting information "
        "system: regimes, periods, reports, their workflow, completeness and audit trail. "
        "Writes accept an `Idempotency-Key` header (required with a token); see docs/api.md."
    ),
    urls_namespace="api-v1",
)
api.add_router("/units", units_router)
api.add_router("/programmes", programmes_router)
api.add_router("/", indicators_router)
api.add_router("/", reporting_router)
api.add_router("/", assessment_router)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(PermissionDenied)
@api.exception_handler(UserFacingError)
def explained_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """404, 403, and the 400/409/422 of input the services refuse, in Vietnamese and English."""
    mapped = error_payload(exc)
    if mapped is None:  # pragma: no cover - every registered type is mapped
        raise exc
    status, body = mapped
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, in_both_languages(UNAUTHORIZED), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
