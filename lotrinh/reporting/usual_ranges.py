"""Each unit's usual range per figure for a period, from its approved figures of the periods before.

An import of a whole quarter checks 200,000 figures against their units' history. Reading that
history (a million figures) took longer than the rest of the import, so the ranges are kept: when a
report is approved or reopened, its unit's ranges for the following periods are computed again and
stored, one row per unit and period (`UsualRanges`). A stored row names its basis, the approved
reports (and their versions) it came from; when the approved history has changed in any other way
(a bulk approval, a report deleted) the basis no longer matches, the row is ignored and the ranges
are computed from the history as before. So the stored rows can only make an import faster, never
make it judge by stale figures.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np
from django.db import connection, transaction
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status, UsualRanges
from lotrinh.reporting.queries import HISTORY_PERIODS, expected_units
from lotrinh.reporting.validation import UsualRange, usual_ranges_of_rows

# unit id -> data element id -> range
RangesByUnit = dict[int, dict[int, UsualRange]]

_REPORTS_PER_READ = 4_000
_HISTORY_ROW = np.dtype([("report", "i8"), ("element", "i8"), ("value", "f8")])


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
    return {
        unit_id: _as_dict(triples)
        for unit_id, triples in usual_range_triples(regime, period, unit_ids).items()
    }


def usual_range_triples(
    regime: ReportingRegime, period: Period, unit_ids: list[int]
) -> dict[int, np.ndarray]:
    """usual_ranges, each unit's as an (n, 3) float array of (data element id, low, high) rows:
    the form kept ones are stored in, read without a Python object per range."""
    earlier = earlier_periods(regime, period)
    if not earlier or not unit_ids:
        return {}
    reports = _history_reports(regime, earlier, unit_ids)
    bases = {unit_id: _basis(found) for unit_id, found in reports.items()}
    triples: dict[int, np.ndarray] = {}
    kept = UsualRanges.objects.filter(
        regime=regime, period=period, org_unit_id__among=list(reports)
    ).values_list("org_unit_id", "basis", "ranges")
    for unit_id, basis, stored in kept:
        if bases.get(unit_id) == basis:
            triples[unit_id] = _from_bytes(stored)
    stale = [unit_id for unit_id in reports if unit_id not in triples]
    if stale:
        computed = _computed(earlier, {unit_id: reports[unit_id] for unit_id in stale})
        for unit_id in stale:  # a unit with no figures in its history has no ranges
            if unit_id in computed:
                triples[unit_id] = _triples(computed[unit_id])
    return triples


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
    """usual_range of every series of the units' figures in these reports, all at once with numpy
    (the figures come as plain rows: no per-value converters, no join, no sorting on the server)."""
    owned = sorted(
        (r.pk, unit_id, r.period_id) for unit_id, found in reports.items() for r in found
    )
    if not owned:
        return {}
    report_ids, unit_of, period_of = np.array(owned, dtype=np.int64).T
    # By report, through the (report, element) index, a few thousand reports at a time: on a
    # national table the planner would otherwise scan every figure. No filter on the data element
    # (figures off the form are never asked for): with it, a planner whose statistics lag behind a
    # large import reads the whole element index.
    chunks = (
        DataValue.objects.filter(
            report_id__among=report_ids[start : start + _REPORTS_PER_READ].tolist(),
            value__isnull=False,
        ).values_list("report_id", "data_element_id", Cast("value", FloatField()))
        for start in range(0, len(report_ids), _REPORTS_PER_READ)
    )
    rows = itertools.chain.from_iterable(_plain_rows(chunk) for chunk in chunks)
    table = np.fromiter(rows, dtype=_HISTORY_ROW)
    if not len(table):
        return {}
    owner = np.searchsorted(report_ids, table["report"])
    age = np.full(max(earlier) + 1, 0)
    age[earlier] = np.arange(len(earlier))  # 0 = the latest period
    found = usual_ranges_of_rows(
        unit_of[owner], table["element"], age[period_of[owner]], table["value"]
    )
    ranges: RangesByUnit = defaultdict(dict)
    for (unit_id, element_id), usual in found.items():
        ranges[unit_id][element_id] = usual
    return ranges


def _plain_rows(query: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    """The query's rows as the database driver gives them (a million figures: no converters)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50_000):
            yield from chunk


def _triples(ranges: dict[int, UsualRange]) -> np.ndarray:
    return np.array(
        [(element_id, low, high) for element_id, (low, high) in ranges.items()], dtype="<f8"
    ).reshape(-1, 3)


def _encode(ranges: dict[int, UsualRange]) -> bytes:
    return _triples(ranges).tobytes()


def _from_bytes(stored: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(stored, dtype="<f8").reshape(-1, 3)


def _as_dict(triples: np.ndarray) -> dict[int, UsualRange]:
    elements = triples[:, 0].astype(np.int64).tolist()
    return dict(
        zip(elements, zip(triples[:, 1].tolist(), triples[:, 2].tolist(), strict=True), strict=True)
    )


def _decode(stored: bytes | memoryview) -> dict[int, UsualRange]:
    return _as_dict(_from_bytes(stored))
