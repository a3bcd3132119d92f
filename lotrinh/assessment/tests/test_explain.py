"""Every status × kind of target × unit × deadline gets the status and the exact sentence listed in
docs/assessment.md, in Vietnamese and English (the table there is these tests' expected output)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from lotrinh.assessment.explain import explain, method_label, note_label, source_label
from lotrinh.assessment.models import Assessment
from lotrinh.assessment.scoring import Point, Result, assess
from lotrinh.assessment.services import _bounded, _goal
from lotrinh.indicators.models import Indicator, Target

DOC = Path(__file__).resolve().parents[3] / "docs" / "assessment.md"
NOW = 2026.9  # November 2026: 2025 deadlines have passed, 2030 ones have not


@dataclass(frozen=True)
class Kind:
    """A target as the sample programmes write it."""

    comparator: str
    value: str
    unit: str
    unit_kind: str
    direction: str = "increase"
    value_max: str | None = None
    strict: bool = False
    rank_total: int | None = None
    period: str = ""
    name: str = "Tỷ lệ"


FLOOR = Kind(">=", "90", "%", "percent")
STRICT = Kind(">=", "400", "doanh nghiệp", "count", strict=True)
CEILING = Kind("<=", "5", "%", "percent", direction="decrease")
RANK = Kind("<=", "15", "rank", "rank", direction="decrease", rank_total=63)
TOP3 = Kind("<=", "3", "rank", "rank", direction="decrease", rank_total=63)
ABOUT = Kind("~", "20", "%GRDP", "grdp_share")
RANGE = Kind("=", "15", "%GRDP", "grdp_share", value_max="20")
MONEY = Kind(">=", "1000", "tỷ đồng", "count")
INDEX = Kind(">=", "0.8", "điểm (0-1)", "index")
PEOPLE = Kind("=", "5000", "người", "count")
ANNUAL = Kind(">=", "2", "%", "percent", period="annual")

# case: (kind, deadline or None, [(year, value)], method)
CASES: dict[str, tuple[Kind, int | None, list[tuple[int, float]], str]] = {
    "floor-achieved": (FLOOR, 2030, [(2021, 60), (2025, 92)], "statcan_cagr"),
    "floor-achieved-deadline": (FLOOR, 2025, [(2021, 60), (2025, 91)], "statcan_cagr"),
    "floor-not-achieved": (FLOOR, 2025, [(2021, 60), (2025, 85)], "statcan_cagr"),
    "floor-on-track": (FLOOR, 2030, [(2021, 60), (2025, 75)], "statcan_cagr"),
    "floor-acceleration": (FLOOR, 2030, [(2021, 60), (2025, 68)], "statcan_cagr"),
    "floor-limited": (FLOOR, 2030, [(2021, 60), (2025, 62)], "statcan_cagr"),
    "floor-deterioration": (FLOOR, 2030, [(2021, 60), (2025, 55)], "statcan_cagr"),
    "strict-achieved": (STRICT, 2030, [(2021, 300), (2025, 420)], "statcan_cagr"),
    "strict-achieved-deadline": (STRICT, 2025, [(2021, 300), (2025, 401)], "statcan_cagr"),
    "strict-not-achieved": (STRICT, 2025, [(2021, 300), (2025, 400)], "statcan_cagr"),
    "strict-on-track": (STRICT, 2030, [(2021, 200), (2025, 300)], "statcan_cagr"),
    "strict-acceleration": (STRICT, 2030, [(2021, 200), (2025, 260.4)], "statcan_cagr"),
    "strict-limited": (STRICT, 2030, [(2021, 200), (2025, 210)], "statcan_cagr"),
    "strict-deterioration": (STRICT, 2030, [(2021, 200), (2025, 180)], "statcan_cagr"),
    "ceiling-achieved": (CEILING, 2030, [(2021, 12), (2025, 4)], "statcan_cagr"),
    "ceiling-achieved-deadline": (CEILING, 2025, [(2021, 12), (2025, 5)], "statcan_cagr"),
    "ceiling-not-achieved": (CEILING, 2025, [(2021, 12), (2025, 7)], "statcan_cagr"),
    "ceiling-on-track": (CEILING, 2030, [(2021, 20), (2025, 10)], "statcan_cagr"),
    "ceiling-acceleration": (CEILING, 2030, [(2021, 20), (2025, 13)], "statcan_cagr"),
    "ceiling-limited": (CEILING, 2030, [(2021, 20), (2025, 19)], "statcan_cagr"),
    "ceiling-deterioration": (CEILING, 2030, [(2021, 20), (2025, 22)], "statcan_cagr"),
    "rank-achieved": (RANK, 2030, [(2021, 30), (2025, 12)], "statcan_cagr"),
    "rank-achieved-deadline": (RANK, 2025, [(2021, 30), (2025, 15)], "statcan_cagr"),
    "rank-not-achieved": (RANK, 2025, [(2021, 30), (2025, 20)], "statcan_cagr"),
    "rank-on-track": (RANK, 2030, [(2021, 40), (2025, 25)], "statcan_cagr"),
    "rank-acceleration": (RANK, 2030, [(2021, 40), (2025, 30)], "statcan_cagr"),
    "rank-limited": (RANK, 2030, [(2021, 40), (2025, 38)], "statcan_cagr"),
    "rank-deterioration": (RANK, 2030, [(2021, 40), (2025, 45)], "statcan_cagr"),
    "rank-on-track-to-first": (TOP3, 2030, [(2021, 40), (2025, 5)], "statcan_cagr"),
    "about-achieved": (ABOUT, 2030, [(2021, 10), (2025, 20.5)], "statcan_cagr"),
    "about-achieved-deadline": (ABOUT, 2025, [(2021, 10), (2025, 19.5)], "statcan_cagr"),
    "about-not-achieved-below": (ABOUT, 2025, [(2021, 10), (2025, 15)], "statcan_cagr"),
    "about-not-achieved-above": (ABOUT, 2025, [(2021, 10), (2025, 25)], "statcan_cagr"),
    "about-on-track": (ABOUT, 2030, [(2021, 10), (2025, 13.5)], "statcan_cagr"),
    "about-acceleration": (ABOUT, 2030, [(2021, 10), (2025, 12.5)], "statcan_cagr"),
    "about-limited": (ABOUT, 2030, [(2021, 10), (2025, 10.5)], "statcan_cagr"),
    "about-deterioration": (ABOUT, 2030, [(2021, 10), (2025, 9)], "statcan_cagr"),
    "about-adjustment": (ABOUT, 2030, [(2021, 10), (2025, 25)], "statcan_cagr"),
    "about-adjustment-forecast": (ABOUT, 2030, [(2021, 10), (2025, 16)], "statcan_cagr"),
    "range-achieved": (RANGE, 2030, [(2021, 8), (2025, 16)], "statcan_cagr"),
    "range-achieved-deadline": (RANGE, 2025, [(2021, 8), (2025, 17)], "statcan_cagr"),
    "range-not-achieved-below": (RANGE, 2025, [(2021, 8), (2025, 12)], "statcan_cagr"),
    "range-not-achieved-above": (RANGE, 2025, [(2021, 8), (2025, 24)], "statcan_cagr"),
    "range-on-track": (RANGE, 2030, [(2021, 8), (2025, 11)], "statcan_cagr"),
    "range-acceleration": (RANGE, 2030, [(2021, 8), (2025, 10)], "statcan_cagr"),
    "range-limited": (RANGE, 2030, [(2021, 8), (2025, 8.5)], "statcan_cagr"),
    "range-deterioration": (RANGE, 2030, [(2021, 8), (2025, 7)], "statcan_cagr"),
    "range-adjustment": (RANGE, 2030, [(2021, 8), (2025, 24)], "statcan_cagr"),
    "range-adjustment-forecast": (RANGE, 2030, [(2021, 5), (2025, 12)], "statcan_cagr"),
    "money-acceleration": (MONEY, 2030, [(2021, 500), (2025, 620.44)], "statcan_cagr"),
    "index-on-track": (INDEX, 2030, [(2021, 0.4567), (2025, 0.6123)], "statcan_cagr"),
    "count-limited-no-year": (PEOPLE, None, [(2021, 1000), (2025, 1050.6)], "statcan_cagr"),
    "annual-not-met": (ANNUAL, None, [(2024, 2.5), (2025, 1.44)], "statcan_cagr"),
    "one-point": (FLOOR, 2030, [(2025, 40)], "statcan_cagr"),
    "floor-acceleration-unsd-cr": (FLOOR, 2030, [(2021, 60), (2025, 68)], "unsd_cr_2022"),
    "floor-acceleration-projection": (
        FLOOR,
        2030,
        [(2021, 60), (2025, 68)],
        "unsd_projection_2023",
    ),
    "floor-acceleration-linear": (FLOOR, 2030, [(2021, 60), (2025, 68)], "linear_pacing"),
}


def _target(kind: Kind, year: int | None) -> Target:
    indicator = Indicator(
        name=kind.name, unit=kind.unit, unit_kind=kind.unit_kind, direction=kind.direction
    )
    return Target(
        indicator=indicator,
        indicator_name=kind.name,
        year=year,
        comparator=kind.comparator,
        is_strict=kind.strict,
        value=Decimal(kind.value),
        value_max=Decimal(kind.value_max) if kind.value_max else None,
        unit=kind.unit,
        rank_total=kind.rank_total,
        period=kind.period,
    )


def _stored(target: Target, result: Result) -> Assessment:
    """The assessment as the service keeps it (without a database)."""
    result = _bounded(target, result)
    return Assessment(
        target=target,
        method=result.method,
        status=str(result.status),
        reason=result.reason,
        base_year=result.base.year if result.base else None,
        base_value=result.base.value if result.base else None,
        latest_year=result.latest.year if result.latest else None,
        latest_value=result.latest.value if result.latest else None,
        target_year=result.target_year,
        target_value=result.target_value,
        ratio=result.ratio,
        forecast_year=result.forecast.year if result.forecast else None,
        forecast_value=result.forecast.value if result.forecast else None,
        deadline_passed=result.deadline_passed,
    )


def assessed(case: str) -> Assessment:
    kind, year, pairs, method = CASES[case]
    target = _target(kind, year)
    points = [Point(y, v) for y, v in pairs]
    return _stored(target, assess(points, _goal(target), NOW, method))


def documented() -> dict[str, tuple[str, str, str]]:
    """Rows of the sentence table in docs/assessment.md: case → (status, Vietnamese, English)."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"`[a-z0-9-]+`", cells[0]):
            rows[cells[0].strip("`")] = (cells[2].strip("`"), cells[3], cells[4])
    return rows


def test_the_documentation_lists_exactly_the_tested_cases():
    assert sorted(documented()) == sorted(CASES)


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_gets_its_documented_status_and_sentences(case):
    status, vietnamese, english = documented()[case]
    assessment = assessed(case)
    assert assessment.status == status
    with translation.override("vi"):
        assert explain(assessment) == vietnamese
    with translation.override("en"):
        assert explain(assessment) == english


@pytest.mark.parametrize("case", list(CASES))
def test_no_sentence_contradicts_its_status(case):
    """A passed deadline never asks for acceleration; a strict target is never "reached" at its very
    figure; a count is never shown with decimals; no raw ratio is shown."""
    assessment = assessed(case)
    with translation.override("vi"):
        sentence = explain(assessment)
    if assessment.deadline_passed:
        assert assessment.status in {"achieved", "not_achieved"} and "tăng tốc" not in sentence
    if assessment.target.is_strict and assessment.status != "achieved":
        assert "chưa vượt" in sentence or assessment.status != "not_achieved"
    if assessment.target.unit == "doanh nghiệp":
        assert not re.search(r"\d,\d+ doanh nghiệp", sentence)
    assert "tỷ lệ tiến độ" not in sentence


def test_codes_are_said_in_words_in_both_languages():
    with translation.override("vi"):
        assert method_label("statcan_cagr").startswith("tăng trưởng hằng năm so với mức cần")
        assert "1/7/2025" in note_label("approximate_split_communes")
        assert source_label("reports") == "báo cáo đã duyệt"
        assert source_label("published") == "số liệu công bố"
    with translation.override("en"):
        assert "Statistics Canada" in method_label("statcan_cagr")
        assert note_label("no_district_tier_after_reform").startswith("Districts no longer exist")
