"""Consistency checks of the fact table, for `lotrinh check-data`: every figure belongs to an
existing report and data element (the foreign keys guarantee it; counted as a check of the
database itself) and to its report's form (which no constraint can express)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from lotrinh.indicators.models import DataElement
from lotrinh.reporting.models import DataValue, FormField, Report
from lotrinh.reporting.queries import in_force


@dataclass(frozen=True)
class IntegrityReport:
    without_report: int
    without_element: int
    off_form: int  # figures of a data element not on their report's form for its period
    off_tier: int = 0  # figures of a field on the form for the period, but of other tiers' units

    @property
    def ok(self) -> bool:
        return not (self.without_report or self.without_element or self.off_form or self.off_tier)


def check_data_values() -> IntegrityReport:
    """Count figures that break the invariants (one pass per invariant, each an indexed join)."""
    return IntegrityReport(
        without_report=DataValue.objects.exclude(report_id__in=Report.objects.values("pk")).count(),
        without_element=DataValue.objects.exclude(
            data_element_id__in=DataElement.objects.values("pk")
        ).count(),
        off_form=DataValue.objects.exclude(
            Exists(
                FormField.objects.filter(
                    in_force(
                        OuterRef("report__period__starts_on"), OuterRef("report__period__ends_on")
                    ),
                    regime_id=OuterRef("report__regime_id"),
                    data_element_id=OuterRef("data_element_id"),
                )
            )
        ).count(),
        off_tier=_off_tier(),
    )


def _off_tier() -> int:
    """Figures of a field that only some tiers report (`FormField.reported_by`), held by a report
    of another tier's unit for a period the field applies to: one count per such field (few)."""
    count = 0
    for field in FormField.objects.all():
        if not field.tiers:
            continue
        in_force = Q()
        if field.valid_from is not None:
            in_force &= Q(report__period__starts_on__gte=field.valid_from)
        if field.valid_until is not None:
            in_force &= Q(report__period__ends_on__lte=field.valid_until)
        count += (
            DataValue.objects.filter(
                in_force, report__regime_id=field.regime_id, data_element_id=field.data_element_id
            )
            .exclude(report__org_unit__tier__in=field.tiers)
            .count()
        )
    return count
