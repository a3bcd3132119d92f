"""Account pages that differ from Django's own: the password reset request (limited, and refused
when this server sends no e-mail), logging out (also at the identity provider) and the second
factor's enrolment and verification."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django_otp import login as otp_login

from lotrinh.access import two_factor
from lotrinh.access.oidc import provider_logout_url
from lotrinh.access.permissions import can_reset_any_second_factor
from lotrinh.access.services import forget_provider_session
from lotrinh.core.client import client_address
from lotrinh.core.errors import UserFacingError
from lotrinh.core.throttle import Limit, TooManyAttemptsError

# Each address, and each e-mail address asked about, may request five resets an hour: enough for
# a person who mistyped, too few to flood an inbox or the mail server.
RESET_REQUESTS = Limit("password-reset", attempts=5, seconds=60 * 60)


class PasswordResetView(auth_views.PasswordResetView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(email_enabled=settings.EMAIL_ENABLED, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.EMAIL_ENABLED:
            return self.render_to_response(self.get_context_data(), status=503)
        client = client_address(request) or "unknown"
        email = "email:" + str(request.POST.get("email", "")).strip().lower()
        if max(RESET_REQUESTS.record(client), RESET_REQUESTS.record(email)) > (
            RESET_REQUESTS.attempts
        ):
            refusal = RESET_REQUESTS.refusal().text(get_language() or "vi")
            return self.render_to_response(self.get_context_data(refusal=refusal), status=429)
        return super().post(request, *args, **kwargs)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes answers to a locked-out user name and address (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    """Django's sign-in page, offering the province's single sign-on when it is configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(sso_enabled=settings.SSO_ENABLED, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Ends the session here and, for a session opened through the identity provider that names
    an end-session address, there too (RP-initiated logout)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = provider_logout_url(request)
        forget_provider_session(request.session.session_key)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


def _next_page(request: HttpRequest) -> str:
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """The second factor of one's own account. Without one: enrol an app (its QR code and secret,
    then a code it shows to confirm; the recovery codes are shown once, right after). With one:
    after proving who one is (password or code), replace the app or renew the recovery codes."""
    user = cast(User, request.user)
    enrolled = two_factor.has_second_factor(user)
    action = str(request.POST.get("action", "confirm")) if request.method == "POST" else "show"
    context: dict[str, Any] = {
        "enrolled": enrolled,
        "enrolment": None,
        "required": two_factor.must_have_second_factor(user),
        "next": _next_page(request),
    }
    status = 200
    try:
        if action == "prove":
            two_factor.prove_identity(request, str(request.POST.get("proof", "")))
        elif action == "recovery":
            context["recovery_codes"] = two_factor.renew_recovery_codes(
                request, ip_address=client_address(request)
            )
        elif action == "replace" or not enrolled or action == "confirm":
            context["enrolment"] = (
                two_factor.start_replacement(request)
                if enrolled
                else two_factor.pending_enrolment(user)
            )
            if action == "confirm":
                device, codes = two_factor.confirm_enrolment(
                    user, str(request.POST.get("code", "")), ip_address=client_address(request)
                )
                otp_login(request, device)
                request.session.pop(two_factor.PROVED_AT, None)
                context.update(recovery_codes=codes, enrolment=None, just_enrolled=True)
    except UserFacingError as refusal:
        context["error"] = refusal.text(get_language() or "vi")
        status = refusal.status_code if isinstance(refusal, TooManyAttemptsError) else 400
    context["proved"] = two_factor.recently_proved(request)
    context["may_reset_others"] = can_reset_any_second_factor(user)
    return render(request, "registration/two_factor_setup.html", context, status=status)


@login_required
def two_factor_reset(request: HttpRequest) -> HttpResponse:
    """An administrator removes the second factor of a person of their units (a lost phone)."""
    actor = cast(User, request.user)
    if not can_reset_any_second_factor(actor):
        raise PermissionDenied(gettext("Only administrators of a unit may reset a second factor."))
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            context["reset_user"] = two_factor.reset_second_factor(
                actor, str(request.POST.get("username", "")), ip_address=client_address(request)
            )
        except UserFacingError as refusal:
            context["error"] = refusal.text(get_language() or "vi")
            status = 400
    return render(request, "registration/two_factor_reset.html", context, status=status)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code of the authenticator app (or a recovery code) after signing in."""
    user = cast(User, request.user)
    context: dict[str, Any] = {"next": _next_page(request)}
    if request.method == "POST":
        try:
            device = two_factor.verify(user, str(request.POST.get("code", "")))
        except UserFacingError as refusal:
            context["error"] = refusal.text(get_language() or "vi")
            return render(request, "registration/two_factor_verify.html", context, status=400)
        otp_login(request, device)
        return HttpResponseRedirect(context["next"])
    return render(request, "registration/two_factor_verify.html", context)
