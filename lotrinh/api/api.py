"""The API object: routers, error handlers and the OpenAPI description."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI

from lotrinh import __version__
from lotrinh.api.routers.indicators import router as indicators_router
from lotrinh.api.routers.programmes import router as programmes_router
from lotrinh.api.routers.units import router as units_router
from lotrinh.core.errors import UserFacingError

api = NinjaAPI(
    title="Lộ Trình API",
    version=__version__,
    description=(
        "Read access to Vietnam's administrative units (both structures and the 2025 crosswalk), "
        "digital-transformation programmes, their targets and the shared indicator catalogue."
    ),
    urls_namespace="api-v1",
)
api.add_router("/units", units_router)
api.add_router("/programmes", programmes_router)
api.add_router("/", indicators_router)


NOT_FOUND = gettext_noop("Not found.")


def _in_both_languages(message: str) -> dict[str, str]:
    with translation.override("vi"):
        vietnamese = _(message)
    with translation.override("en"):
        english = _(message)
    return {"detail": vietnamese, "detail_en": english}


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, _in_both_languages(NOT_FOUND), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Permission denied.")}, status=403)


@api.exception_handler(UserFacingError)
def bad_input(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.text("vi"), "detail_en": exc.text("en")}, status=400
    )
