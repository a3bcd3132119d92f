"""Every error answered under /api/, whoever made it, is the API's bilingual JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_noop

from lotrinh.api.errors import (
    NOT_FOUND,
    PERMISSION_DENIED,
    REQUEST_REFUSED,
    SERVER_ERROR,
    in_both_languages,
)

logger = logging.getLogger("django.request")

METHOD_NOT_ALLOWED = gettext_noop(
    "This address does not accept this method; the “Allow” header lists the methods it accepts."
)
# What an error made outside the API's own handlers means, by status.
_MESSAGES = {404: NOT_FOUND, 403: PERMISSION_DENIED, 405: METHOD_NOT_ALLOWED, 500: SERVER_ERROR}


class ApiErrorsAsJson:
    """Django's page 404 (an address under /api/ that is no operation), ninja's text 405 and a
    server error raised before ninja's handlers all become the API's JSON, so a client parsing
    every answer as JSON never receives a web page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or response.get("Content-Type", "").startswith(
                ("application/json", "application/javascript")  # JSON, or JSONP of CKAN's API
            )
        ):
            return response
        message = _MESSAGES.get(response.status_code, REQUEST_REFUSED)
        answer = JsonResponse(in_both_languages(message), status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        # An error raised inside (a 403, a 500) was logged when it was raised; an address that
        # is no operation is a routine 404, logged once at INFO as Django's web 404s are.
        if response.status_code == 404:
            logger.info("Not Found: %s", request.path)
        answer._has_been_logged = True  # type: ignore[attr-defined]
        return answer
