"""Answers to anonymous GET and HEAD requests of the open data, kept per version of the published
data so that a repeated request skips the middleware behind the open data's and the view.

What is kept is what the view produced (with the headers of the middleware behind it), for one
method, absolute address (scheme, host, path with its query: every parameter a view reads is in
the query) and Accept-Language header (the API's addresses, which have no language prefix, answer
in the language it asks for). Only requests without any cookie and
without Authorization read or fill it: a signed-in user may see more, and a page made for a
browser that holds a CSRF cookie carries that browser's token. A response that sets a cookie, is
private or varies on everything is not kept. The keeper belongs to one `Publication`, so a change
of the version (an approval, a reopened report) leaves the old answers behind at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

# An answer larger than this share of the bytes allowed is made again at each request rather than
# pushing most others out.
LARGEST_SHARE = 8


@dataclass(frozen=True)
class KeptResponse:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content) + sum(len(k) + len(v) for k, v in self.headers)

    def response(self) -> HttpResponse:
        """A new response object: the middleware in front of this one adds its headers to it
        (CORS, security) as to any other."""
        return HttpResponse(
            self.content, status=self.status, reason=self.reason, headers=dict(self.headers)
        )


def request_key(request: HttpRequest) -> tuple[str, str, str] | None:
    """The key of a request whose answer may be shared with other clients, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if request.META.get("HTTP_COOKIE") or request.META.get("HTTP_AUTHORIZATION"):
        return None
    try:
        address = request.build_absolute_uri()
    except DisallowedHost:  # refused further in, by the same rule as any other request
        return None
    return (request.method, address, request.META.get("HTTP_ACCEPT_LANGUAGE", ""))


def shareable(response: HttpResponse) -> bool:
    """Whether an answer made for one anonymous client may be given to another."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = {
        part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")
    }
    if control & {"private", "no-store"}:
        return False
    return "*" not in response.get("Vary", "")


class ResponseKeeper:
    """At most LOTRINH_OPEN_DATA_CACHE_ENTRIES answers and LOTRINH_OPEN_DATA_CACHE_BYTES bytes,
    the least recently used leaving first. Shared by the threads of a process."""

    def __init__(self, entries: int, size: int) -> None:
        self.max_entries, self.max_size = entries, size
        self._kept: OrderedDict[tuple[str, str, str], KeptResponse] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> ResponseKeeper:
        return cls(settings.LOTRINH_OPEN_DATA_CACHE_ENTRIES, settings.LOTRINH_OPEN_DATA_CACHE_BYTES)

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def size(self) -> int:
        return self._size

    def get(self, key: tuple[str, str, str]) -> HttpResponse | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
        return found.response()

    def put(self, key: tuple[str, str, str], response: HttpResponse) -> None:
        kept = KeptResponse(
            response.status_code,
            response.reason_phrase,
            tuple(response.headers.items()),
            response.content,
        )
        if self.max_entries <= 0 or kept.size > self.max_size // LARGEST_SHARE:
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            if previous is not None:
                self._size -= previous.size
            self._kept[key] = kept
            self._size += kept.size
            while len(self._kept) > self.max_entries or self._size > self.max_size:
                _key, gone = self._kept.popitem(last=False)
                self._size -= gone.size
