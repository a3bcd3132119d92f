"""Checks the database cannot make for us on the fact table (DataValue has no foreign-key
constraints, for import speed): every figure belongs to an existing report and data element."""

from __future__ import annotations

from dataclasses import dataclass

from lotrinh.indicators.models import DataElement
from lotrinh.reporting.models import DataValue, Report


@dataclass(frozen=True)
class IntegrityReport:
    without_report: int
    without_element: int

    @property
    def ok(self) -> bool:
        return not (self.without_report or self.without_element)


def check_data_values() -> IntegrityReport:
    """Count figures that break the invariants (one pass per invariant, each an indexed join)."""
    return IntegrityReport(
        without_report=DataValue.objects.exclude(report_id__in=Report.objects.values("pk")).count(),
        without_element=DataValue.objects.exclude(
            data_element_id__in=DataElement.objects.values("pk")
        ).count(),
    )
