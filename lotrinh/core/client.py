"""The address a request came from, as far as this server can trust it (for per-client limits)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; or, behind LOTRINH_TRUSTED_PROXIES reverse proxies, the address the outermost
    one received the request from. Each proxy appends to X-Forwarded-For, so only the last entries
    are theirs: whatever a client wrote further left is ignored. None when nothing says (a request
    made inside the server, such as a test's forced login)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.LOTRINH_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
