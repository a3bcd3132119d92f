"""Write a checked import plan: all of it in one transaction, or nothing.

Two paths with the same checks and the same audit trail:
- `service`: open_report + save_values per report (the workflow services, one report at a time);
- `bulk`: for large files, the same permission, period, status and version checks, then the values,
  report versions and audit events written with a few bulk statements.
Both refuse when a report changed since the dry run (its version moved), so what is written is
exactly what the user saw.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import require_report_for
from lotrinh.core.audit import EVENT_COLUMNS, FIGURES_CHANGED
from lotrinh.core.bulk import insert_alike, insert_grouped, insert_rows, update_rows
from lotrinh.core.formatting import plain_decimal
from lotrinh.core.models import AuditEvent
from lotrinh.ledger import services as ledger
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.errors import ReportConflictError, ReportError
from lotrinh.reporting.importing.limits import BULK_FROM_CHANGES
from lotrinh.reporting.importing.plan import EDITABLE, ImportPlan, UnitChanges
from lotrinh.reporting.importing.reading import ImportRefusedError
from lotrinh.reporting.models import (
    DataValue,
    DraftText,
    Period,
    Report,
    ReportingRegime,
    Status,
)
from lotrinh.reporting.periods import period_label_lazy
from lotrinh.reporting.queries import due_date, expected_units
from lotrinh.reporting.services import Actor, forget_kept_texts, open_report, save_values

BATCH = 5_000
_WRITTEN = 2  # the version of a new report once its first figures are saved

# A new figure's columns: its own, then those it shares with the other figures of its report.
_OWN_COLUMNS = ("data_element_id", "value")
_SHARED_COLUMNS = ("report_id", "comment", "version", "updated_at")


class LockedReport(NamedTuple):
    """What the bulk path needs of a report it holds locked."""

    pk: int
    version: int
    status: str


@dataclass(frozen=True)
class ApplyResult:
    reports: int
    values: int
    method: str


def _changed_meanwhile() -> ImportRefusedError:
    return ImportRefusedError(
        _(
            "Some of these reports changed after the dry run. Nothing was written: run the dry run again and check the changes."
        )
    )


def apply_plan(
    actor: Actor,
    regime: ReportingRegime,
    period: Period,
    plan: ImportPlan,
    *,
    method: str = "auto",
) -> ApplyResult:
    """Write every change of an error-free plan in one transaction; raises (and writes nothing)
    on any refusal: permission, closed period, locked report, or a report changed since the plan."""
    if plan.errors:
        raise ImportRefusedError(
            _("The file still has %(count)s errors; nothing was written."), count=len(plan.errors)
        )
    if method == "auto":
        method = "bulk" if len(plan.changes) >= BULK_FROM_CHANGES else "service"
    writer = _apply_bulk if method == "bulk" else _apply_services
    try:
        with transaction.atomic():
            writer(actor, regime, period, plan)
            ledger.record(_touched_reports(regime, period, plan), "imported", actor.user)
    except ReportConflictError as exc:
        raise _changed_meanwhile() from exc
    return ApplyResult(len(plan.units), len(plan.changes), method)


def _touched_reports(regime: ReportingRegime, period: Period, plan: ImportPlan) -> list[int]:
    return list(
        Report.objects.filter(
            regime=regime, period=period, org_unit_id__among=[u.unit_id for u in plan.units]
        ).values_list("pk", flat=True)
    )


def _apply_services(
    actor: Actor, regime: ReportingRegime, period: Period, plan: ImportPlan
) -> None:
    units = OrgUnit.objects.in_bulk([u.unit_id for u in plan.units])
    for change in plan.units:
        report = open_report(actor, regime, period, units[change.unit_id])
        # A report that did not exist at the dry run starts at version 1.
        save_values(
            actor,
            report,
            dict(change.values),
            base_version=change.report_version or 1,
        )


def _apply_bulk(actor: Actor, regime: ReportingRegime, period: Period, plan: ImportPlan) -> None:
    """Write a large plan with plain-row statements (COPY on PostgreSQL): the same checks as the
    service path, and one audit event per report carrying every figure it changed."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check_period_open(period)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__among=[u.unit_id for u in plan.units])}
    for change in plan.units:
        require_report_for(actor.user, units[change.unit_id])
    now = timezone.now()
    reports, created = _reports_for(regime, period, plan, units, now)
    elements = dict(regime.fields.values_list("data_element__code", "data_element_id"))
    # Only reports that existed at the dry run can hold figures already.
    existing = set(
        DataValue.objects.filter(
            report_id__among=[reports[u.unit_id].pk for u in plan.units if u.report_id is not None],
        ).values_list("report_id", "data_element_id")
    )
    # Per report: the columns its new figures share, and those figures; changed figures apart.
    new_figures: list[tuple[tuple[object, ...], list[tuple[int, Decimal | None]]]] = []
    updated_rows: list[tuple[object, ...]] = []
    for change in plan.units:
        report = reports[change.unit_id]
        report_id = report.pk
        version = report.version if report_id in created else report.version + 1
        figures: list[tuple[int, Decimal | None]] = []
        for code, value in change.values.items():
            element_id = elements[code]
            if report_id not in created and (report_id, element_id) in existing:
                updated_rows.append((report_id, element_id, value, version, now))
            else:
                figures.append((element_id, value))
        new_figures.append(((report_id, "", version, now), figures))
    user_id = actor.user.pk if isinstance(actor.user, User) else None
    keys = {code: json.dumps(code) for code in elements}

    # A generator: on PostgreSQL each chunk of events is made while COPY stores the one before,
    # as the figures' encoding overlaps inside insert_grouped.
    def events() -> Iterator[tuple[object, ...]]:
        for change in plan.units:
            yield (now, user_id, actor.ip_address, actor.channel, FIGURES_CHANGED, "report") + (
                reports[change.unit_id].pk,
                "",
                "",
                "",
                "",
                figures_json(keys, change.old, change.values),
            )

    insert_grouped(DataValue, _OWN_COLUMNS, _SHARED_COLUMNS, new_figures)
    updated = update_rows(
        DataValue,
        ["report_id", "data_element_id", "value", "version", "updated_at"],
        updated_rows,
        key=2,
    )
    # Cannot differ while the reports are held locked; if it ever does, write nothing.
    if updated != len(updated_rows):
        raise _changed_meanwhile()
    changed = [r.pk for r in reports.values() if r.pk not in created]
    for start in range(0, len(changed), BATCH):
        Report.objects.filter(pk__among=changed[start : start + BATCH]).update(
            version=F("version") + 1, updated_at=now
        )
    insert_rows(AuditEvent, EVENT_COLUMNS, events())
    _forget_replaced_texts(actor, plan, reports, elements, created)


def _forget_replaced_texts(
    actor: Actor,
    plan: ImportPlan,
    reports: dict[int, LockedReport],
    elements: dict[str, int],
    created: set[int],
) -> None:
    """Drop what was kept as typed for every figure the import wrote, as save_values does."""
    written = {
        (reports[change.unit_id].pk, elements[code])
        for change in plan.units
        for code in change.values
    }
    kept = DraftText.objects.filter(
        report_id__among=[pk for pk, _element in written if pk not in created]
    ).select_related("report", "data_element")
    replaced = [row for row in kept if (row.report_id, row.data_element_id) in written]
    AuditEvent.objects.bulk_create(forget_kept_texts(actor, replaced))


def figures_json(
    keys: dict[str, str], old: dict[str, Decimal | None], values: dict[str, Decimal | None]
) -> str:
    """json.dumps({code: [old, new], ...}) of a report's changed figures, as services._audit
    writes them one by one, made as text: `keys` holds each code's JSON, and a plain figure
    (digits, a minus, a dot) is its own JSON string. An import writes 240,000 of them."""
    pairs = [
        f'{keys[code]}: ["{_plain(old.get(code))}", "{_plain(value)}"]'
        for code, value in values.items()
    ]
    return "{" + ", ".join(pairs) + "}"


def _plain(value: Decimal | None) -> str:
    """As services._audit writes figures: 120, not 120.0000; empty for none."""
    return "" if value is None else plain_decimal(value)


def _check_period_open(period: Period) -> None:
    if period.is_locked or not period.is_open_on(timezone.localdate()):
        raise ReportError(
            _("The period %(period)s is locked: figures can no longer be changed.")
            if period.is_locked
            else _("The period %(period)s opens on %(day)s."),
            period=period_label_lazy(period.code),
            day=period.cutoff_from.strftime("%d/%m/%Y"),
        )


def _reports_for(
    regime: ReportingRegime,
    period: Period,
    plan: ImportPlan,
    units: dict[int, OrgUnit],
    now: datetime.datetime,
) -> tuple[dict[int, LockedReport], set[int]]:
    """The plan's reports by unit, locked, each checked to be editable and unchanged since the dry
    run, and the ids of those created here. A report that did not exist is created (in the same
    transaction) as it will stand once its figures are written: at version 2, as open_report and
    a first save_values leave it, so it needs no second write."""
    wanted = {u.unit_id: u for u in plan.units}
    missing = [u for u in plan.units if u.report_id is None]
    if missing:
        expected = set(
            expected_units(regime, period)
            .filter(pk__among=[u.unit_id for u in missing])
            .values_list("pk", flat=True)
        )
        try:
            with transaction.atomic():
                template = Report(
                    regime=regime, period=period, due_on=period.cutoff_to, version=_WRITTEN
                )
                insert_alike(
                    Report,
                    template,
                    ["org_unit_id", "due_on", "created_at", "updated_at"],
                    (
                        (u.unit_id, due_date(regime, period, units[u.unit_id]), now, now)
                        for u in missing
                        if u.unit_id in expected
                    ),
                )
        except IntegrityError as exc:  # another request created one of them meanwhile
            raise _changed_meanwhile() from exc
        if len(expected) != len(missing):
            raise _changed_meanwhile()
    reports = {
        unit_id: LockedReport(pk, version, status)
        for unit_id, pk, version, status in Report.objects.select_for_update()
        .filter(regime=regime, period=period, org_unit_id__among=list(wanted))
        .order_by("pk")
        .values_list("org_unit_id", "pk", "version", "status")
    }
    created = {reports[u.unit_id].pk for u in missing}
    for unit_id, change in wanted.items():
        report = reports.get(unit_id)
        if report is None or report.pk not in created:
            _check_report(report, change)
    return reports, created


def _check_report(report: LockedReport | None, change: UnitChanges) -> None:
    if report is None or report.version != (change.report_version or 1):
        raise _changed_meanwhile()
    if report.status not in EDITABLE:
        raise ReportError(
            _("This report is %(status)s and cannot be changed."),
            status=dict(Status.choices).get(report.status, report.status),
        )
