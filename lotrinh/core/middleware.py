"""Refusals made before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

NUL_REFUSED = gettext_noop(
    "The address contains a NUL character (%00), which no page or API operation accepts. "
    "Remove it and try again."
)


class RefuseNulCharacters:
    """A NUL character in the path or query string is never valid input, and PostgreSQL cannot
    even compare text with one: answer 400 before a view hands it to a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return _refusal(request)
        return self.get_response(request)


def _refusal(request: HttpRequest) -> HttpResponse:
    from lotrinh.api.errors import in_both_languages

    body = in_both_languages(NUL_REFUSED)
    if request.path.startswith("/api/"):
        return JsonResponse(body, status=400)
    return HttpResponse(render_to_string("400.html"), status=400)
