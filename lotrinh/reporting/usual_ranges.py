"""Each unit's usual range per figure for a period, from its approved figures of the periods before.

An import of a whole quarter checks 200,000 figures against their units' history. Reading that
history (a million figures) took longer than the rest of the import, so the ranges are kept: when a
report is approved or reopened, its unit's ranges for the following periods are computed again and
stored, one row per unit and period (`UsualRanges`). A stored row names its basis, the approved
reports (and their versions) it came from; when the approved history has changed in any other way
(a bulk approval, a report deleted) the basis no longer matches, the row is ignored and the ranges
are computed from the history, with `validation.usual_range` as for the form. So the stored rows can only make an import faster, never
make it judge by stale figures.
"""

from __future__ import annotations

import hashlib
import struct
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status, UsualRanges
from lotrinh.reporting.queries import HISTORY_PERIODS, expected_units
from lotrinh.reporting.validation import UsualRange, usual_range

# unit id -> data element id -> range
RangesByUnit = dict[int, dict[int, UsualRange]]

_REPORTS_PER_READ = 4_000
_TRIPLE = struct.Struct("<ddd")  # how a kept range is stored: data element id, low, high


class HistoryReport(NamedTuple):
    pk: int
    version: int
    period_id: int


def earlier_periods(regime: ReportingRegime, period: Period) -> list[int]:
    """The ids of the HISTORY_PERIODS periods before `period`, the latest first."""
    return list(
        Period.objects.filter(regime=regime, starts_on__lt=period.starts_on)
        .order_by("-starts_on")
        .values_list("pk", flat=True)[:HISTORY_PERIODS]
    )


def _history_reports(
    regime: ReportingRegime, earlier: list[int], unit_ids: Iterable[int]
) -> dict[int, list[HistoryReport]]:
    """Each unit's approved reports in those periods."""
    found: dict[int, list[HistoryReport]] = defaultdict(list)
    rows = Report.objects.filter(
        regime=regime, status=Status.APPROVED, period_id__in=earlier, org_unit_id__among=unit_ids
    ).values_list("org_unit_id", "pk", "version", "period_id")
    for unit_id, *report in rows:
        found[unit_id].append(HistoryReport(*report))
    return found


# Part of every basis: a change to how ranges are computed (HISTORY_PERIODS, usual_range) must
# bump it, so that rows kept by the earlier code are no longer used.
_METHOD = f"median-mad-1/{HISTORY_PERIODS}"


def _basis(reports: list[HistoryReport]) -> str:
    text = _METHOD + "|" + ",".join(f"{r.pk}:{r.version}" for r in sorted(reports))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def usual_ranges(regime: ReportingRegime, period: Period, unit_ids: list[int]) -> RangesByUnit:
    """The usual ranges of the units' figures in `period`: the kept ones where their basis still
    matches the approved history, computed from the history for the others. Writes nothing."""
    earlier = earlier_periods(regime, period)
    if not earlier or not unit_ids:
        return {}
    reports = _history_reports(regime, earlier, unit_ids)
    bases = {unit_id: _basis(found) for unit_id, found in reports.items()}
    ranges: RangesByUnit = {}
    kept = UsualRanges.objects.filter(
        regime=regime, period=period, org_unit_id__among=list(reports)
    ).values_list("org_unit_id", "basis", "ranges")
    for unit_id, basis, stored in kept:
        if bases.get(unit_id) == basis:
            ranges[unit_id] = _decode(stored)
    stale = {unit_id: found for unit_id, found in reports.items() if unit_id not in ranges}
    if stale:  # a unit with no figures in its history has no ranges
        ranges |= _computed(earlier, stale)
    return ranges


def refresh_usual_ranges(
    regime: ReportingRegime, period: Period, unit_ids: list[int] | None = None
) -> int:
    """Compute and keep the usual ranges of the units (every unit expected to report for the
    period when None) for `period`; returns the number of units kept."""
    earlier = earlier_periods(regime, period)
    if not earlier:
        return 0
    if unit_ids is None:  # the units that report for the period (not those of a past structure)
        unit_ids = list(expected_units(regime, period).values_list("pk", flat=True))
    reports = _history_reports(regime, earlier, unit_ids)
    computed = _computed(earlier, reports)
    rows = [
        UsualRanges(
            regime=regime,
            period=period,
            org_unit_id=unit_id,
            basis=_basis(found),
            ranges=_encode(computed.get(unit_id, {})),
        )
        for unit_id, found in reports.items()
    ]
    with transaction.atomic():
        UsualRanges.objects.filter(regime=regime, period=period, org_unit_id__in=unit_ids).delete()
        UsualRanges.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def refresh_after_decision(report: Report) -> None:
    """A report was approved or reopened: keep its unit's ranges of the periods that follow it
    (those whose history it is part of, up to the latest open one)."""
    later = Period.objects.filter(
        regime_id=report.regime_id, starts_on__gt=report.period.starts_on, is_locked=False
    ).order_by("starts_on")[:HISTORY_PERIODS]
    for period in later:
        refresh_usual_ranges(report.regime, period, [report.org_unit_id])


def _computed(earlier: list[int], reports: dict[int, list[HistoryReport]]) -> RangesByUnit:
    """usual_range of every series of the units' figures in these reports (`earlier`: their
    periods, the latest first)."""
    owner = {r.pk: (unit_id, r.period_id) for unit_id, found in reports.items() for r in found}
    if not owner:
        return {}
    age = {period_id: n for n, period_id in enumerate(earlier)}
    series: dict[tuple[int, int], list[tuple[int, Decimal | None]]] = defaultdict(list)
    report_ids = sorted(owner)
    # By report, through the (report, element) index, a few thousand reports at a time: on a
    # national table the planner would otherwise scan every figure.
    for start in range(0, len(report_ids), _REPORTS_PER_READ):
        rows = DataValue.objects.filter(
            report_id__among=report_ids[start : start + _REPORTS_PER_READ], value__isnull=False
        ).values_list("report_id", "data_element_id", "value")
        for report_id, element_id, value in rows.iterator(chunk_size=20_000):
            unit_id, period_id = owner[report_id]
            series[unit_id, element_id].append((age[period_id], value))
    ranges: RangesByUnit = defaultdict(dict)
    for (unit_id, element_id), past in series.items():
        found = usual_range([value for _age, value in sorted(past, key=lambda p: -p[0])])
        if found is not None:
            ranges[unit_id][element_id] = found
    return ranges


def _encode(ranges: dict[int, UsualRange]) -> bytes:
    return b"".join(_TRIPLE.pack(element, low, high) for element, (low, high) in ranges.items())


def _decode(stored: bytes | memoryview) -> dict[int, UsualRange]:
    return {int(element): (low, high) for element, low, high in _TRIPLE.iter_unpack(bytes(stored))}
