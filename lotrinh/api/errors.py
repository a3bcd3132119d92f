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
from lotrinh.core.formatting import format_number, plain_decimal
from lotrinh.reporting.errors import ReportConflictError, ReportInvalidError
from lotrinh.reporting.validation import Issue

NOT_FOUND = gettext_noop("Not found.")
PERMISSION_DENIED = gettext_noop("Permission denied.")
UNAUTHORIZED = gettext_noop(
    "Sign in, or send an API token in the header “Authorization: Bearer <token>”."
)
SERVER_ERROR = gettext_noop(
    "The server could not answer because of an error on its side. Try again later; "
    "if it happens again, tell the administrator."
)
CSRF_FAILED = gettext_noop(
    "This write comes from a signed-in browser session without the CSRF token: send it in the "
    "header “X-CSRFToken”, or use an API token."
)
UNREADABLE_BODY = gettext_noop(
    "The request body cannot be read: send valid JSON, encoded in UTF-8."
)
TOO_MANY_REQUESTS = gettext_noop("Too many requests. Wait a moment, then try again.")
REQUEST_REFUSED = gettext_noop("This request cannot be answered.")
INVALID_REQUEST = gettext_noop("The request is not valid: %(problems)s")
# What ninja's HttpError means, by status, for the few it raises itself.
HTTP_ERRORS = {400: UNREADABLE_BODY, 403: CSRF_FAILED, 429: TOO_MANY_REQUESTS}

# Input problems found by pydantic, by its error type; {limit} is the bound of the rule broken.
_PROBLEMS = {
    "missing": gettext_noop("is required."),
    "less_than_equal": gettext_noop("must be at most %(limit)s."),
    "less_than": gettext_noop("must be less than %(limit)s."),
    "greater_than_equal": gettext_noop("must be at least %(limit)s."),
    "greater_than": gettext_noop("must be more than %(limit)s."),
    "int_parsing": gettext_noop("must be a whole number."),
    "int_type": gettext_noop("must be a whole number."),
    "int_from_float": gettext_noop("must be a whole number."),
    "float_parsing": gettext_noop("must be a number."),
    "float_type": gettext_noop("must be a number."),
    "decimal_parsing": gettext_noop("must be a number."),
    "decimal_type": gettext_noop("must be a number."),
    "bool_parsing": gettext_noop("must be true or false."),
    "bool_type": gettext_noop("must be true or false."),
    "string_type": gettext_noop("must be text."),
    "string_too_long": gettext_noop("is too long: at most %(limit)s characters."),
    "dict_type": gettext_noop("must be a JSON object."),
    "model_attributes_type": gettext_noop("must be a JSON object."),
    "list_type": gettext_noop("must be a JSON list."),
}
_CANNOT_READ = gettext_noop("has a value that cannot be read.")
_BOUNDS = ("le", "lt", "ge", "gt", "max_length")


def in_both_languages(message: str) -> dict[str, str]:
    """{"detail": Vietnamese, "detail_en": English} of a message marked with gettext_noop."""
    with translation.override("vi"):
        vietnamese = _(message)
    with translation.override("en"):
        english = _(message)
    return {"detail": vietnamese, "detail_en": english}


def _problem(error: dict[str, Any]) -> str:
    """One input problem in the active language: “offset” (query) must be at most 1.000."""
    source, *names = [str(part) for part in error.get("loc", ())] or [""]
    if source == "body" and names[:1] == ["body"]:  # ninja names the body parameter too
        names = names[1:]
    field = ".".join(names) or source
    context = error.get("ctx") or {}
    limit = next((context[key] for key in _BOUNDS if key in context), None)
    if isinstance(limit, int | float | Decimal):
        limit = format_number(limit)
    message = _(_PROBLEMS.get(str(error.get("type")), _CANNOT_READ)) % {"limit": limit}
    return f"“{field}” ({source}) {message}"


def validation_payload(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """422 body of input the schema refuses: one sentence in each language, and each problem."""
    body: dict[str, Any] = {}
    listed: list[dict[str, Any]] = [
        {"loc": list(e.get("loc", ())), "type": e.get("type")} for e in errors
    ]
    for language, key in (("vi", "detail"), ("en", "detail_en")):
        with translation.override(language):
            problems = [_problem(error) for error in errors]
            body[key] = _(INVALID_REQUEST) % {"problems": " ".join(problems)}
        for item, problem in zip(listed, problems, strict=True):
            item[f"message_{language}"] = problem
    return body | {"errors": listed}


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


class DetailedRefusalError(UserFacingError):
    """A write refused with 422 whose answer carries more than the message: `details` (for
    example every row of a file with what is wrong with it) joins `detail` and `detail_en`."""

    status_code = 422

    def __init__(self, message: Any, details: dict[str, Any], **params: Any) -> None:
        self.details = details
        super().__init__(message, **params)


def error_payload(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """(HTTP status, JSON body) for an error the API explains to the caller; None for a bug."""
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return 404, in_both_languages(NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        if hasattr(exc, "text"):
            return 403, {"detail": exc.text("vi"), "detail_en": exc.text("en")}
        return 403, in_both_languages(PERMISSION_DENIED)
    if not isinstance(exc, UserFacingError):
        return None
    body: dict[str, Any] = {"detail": exc.text("vi"), "detail_en": exc.text("en")}
    if isinstance(exc, ReportInvalidError):
        return 422, body | {"issues": [issue_payload(i) for i in exc.issues]}
    if isinstance(exc, DetailedRefusalError):
        return exc.status_code, body | exc.details
    if isinstance(exc, ReportConflictError):
        changed = {code: plain_number(value) for code, value in sorted(exc.changed.items())}
        return 409, body | {"changed": changed}
    return int(getattr(exc, "status_code", 400)), body
