"""Errors of the reporting workflow, each explained to the user in Vietnamese and English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.reporting.validation import Issue

# A figure of a field that only other tiers' units report (save_many, the import's dry run).
NOT_REPORTED_BY_UNIT = _(
    "%(unit)s does not report “%(element)s” for %(period)s: that figure is on the form of "
    "other tiers' units only."
)


class ReportError(UserFacingError):
    """A workflow step that cannot happen now (locked period, wrong status, ...)."""


class ReportInvalidError(ReportError):
    """Submission blocked by validation: `issues` says what, field by field."""

    def __init__(self, message: Promise | str, issues: list[Issue], **params: Any) -> None:
        self.issues = issues
        super().__init__(message, **params)


class ReportConflictError(ReportError):
    """Someone saved the report after this user opened it; `changed` holds their figures."""

    def __init__(
        self, message: Promise | str, changed: dict[str, Decimal | None], **params: Any
    ) -> None:
        self.changed = changed
        super().__init__(message, **params)
