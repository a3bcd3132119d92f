"""What every public open data address gets: a request limit per client, validators (ETag,
Last-Modified) so that a client asking again for what it has gets 304 Not Modified, and, for an
anonymous GET asked before in the same version of the published data, the answer kept from the
first time (lotrinh.opendata.responses)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date
from django.utils.translation import gettext, gettext_noop

from lotrinh.core.client import client_address
from lotrinh.core.throttle import PROCESS_CACHE, Limit
from lotrinh.opendata.catalogue import publication
from lotrinh.opendata.responses import request_key, shareable

TOO_MANY = gettext_noop(
    "Too many requests to the open data from your address. Please wait %(seconds)s seconds "
    "and try again."
)


def _limit() -> Limit:
    # Counted in one Redis for all servers, or without it in each process (docs/configuration.md).
    return Limit("opendata", settings.LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE, 60, PROCESS_CACHE)


def _too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    seconds = max(1, limit.seconds - int(limit.window_position()))
    messages = {}
    for language in ("vi", "en"):
        with translation.override(language):
            messages[language] = gettext(TOO_MANY) % {"seconds": seconds}
    response = JsonResponse(
        {"detail": messages["vi"], "detail_en": messages["en"]},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    return response


class OpenDataMiddleware:
    """Placed before the sessions, authentication and the rest: an anonymous request asked before
    in this version of the published data is answered from `publication().responses` without
    them. The limit, the validators and the 304 apply to every answer alike, kept or made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The open data's addresses are those shared with other sites (CORS_URLS_REGEX).
        if not re.match(settings.CORS_URLS_REGEX, request.path):
            return self.get_response(request)
        limit = _limit()
        if limit.record(client_address(request) or "unknown") > limit.attempts:
            return _too_many(request, limit)
        key = request_key(request)
        asked = publication() if key else None
        response = asked.responses.get(key) if asked and key else None
        if response is None:
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            # Revalidated on every use: an approval must show at once, and a 304 costs little.
            patch_cache_control(response, public=True, no_cache=True)
            if response.streaming:
                return response
            if not response.has_header("ETag"):  # a view's own validator (DCAT's) stands
                set_response_etag(response)
            current = publication()
            if current.latest is not None:
                response["Last-Modified"] = http_date(current.latest.timestamp())
            # Kept only in the version it was asked in: one made from a newer version is not
            # given to the readers of the older.
            if key and current is asked and shareable(response):
                current.responses.put(key, response)
        last_modified = response.get("Last-Modified")
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date(last_modified) if last_modified else None,
            response=response,
        )
        return conditional or response
