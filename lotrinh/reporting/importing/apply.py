"""Write a checked import plan: all of it in one transaction, or nothing.

The figures go through `services.save_many`, which checks permission, the period, each report's
status and version as a form save does, and refuses when a report changed since the dry run (its
version moved), so what is written is exactly what the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lotrinh.reporting.errors import ReportConflictError
from lotrinh.reporting.importing.plan import ImportPlan
from lotrinh.reporting.importing.reading import ImportRefusedError
from lotrinh.reporting.models import Period, ReportingRegime
from lotrinh.reporting.services import Actor, ReportFigures, save_many


@dataclass(frozen=True)
class ApplyResult:
    reports: int
    values: int


def apply_plan(
    actor: Actor, regime: ReportingRegime, period: Period, plan: ImportPlan
) -> ApplyResult:
    """Write every change of an error-free plan in one transaction; raises (and writes nothing)
    on any refusal: permission, closed period, locked report, or a report changed since the plan."""
    if plan.errors:
        raise ImportRefusedError(
            _("The file still has %(count)s errors; nothing was written."), count=len(plan.errors)
        )
    batches = [
        ReportFigures(unit.unit_id, unit.report_version, unit.values, unit.old)
        for unit in plan.units
    ]
    try:
        with transaction.atomic():
            save_many(actor, regime, period, batches)
    except ReportConflictError as exc:
        raise ImportRefusedError(
            _(
                "Some of these reports changed after the dry run. Nothing was written: run the dry run again and check the changes."
            )
        ) from exc
    return ApplyResult(len(plan.units), len(plan.changes))
