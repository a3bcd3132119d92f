"""Reads of the reporting system: who must report, deadlines, history, completeness."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import AnyUser, visible_units
from lotrinh.core.audit import per_figure, touching_field
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import in_subtree, structure_on
from lotrinh.reporting.models import (
    DataValue,
    FormField,
    Period,
    Report,
    ReportingRegime,
    Status,
    ValidationRule,
)
from lotrinh.reporting.rules import compile_rule
from lotrinh.reporting.validation import ElementSpec, RuleSpec

DEFAULT_DEADLINE_DAYS = 5
HISTORY_PERIODS = 8


def period_structure(period: Period) -> str:
    """The structure whose units report a period: the one in force when its data are counted up to."""
    return structure_on(period.cutoff_to)


def expected_units(regime: ReportingRegime, period: Period) -> QuerySet[OrgUnit]:
    """Units that must report this period: the regime's tiers within its territories of the
    period's structure, plus the units named one by one."""
    structure = period_structure(period)
    scopes = list(regime.scopes.filter(structure=structure).values_list("path", flat=True))
    in_scope = Q()
    for path in scopes:
        in_scope |= in_subtree(path)
    by_tier = Q(tier__in=regime.reporting_tiers) & in_scope if scopes else Q(pk__in=[])
    named = Q(pk__in=regime.reporting_units.filter(structure=structure).values("pk"))
    return OrgUnit.objects.filter(structure=structure).filter(by_tier | named)


def open_periods(regime: ReportingRegime, today: datetime.date) -> QuerySet[Period]:
    """The regime's periods whose figures may be entered or imported today (those for which
    `Period.is_open_on(today)` holds), newest first."""
    return regime.periods.filter(is_locked=False, cutoff_from__lte=today).order_by("-starts_on")


def due_date(regime: ReportingRegime, period: Period, unit: OrgUnit) -> datetime.date:
    days = int(regime.deadline_days.get(unit.tier, DEFAULT_DEADLINE_DAYS))
    return period.cutoff_to + datetime.timedelta(days=days)


def in_force(starts_on: object, ends_on: object, prefix: str = "") -> Q:
    """Form fields (or rules) that apply to a period with these first and last days (dates, or
    expressions such as OuterRef): the one statement of their validity, as FormField.applies_to."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": starts_on})
    ) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": ends_on}))


def form_fields(
    regime: ReportingRegime, period: Period | None, tier: str | None
) -> list[FormField]:
    """The lines of the form that a unit of `tier` reports for `period`, in order; `tier` None
    gives every tier's lines, `period` None the lines of every period. Every reader of a unit's
    form (the web form and its autosave, the API, saves, imports, validation, the illustrative
    reports) asks here."""
    fields = regime.fields.all()
    if period is not None:
        fields = fields.filter(in_force(period.starts_on, period.ends_on))
    return [
        f for f in fields.select_related("data_element").order_by("position") if f.reported_by(tier)
    ]


def form_rules(
    regime: ReportingRegime, period: Period | None, tier: str | None
) -> list[ValidationRule]:
    """The rules that check the reports of `period` (None: any period) from a unit of `tier`:
    those in force for the period whose every figure is on that unit's form (`form_fields`)."""
    codes = {f.data_element.code for f in form_fields(regime, period, tier)}
    rules = regime.rules.all()
    if period is not None:
        rules = rules.filter(in_force(period.starts_on, period.ends_on))
    return [r for r in rules.order_by("code") if compile_rule(r.expression).names <= codes]


def element_specs(regime: ReportingRegime, period: Period, tier: str | None) -> list[ElementSpec]:
    return [
        ElementSpec(
            f.data_element.code,
            f.data_element.value_type,
            f.is_required,
            f.data_element.min_value,
            f.data_element.max_value,
        )
        for f in form_fields(regime, period, tier)
    ]


def rule_specs(regime: ReportingRegime, period: Period, tier: str | None) -> list[RuleSpec]:
    return [
        RuleSpec(r.code, r.expression, r.severity, r.message_vi, r.message_en)
        for r in form_rules(regime, period, tier)
    ]


def value_history(report: Report, periods: int = HISTORY_PERIODS) -> dict[str, list[Decimal]]:
    """The unit's approved figures in its earlier periods of the regime, oldest first."""
    earlier = (
        DataValue.objects.filter(
            report__org_unit_id=report.org_unit_id,
            report__regime_id=report.regime_id,
            report__status=Status.APPROVED,
            report__period__starts_on__lt=report.period.starts_on,
        )
        .order_by("-report__period__starts_on")
        .values_list("data_element__code", "value")
    )
    history: dict[str, list[Decimal]] = defaultdict(list)
    for code, value in earlier:
        if value is not None and len(history[code]) < periods:
            history[code].append(value)
    return {code: list(reversed(values)) for code, values in history.items()}


def previous_values(report: Report) -> dict[str, Decimal | None]:
    """The unit's figures of the period before, whatever their status, to show beside each field."""
    previous = (
        Report.objects.filter(
            regime_id=report.regime_id,
            org_unit_id=report.org_unit_id,
            period__starts_on__lt=report.period.starts_on,
        )
        .order_by("-period__starts_on")
        .first()
    )
    if previous is None:
        return {}
    return dict(previous.values.values_list("data_element__code", "value"))


# What an expected unit did for a period. Every page and the API count units by `Completeness.add`.
ON_TIME, LATE, PENDING, MISSING = "on_time", "late", "pending", "missing"
STATE_LABELS = {
    ON_TIME: _("on time"),
    LATE: _("late"),
    PENDING: _("started, not submitted"),
    MISSING: _("missing"),
}


@dataclass
class Completeness:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0  # started or returned, not yet submitted
    missing: int = 0
    overdue_units: list[OrgUnit] = field(default_factory=list)
    # Units that sent late, started without sending, or sent nothing, with that state, in path order.
    behind: list[tuple[OrgUnit, str]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    def add(
        self, unit: OrgUnit, report: Report | None, due_on: datetime.date, today: datetime.date
    ) -> str:
        """Count one expected unit: submitted (or approved) by its due day is on time, after it
        late; a report not submitted is pending, no report missing; either is overdue after
        `due_on`. Returns the state."""
        self.expected += 1
        if report and report.submitted_at and report.status in {Status.SUBMITTED, Status.APPROVED}:
            state = ON_TIME if report.submitted_at.date() <= report.due_on else LATE
        else:
            state = PENDING if report else MISSING
            if due_on < today:
                self.overdue_units.append(unit)
        setattr(self, state, getattr(self, state) + 1)
        if state != ON_TIME:
            self.behind.append((unit, state))
        return state


def completeness(
    regime: ReportingRegime,
    period: Period,
    within: OrgUnit | None = None,
    today: datetime.date | None = None,
) -> Completeness:
    """How many expected units (in a subtree) submitted on time, late, or not at all."""
    units = expected_units(regime, period)
    if within is not None:
        units = units.filter(in_subtree(within.path))
    reports = {
        r.org_unit_id: r
        for r in Report.objects.filter(regime=regime, period=period, org_unit__in=units).only(
            "org_unit_id", "status", "submitted_at", "due_on"
        )
    }
    result = Completeness()
    day = today or timezone.localdate()
    for unit in units.order_by("path"):
        result.add(unit, reports.get(unit.pk), due_date(regime, period, unit), day)
    return result


def last_closed_period(
    regime: ReportingRegime, today: datetime.date, structure: str | None = None
) -> Period | None:
    """The latest period of the regime whose data were counted up to before `today` (of the
    units of `structure`, if given): the period the unit overview and "who is behind" show."""
    periods = regime.periods.filter(cutoff_to__lt=today).order_by("-cutoff_to")
    if structure is None:
        return periods.first()
    return next((p for p in periods if period_structure(p) == structure), None)


def reports_for_user(user: AnyUser) -> QuerySet[Report]:
    """Reports of every unit the user may see (lotrinh.access.permissions.visible_units)."""
    return Report.objects.filter(org_unit__in=visible_units(user)).select_related(
        "regime", "period", "org_unit"
    )


def audit_trail(report: Report, field_name: str = "") -> list[AuditEvent]:
    """The recorded changes of a report, newest first, one entry per figure; with `field_name`,
    only those of that figure (a data element code, or "status" for the workflow steps)."""
    events = AuditEvent.objects.filter(target_type="report", target_id=report.pk)
    if field_name:
        events = touching_field(events, field_name)
    return per_figure(events.select_related("actor").order_by("-at", "-pk"), field_name)
