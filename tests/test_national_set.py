"""The national-scale benchmark set (bench/national_set.py), built for one small province.

Lai Châu (GSO 12) was not merged in 2025: 8 districts and 106 communes before the reform, 38
communes after, plus the agencies the generator adds (5 legacy, 20 current). Four quarters of 2025
keep the run to about 21,000 figures.
"""

from __future__ import annotations

import datetime
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Q

from lotrinh.indicators.models import Computation, DataElement, Indicator
from lotrinh.orgunits.models import Structure
from lotrinh.reporting.models import DataValue, Report, ReportingRegime, Status

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import national_set  # noqa: E402

TODAY = datetime.date(2026, 1, 20)  # 2025Q4 (counted until 14/12/2025) is the last closed quarter
SINCE = datetime.date(2025, 1, 1)
LEGACY_UNITS = 8 + 106 + 5
CURRENT_UNITS = 38 + 20


@pytest.fixture
def summary(db: None) -> national_set.Summary:
    return national_set.generate(provinces=["12"], today=TODAY, since=SINCE, log=lambda _line: None)


def _reports() -> list[Report]:
    return list(
        Report.objects.filter(regime__code=national_set.REGIME)
        .filter(
            Q(org_unit__path__startswith="legacy/12/") | Q(org_unit__path__startswith="2025/12/")
        )
        .select_related("period", "org_unit")
    )


def test_totals_are_exact_and_a_second_run_adds_nothing(summary: national_set.Summary) -> None:
    assert (summary.legacy_units, summary.current_units) == (LEGACY_UNITS, CURRENT_UNITS)
    assert (summary.agencies_added, summary.elements, summary.periods) == (25, 60, 4)
    assert summary.reports == 2 * LEGACY_UNITS + 2 * CURRENT_UNITS
    assert summary.values == summary.reports * 60
    assert len(_reports()) == summary.reports
    again = national_set.generate(provinces=["12"], today=TODAY, since=SINCE, log=lambda _l: None)
    assert (again.agencies_added, again.reports, again.values) == (0, 0, 0)


def test_legacy_units_report_until_2025q2_and_current_units_after(
    summary: national_set.Summary,
) -> None:
    periods: dict[str, set[str]] = defaultdict(set)
    for report in _reports():
        periods[report.org_unit.structure].add(report.period.code)
    assert periods[Structure.LEGACY] == {"2025Q1", "2025Q2"}
    assert periods[Structure.CURRENT] == {"2025Q3", "2025Q4"}


def test_every_report_is_approved_illustrative_and_fills_the_60_element_form(
    summary: national_set.Summary,
) -> None:
    regime = ReportingRegime.objects.get(code=national_set.REGIME)
    codes = list(regime.fields.values_list("data_element__code", flat=True))
    assert len(codes) == 60
    assert {"tong_ho_so_cong_viec", "ho_so_cong_viec_dien_tu", "tong_so_xa"} <= set(codes)
    assert sum(code.startswith("bench_") for code in codes) > 0
    assert regime.scopes.filter(code="12").count() == 2  # both structures
    reports = _reports()
    assert {(r.status, r.is_illustrative) for r in reports} == {(Status.APPROVED, True)}
    assert all(r.submitted_at and r.decided_at and r.submitted_at <= r.decided_at for r in reports)
    per_report = DataValue.objects.filter(report__in=reports).values("report").distinct().count()
    assert per_report == len(reports)


def test_numerators_never_exceed_their_denominators(summary: national_set.Summary) -> None:
    figures: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    rows = DataValue.objects.filter(report__in=_reports()).values_list(
        "report_id", "data_element_id", "value"
    )
    for report, element, value in rows:
        figures[report][element] = value
    pairs = list(
        Indicator.objects.filter(computation=Computation.RATIO).values_list(
            "numerator_id", "denominator_id"
        )
    )
    ids = dict(DataElement.objects.filter(code__startswith="bench_").values_list("code", "pk"))
    pairs += [(ids[c], ids[c.replace("_so_", "_tong_")]) for c in ids if c.startswith("bench_so_")]
    checked = 0
    for values in figures.values():
        for numerator, denominator in pairs:
            if numerator in values and denominator in values:
                low, high = values[numerator], values[denominator]
                assert low is not None and high is not None and 0 <= low <= high
                checked += 1
    assert checked > 20 * len(figures)
