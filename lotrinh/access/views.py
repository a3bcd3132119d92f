"""Account pages that differ from Django's own: the password reset request, limited and refused
when this server sends no e-mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from lotrinh.core.client import client_address
from lotrinh.core.throttle import Limit

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
