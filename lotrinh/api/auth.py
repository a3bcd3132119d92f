"""Who is calling the API: a signed-in browser session or an `Authorization: Bearer` API token.

Both give a `Principal`; the routers turn it into the services' `Actor` and every permission check
then goes through `lotrinh.access.permissions`, whichever way the caller signed in.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from lotrinh.api.models import ApiToken
from lotrinh.core.client import client_address
from lotrinh.core.throttle import Limit
from lotrinh.reporting.services import Actor

TOKEN_PREFIX = "lt_"  # noqa: S105 - a visible marker of our tokens, not a secret
# Failed token attempts per client address: enough for a misconfigured integration to notice its
# 401s, far too few to guess a 256-bit token.
FAILED_TOKENS = Limit("api-token", attempts=10, seconds=15 * 60)
# Recording every use would write a row per request; once a minute is precise enough for an admin.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller. `token` is set when the caller used an API token."""

    user: User
    token: ApiToken | None = None

    @property
    def is_system(self) -> bool:
        return self.token is not None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the stored row and the secret, which is not kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw))
    return token, raw


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A wrong, revoked or inactive-user token is refused outright
    (401), even when a session cookie is also present, so a broken integration fails loudly."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        client = client_address(request) or "unknown"
        if FAILED_TOKENS.exceeded(client):  # checked first, so a guess cannot tell right from wrong
            raise FAILED_TOKENS.refusal()
        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token.strip()), is_active=True, user__is_active=True)
            .first()
        )
        if row is None:
            FAILED_TOKENS.record(client)
            raise AuthenticationError()
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return Principal(row.user, row)


class SessionAuth(NinjaSessionAuth):
    """The site's own pages calling the API with the session cookie (CSRF-checked on writes)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # A caller with no session has nothing to protect: answer 401, not a CSRF refusal.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = request.user
        if isinstance(user, User) and user.is_authenticated and user.is_active:
            return Principal(user)
        return None


api_auth = [TokenAuth(), SessionAuth()]


def principal_of(request: HttpRequest) -> Principal:
    return cast(Principal, request.auth)  # type: ignore[attr-defined]


def actor_of(request: HttpRequest) -> Actor:
    """The services' Actor for this request: the user, their address, and the "api" channel."""
    return Actor(principal_of(request).user, client_address(request), "api")
