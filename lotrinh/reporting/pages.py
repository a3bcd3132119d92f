"""Reads that the reporting pages need: "my reports", the form's layout, approvals, completeness by
child unit and a field's audit trail. Every function here reads; writes go through services.py.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.access.models import Membership
from lotrinh.access.permissions import (
    AnyUser,
    can_approve_for,
    reporting_units,
    visible_units,
)
from lotrinh.core.audit import per_figure, touching_field
from lotrinh.core.formatting import decimal_comma
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.models import (
    FormField,
    Notification,
    Period,
    Report,
    ReportingRegime,
    Status,
)
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.queries import (
    Completeness,
    due_date,
    expected_units,
    period_structure,
)
from lotrinh.reporting.validation import Issue

RECENT_PERIODS = 5  # the period being counted now and the four before it

# "My reports" shows what needs doing first.
_STATE_ORDER = {"overdue": 0, "returned": 1, "due": 2, "submitted": 3, "approved": 4}


@dataclass(frozen=True)
class DueItem:
    """One unit's report for one period, as its reporter sees it in "my reports"."""

    regime: ReportingRegime
    period: Period
    unit: OrgUnit
    report: Report | None
    state: str  # overdue | returned | due | submitted | approved
    due_on: datetime.date

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Most urgent first; among done reports, the newest first."""
        days = self.due_on.toordinal()
        done = self.state in {"submitted", "approved"}
        return (_STATE_ORDER[self.state], -days if done else days, self.unit.path)


def _state(report: Report | None, due_on: datetime.date, today: datetime.date) -> str:
    if report is not None and report.status in {Status.SUBMITTED, Status.APPROVED}:
        return str(report.status)
    if report is not None and report.status == Status.RETURNED:
        return "returned"
    return "overdue" if due_on < today else "due"


def recent_periods(
    regime: ReportingRegime, today: datetime.date, count: int = RECENT_PERIODS
) -> list[Period]:
    """The period whose data are being counted today and the `count - 1` before it, newest first."""
    current = period_containing(regime.frequency, today, regime.cutoff_day)
    return list(
        regime.periods.filter(starts_on__lte=current.starts_on).order_by("-starts_on")[:count]
    )


def my_reports(user: AnyUser, today: datetime.date | None = None) -> list[DueItem]:
    """Every recent report the user must make for the units they report for, most urgent first."""
    today = today or timezone.localdate()
    units = list(reporting_units(user))
    if not units:
        return []
    items: list[DueItem] = []
    for regime in ReportingRegime.objects.filter(is_active=True):
        periods = recent_periods(regime, today)
        reports = {
            (r.period_id, r.org_unit_id): r
            for r in Report.objects.filter(regime=regime, period__in=periods, org_unit__in=units)
        }
        for period in periods:
            expected = expected_units(regime, period).filter(pk__in=[u.pk for u in units])
            for unit in expected:
                report = reports.get((period.pk, unit.pk))
                due_on = report.due_on if report else due_date(regime, period, unit)
                state = _state(report, due_on, today)
                items.append(DueItem(regime, period, unit, report, state, due_on))
    return sorted(items, key=lambda item: item.sort_key)


def unread_notifications(user: AnyUser) -> list[Notification]:
    if not user.is_authenticated:
        return []
    return list(Notification.objects.filter(user_id=user.pk, read_at__isnull=True)[:50])


def unread_count(user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


@dataclass
class FieldRow:
    """One line of the form as the page shows it."""

    form_field: FormField
    value: str = ""  # as typed, or the stored figure written for the input
    stored: Decimal | None = None
    comment: str = ""
    previous: Decimal | None = None
    issues: list[Issue] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (severity, message) to show
    changed_by_other: bool = False

    @property
    def code(self) -> str:
        return self.form_field.data_element.code

    @property
    def has_warning(self) -> bool:
        return any(issue.severity == "warning" for issue in self.issues)

    @property
    def has_error(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


def input_text(value: Decimal | None) -> str:
    """A stored figure as it goes back into an input: no grouping, a comma before decimals, so that
    the form reads it back exactly (validation.parse_number takes "1.234" as one thousand...)."""
    return decimal_comma(value)


def stored_values(report: Report | None) -> dict[str, tuple[Decimal | None, str]]:
    """Each stored figure of a report with its explanation, by data element code."""
    if report is None:
        return {}
    return {
        code: (value, comment)
        for code, value, comment in report.values.values_list(
            "data_element__code", "value", "comment"
        )
    }


def kept_as_typed(report: Report | None) -> dict[str, str]:
    """What the reporter typed for each figure that could not be read, by data element code."""
    if report is None:
        return {}
    return dict(report.draft_texts.values_list("data_element__code", "text"))


def sections(rows: list[FieldRow]) -> list[tuple[str, list[FieldRow]]]:
    """Rows grouped by their section, keeping the form's order."""
    grouped: list[tuple[str, list[FieldRow]]] = []
    for row in rows:
        if not grouped or grouped[-1][0] != row.form_field.section:
            grouped.append((row.form_field.section, []))
        grouped[-1][1].append(row)
    return grouped


def rule_partners(regime: ReportingRegime, code: str) -> set[str]:
    """Codes that share a validation rule with `code`: their messages may change when it changes."""
    codes = list(regime.fields.values_list("data_element__code", flat=True))
    partners: set[str] = set()
    for expression in regime.rules.values_list("expression", flat=True):
        named = {c for c in codes if c in expression}
        if code in named:
            partners |= named
    partners.discard(code)
    return partners


def field_history(report: Report, code: str) -> list[AuditEvent]:
    """Every recorded change of one figure (and its explanation) of a report, newest first."""
    events = AuditEvent.objects.filter(target_type="report", target_id=report.pk)
    return per_figure(touching_field(events, code).select_related("actor"), code)


# Each workflow step as people read it, and what its recorded reason is for that step.
_STEPS: dict[str, tuple[Promise, Promise]] = {
    "submitted": (_("Submitted"), _("Reply to the approver")),
    "returned": (_("Returned"), _("Reason")),
    "approved": (_("Approved"), _("Reason")),
    "reopened": (_("Reopened for a correction"), _("Reason")),
}


@dataclass(frozen=True)
class StatusStep:
    """One step of a report's workflow as its history shows it: the conversation between the
    unit (submissions with their replies) and the approver (returns with their reasons)."""

    at: datetime.datetime
    actor: str
    label: str
    reason_label: str
    reason: str


def status_history(report: Report) -> list[StatusStep]:
    """The report's workflow steps, newest first, with translated names."""
    events = AuditEvent.objects.filter(
        target_type="report", target_id=report.pk, field="status"
    ).select_related("actor")
    steps = []
    for event in events.order_by("-at", "-pk"):
        label, reason_label = _STEPS.get(event.action, (event.action, _("Reason")))
        actor = event.actor.get_username() if event.actor else "—"
        steps.append(StatusStep(event.at, actor, str(label), str(reason_label), event.reason))
    return steps


def _approval_roots(user: AnyUser) -> list[OrgUnit] | None:
    """The top units of the user's approval subtrees; None means everywhere (superusers)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    if not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user_id=int(user.pk)).select_related("org_unit")
    units = [m.org_unit for m in memberships]
    return [unit for unit in units if can_approve_for(user, unit)]


def may_approve_anything(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    roots = _approval_roots(user)
    return roots is None or bool(roots)


def reports_to_approve(user: AnyUser) -> QuerySet[Report]:
    """Submitted reports of the units the user approves for, newest submission first; not those
    they submitted themselves where the regime wants a second person to approve."""
    reports = (
        Report.objects.filter(status=Status.SUBMITTED)
        .exclude(submitted_by_id=user.pk, regime__approver_must_differ=True)
        .select_related("regime", "period", "org_unit", "submitted_by")
    )
    roots = _approval_roots(user)
    if roots is not None:
        if not roots:
            return reports.none()
        within = Q()
        for root in roots:
            within |= in_subtree(root.path, "org_unit__")
        reports = reports.filter(within)
    return reports.order_by("-submitted_at", "org_unit__path")


def default_scope(user: AnyUser, period: Period) -> OrgUnit | None:
    """The highest unit the user may see in the period's structure (None: nothing to see)."""
    return (
        visible_units(user)
        .filter(structure=period_structure(period))
        .order_by("depth", "path")
        .first()
    )


@dataclass
class ChildCompleteness:
    unit: OrgUnit
    counts: Completeness


def completeness_by_child(
    regime: ReportingRegime,
    period: Period,
    parent: OrgUnit,
    today: datetime.date | None = None,
) -> list[ChildCompleteness]:
    """queries.completeness split by the units directly below `parent`, in two queries.

    Counted the same way as queries.completeness (a test checks that the totals agree).
    """
    day = today or timezone.localdate()
    units = list(
        expected_units(regime, period).filter(in_subtree(parent.path)).exclude(pk=parent.pk)
    )
    children = {
        child.path: child for child in OrgUnit.objects.filter(parent=parent).order_by("path")
    }
    reports = {
        r.org_unit_id: r
        for r in Report.objects.filter(
            in_subtree(parent.path, "org_unit__"), regime=regime, period=period
        ).only("org_unit_id", "status", "submitted_at", "due_on")
    }
    results: dict[str, Completeness] = defaultdict(Completeness)
    # Paths look like "2025/52/21553/": the child's path is the unit's path cut one level below.
    keep = parent.path.count("/") + 1
    for unit in sorted(units, key=lambda u: u.path):
        child_path = "/".join(unit.path.split("/")[:keep]) + "/"
        if child_path not in children:
            continue
        results[child_path].add(unit, reports.get(unit.pk), due_date(regime, period, unit), day)
    return [
        ChildCompleteness(children[path], results[path]) for path in children if path in results
    ]
