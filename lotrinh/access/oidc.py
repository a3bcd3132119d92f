"""Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc), off unless
LOTRINH_OIDC_CLIENT_ID and the endpoints name one: the code flow with PKCE, claims mapped by
`access.claims`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from lotrinh.access.claims import parse_rules
from lotrinh.access.services import UnmappedAccountError, sign_in_from_provider
from lotrinh.core.client import client_address

BACKEND = "lotrinh.access.oidc.ProvinceOIDCBackend"
# Why the last sign-in through the provider was refused, shown by `refused` (both languages).
REFUSAL_KEY = "lotrinh_sso_refusal"


class ProvinceOIDCBackend(OIDCAuthenticationBackend):
    """Finds the account by the provider's (issuer, subject), never by e-mail or name."""

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        # The ID token's claims, completed by the user-info endpoint's (which may hold groups).
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
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
