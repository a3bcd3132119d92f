"""Refusals made before any view runs."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

NUL_REFUSED = gettext_noop(
    "The address contains a NUL character (%00), which no page or API operation accepts. "
    "Remove it and try again."
)
NUL_IN_DATA_REFUSED = gettext_noop(
    "The data sent contain a NUL character (\\u0000), which no page or API operation accepts. "
    "Remove it and try again."
)
# A NUL in a JSON text: written raw or as an escape that is not itself an escaped backslash.
_JSON_NUL = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


class RefuseNulCharacters:
    """A NUL character in the path, the query string or a JSON body is never valid input, and
    PostgreSQL cannot even compare text with one: answer 400 before a view hands it to a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return _refusal(request, NUL_REFUSED)
        # Forms refuse NUL themselves (Django's validators); JSON bodies reach the API's schemas,
        # which do not, and PostgreSQL cannot store one.
        if request.content_type == "application/json" and _JSON_NUL.search(request.body):
            return _refusal(request, NUL_IN_DATA_REFUSED)
        return self.get_response(request)


def _refusal(request: HttpRequest, message: str) -> HttpResponse:
    from lotrinh.api.errors import in_both_languages

    body = in_both_languages(message)
    if request.path.startswith("/api/"):
        return JsonResponse(body, status=400)
    return HttpResponse(render_to_string("400.html"), status=400)
