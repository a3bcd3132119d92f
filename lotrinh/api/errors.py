"""How errors become JSON responses: one mapping used by the API's handlers and by idempotency.

Idempotency stores the response a write got, including a refusal, so it needs the same status and
body the exception handlers would give; keeping the mapping here means they can never disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lotrinh.core.errors import UserFacingError
from lotrinh.core.formatting import plain_decimal
from lotrinh.reporting.errors import ReportConflictError, ReportInvalidError
from lotrinh.reporting.validation import Issue

NOT_FOUND = gettext_noop("Not found.")
UNAUTHORIZED = gettext_noop(
    "Sign in, or send an API token in the header “Authorization: Bearer <token>”."
)


def in_both_languages(message: str) -> dict[str, str]:
    """{"detail": Vietnamese, "detail_en": English} of a message marked with gettext_noop."""
    with translation.override("vi"):
        vietnamese = _(message)
    with translation.override("en"):
        english = _(message)
    return {"detail": vietnamese, "detail_en": english}


def plain_number(value: Decimal | None) -> str | None:
    """A stored figure as people write it: "120", "7.5" (exact, unlike a JSON float)."""
    return None if value is None else plain_decimal(value)


def issue_payload(issue: Issue) -> dict[str, str]:
    return {
        "field": issue.field,
        "severity": issue.severity,
        "code": issue.code,
        "message_vi": issue.message_vi,
        "message_en": issue.message_en,
    }


def error_payload(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """(HTTP status, JSON body) for an error the API explains to the caller; None for a bug."""
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return 404, in_both_languages(NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        if hasattr(exc, "text"):
            return 403, {"detail": exc.text("vi"), "detail_en": exc.text("en")}
        return 403, {"detail": str(exc) or _("Permission denied.")}
    if not isinstance(exc, UserFacingError):
        return None
    body: dict[str, Any] = {"detail": exc.text("vi"), "detail_en": exc.text("en")}
    if isinstance(exc, ReportInvalidError):
        return 422, body | {"issues": [issue_payload(i) for i in exc.issues]}
    if isinstance(exc, ReportConflictError):
        changed = {code: plain_number(value) for code, value in sorted(exc.changed.items())}
        return 409, body | {"changed": changed}
    return int(getattr(exc, "status_code", 400)), body
