"""The API object: routers, error handlers and the OpenAPI description."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lotrinh import __version__
from lotrinh.api.errors import (
    HTTP_ERRORS,
    REQUEST_REFUSED,
    SERVER_ERROR,
    UNAUTHORIZED,
    error_payload,
    in_both_languages,
    validation_payload,
)
from lotrinh.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from lotrinh.api.routers.assessment import router as assessment_router
from lotrinh.api.routers.indicators import router as indicators_router
from lotrinh.api.routers.ledger import router as ledger_router
from lotrinh.api.routers.monitoring import router as monitoring_router
from lotrinh.api.routers.programmes import router as programmes_router
from lotrinh.api.routers.reporting import router as reporting_router
from lotrinh.api.routers.reviews import router as reviews_router
from lotrinh.api.routers.units import router as units_router
from lotrinh.api.routers.workplan import router as workplan_router
from lotrinh.api.schemas.reporting import ErrorOut
from lotrinh.core.errors import UserFacingError

logger = logging.getLogger("django.request")


def common_error_statuses(operation: dict[str, Any]) -> list[int]:
    """The refusals the exception handlers below can give an operation, whatever it does: 400
    (input a service refuses, an unreadable body), 404 (something its input names does not
    exist) and 422 (input its schema refuses) when it takes input; 401 and 403 when it needs a
    signed-in user or a token."""
    statuses = []
    if operation.get("parameters") or "requestBody" in operation:
        statuses += [400, 404, 422]
    if operation.get("security"):
        statuses += [401, 403]
    return sorted(statuses)


class LotrinhAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """ninja's schema, with the Idempotency-Key header marked required (systems with API
        tokens must send it; the site's own pages, which may omit it, do not read the schema) and
        the common refusals declared on every operation, so the schema lists every answer."""
        schema = super().get_openapi_schema(**kwargs)
        # The body every refusal has; the routers declaring their own refusals put it in the schema.
        error_schema = {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"] == IDEMPOTENCY_HEADER:
                        parameter["required"] = True
                for status in common_error_statuses(operation):
                    operation["responses"].setdefault(  # ninja's keys are ints
                        status,
                        {
                            "description": HTTPStatus(status).phrase,
                            "content": {"application/json": {"schema": error_schema}},
                        },
                    )
        return schema


api = LotrinhAPI(
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
api.add_router("/", ledger_router)
api.add_router("/", workplan_router)
api.add_router("/", reviews_router)
api.add_router("/", monitoring_router)


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


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_payload(list(exc.errors)), status=422)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """The few refusals ninja makes itself (unreadable body, CSRF, throttling), in both languages."""
    message = HTTP_ERRORS.get(exc.status_code, REQUEST_REFUSED)
    return api.create_response(request, in_both_languages(message), status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback for the administrators, answered as the API's JSON."""
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
    )
    response = api.create_response(request, in_both_languages(SERVER_ERROR), status=500)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django would log it again, without the traceback
    return response
