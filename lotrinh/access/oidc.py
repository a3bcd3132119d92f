"""Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc), off unless
LOTRINH_OIDC_CLIENT_ID and the endpoints name one: the code flow with PKCE, claims mapped by
`access.claims`, and the provider's back-channel logout (OpenID Connect Back-Channel Logout 1.0)."""

from __future__ import annotations

import functools
import time
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from lotrinh.access.claims import parse_rules
from lotrinh.access.services import (
    UnmappedAccountError,
    end_provider_sessions,
    record_provider_session,
    sign_in_from_provider,
)
from lotrinh.core.client import client_address
from lotrinh.core.throttle import Limit

BACKEND = "lotrinh.access.oidc.ProvinceOIDCBackend"
# Why the last sign-in through the provider was refused, shown by `refused` (both languages).
REFUSAL_KEY = "lotrinh_sso_refusal"
# The ID token's (issuer, subject, sid), kept on the request from the backend to the callback view.
SIGNED_IN_AS = "_lotrinh_provider_session"

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_MAX_AGE = 5 * 60  # seconds; an older logout token is refused (and its jti forgotten)
CLOCK_LEEWAY = 60  # seconds of clock difference allowed with the provider
LOGOUT_TOKEN_MAX_LENGTH = 16_384
# Each address may post 120 logout tokens a minute: a provider logs people out one by one, and a
# stranger cannot make this server fetch the provider's keys without end.
LOGOUT_REQUESTS = Limit("oidc-backchannel-logout", attempts=120, seconds=60)


class ProvinceOIDCBackend(OIDCAuthenticationBackend):
    """Finds the account by the provider's (issuer, subject), never by e-mail or name."""

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        # The ID token's claims, completed by the user-info endpoint's (which may hold groups).
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        setattr(
            self.request,
            SIGNED_IN_AS,
            (str(payload.get("iss", "")), str(payload.get("sub", "")), str(payload.get("sid", ""))),
        )
        try:
            return sign_in_from_provider(
                str(payload.get("iss", "")),
                claims,
                parse_rules(settings.LOTRINH_OIDC_CLAIM_RULES),
                ip_address=client_address(self.request),
            )
        except UnmappedAccountError as refusal:
            self.request.session[REFUSAL_KEY] = [refusal.text("vi"), refusal.text("en")]
            return None


class _OnlyWhenConfigured:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class StartView(_OnlyWhenConfigured, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (state, nonce, PKCE S256 challenge)."""


class CallbackView(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with the code."""

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        issuer, subject, sid = getattr(self.request, SIGNED_IN_AS, ("", "", ""))
        record_provider_session(self.request.session.session_key or "", issuer, subject, sid)
        return response


def refused(request: HttpRequest) -> HttpResponse:
    """Why the provider's sign-in did not open an account here (403), in both languages."""
    vietnamese, english = request.session.pop(REFUSAL_KEY, [None, None])
    return render(
        request,
        "registration/sso_refused.html",
        {"refusal_vi": vietnamese, "refusal_en": english},
        status=403,
    )


def provider_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session address for a session opened through it (RP-initiated logout),
    coming back to the home page; None for a local account or when the provider names none."""
    id_token = request.session.get("oidc_id_token")
    if not settings.LOTRINH_OIDC_END_SESSION_ENDPOINT or not id_token:
        return None
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("dashboards:home")),
    }
    return f"{settings.LOTRINH_OIDC_END_SESSION_ENDPOINT}?{urlencode(query)}"


def carries_no_password(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: the provider's callback brings a code the provider issued for this
    session's state, not a password, so django-axes neither counts nor blocks it; otherwise the
    refused sign-ins of one office behind one address would block every colleague's."""
    return request.path == reverse("oidc-callback")


class LogoutTokenError(Exception):
    """A logout token this site does not accept; the message goes back to the provider."""


@functools.lru_cache(maxsize=4)
def _provider_keys(jwks_uri: str, timeout: int) -> jwt.PyJWKClient:
    """The provider's published keys, fetched again at most every five minutes (or for a key id
    not seen yet)."""
    return jwt.PyJWKClient(jwks_uri, cache_jwk_set=True, lifespan=300, timeout=timeout)


def verify_logout_token(token: str, *, now: float | None = None) -> dict[str, Any]:
    """The claims of a logout token, checked as Back-Channel Logout 1.0 §2.6 says: signed with the
    provider's key (from its JWKS, in the algorithm of its ID tokens), `iss` the provider,
    `aud` this client, `iat` recent, the back-channel logout event, a `sid` or `sub`, no `nonce`,
    and a `jti` not seen before. Raises LogoutTokenError otherwise."""
    if len(token) > LOGOUT_TOKEN_MAX_LENGTH:
        raise LogoutTokenError("The logout token is too long.")
    algorithm = settings.OIDC_RP_SIGN_ALGO
    try:
        if jwt.get_unverified_header(token).get("alg") != algorithm:
            raise LogoutTokenError(f"The logout token must be signed with {algorithm}.")
        key = _provider_keys(settings.OIDC_OP_JWKS_ENDPOINT, settings.OIDC_TIMEOUT)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.get_signing_key_from_jwt(token),
            algorithms=[algorithm],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=settings.LOTRINH_OIDC_ISSUER,
            leeway=CLOCK_LEEWAY,
            options={"require": ["iss", "aud", "iat", "jti", "events"]},
        )
    except jwt.PyJWTError as error:
        raise LogoutTokenError(f"The logout token is not valid: {error}") from error
    now = time.time() if now is None else now
    issued = claims["iat"]
    if not isinstance(issued, int | float) or not (
        now - LOGOUT_TOKEN_MAX_AGE - CLOCK_LEEWAY <= issued <= now + CLOCK_LEEWAY
    ):
        raise LogoutTokenError("The logout token was not issued within the last five minutes.")
    events = claims["events"]
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
        raise LogoutTokenError(f"The logout token's events must hold {BACKCHANNEL_LOGOUT_EVENT}.")
    if "nonce" in claims:
        raise LogoutTokenError("A logout token must not hold a nonce.")
    if not claims.get("sid") and not claims.get("sub"):
        raise LogoutTokenError("The logout token names neither a session (sid) nor a user (sub).")
    if not isinstance(claims.get("sid", ""), str) or not isinstance(claims.get("sub", ""), str):
        raise LogoutTokenError("The logout token's sid and sub must be strings.")
    replay = f"oidc-logout-jti:{claims['iss']}:{claims['jti']}"
    if not caches["shared"].add(replay, 1, LOGOUT_TOKEN_MAX_AGE + 2 * CLOCK_LEEWAY):
        raise LogoutTokenError("This logout token was already used.")
    return claims


def backchannel_logout_enabled() -> bool:
    return bool(settings.SSO_ENABLED and settings.LOTRINH_OIDC_ISSUER)


@csrf_exempt  # the provider posts from its server, with no cookie: the signed token is the proof
@never_cache
@require_POST
def backchannel_logout(request: HttpRequest) -> HttpResponse:
    """The provider's back-channel logout: end the sessions its logout token names (200), or say
    why the token is refused (400, OAuth's error JSON)."""
    if not backchannel_logout_enabled():
        raise Http404
    if LOGOUT_REQUESTS.record(client_address(request) or "unknown") > LOGOUT_REQUESTS.attempts:
        return JsonResponse({"error": "temporarily_unavailable"}, status=429)
    try:
        claims = verify_logout_token(str(request.POST.get("logout_token", "")))
    except LogoutTokenError as refusal:
        return JsonResponse(
            {"error": "invalid_request", "error_description": str(refusal)}, status=400
        )
    end_provider_sessions(claims["iss"], claims.get("sub", ""), claims.get("sid", ""))
    return HttpResponse(status=200)
