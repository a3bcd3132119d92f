"""Progress-to-target methods, as pure functions over a series of (year, value) points.

Methods (see docs/assessment.md and the design note on progress methods):
- ``statcan_cagr`` (default): Statistics Canada / Open SDG, CAGR ratio R = s·d·CAGR_i / |CAGR_T|,
  thresholds 0.95 / 0.60 / 0, score in [−5, 5].
- ``unsd_cr_2022``: UNSD Progress Chart 2022, CR = CAGR_a / CAGR_r, thresholds 0.95 / 0.5 / −0.10.
- ``unsd_projection_2023``: UNSD 2023 / Eustat, projected 2030 value vs required change, 0.95 / 0.10.
- ``linear_pacing``: "expected by now" pacing for counts and milestones: progress made ÷ progress
  expected at this date on a straight line from base to target.

Every result keeps all its inputs and intermediate figures, so a status can always be explained.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

METHOD_VERSION = "2026.11"
ZERO_REPLACEMENT = 0.001  # Open SDG replaces a zero base or target by 0.001
ABOUT_TOLERANCE = 0.05  # "khoảng x": within ±5 % of x counts as reached


class Status(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"  # the deadline has passed and the target was not met
    ON_TRACK = "on_track"
    ADJUSTMENT_NEEDED = "adjustment_needed"  # a range or "about" target overshot, or about to be
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class Point:
    year: float  # decimal years are allowed (2025.5 for mid-2025)
    value: float


@dataclass(frozen=True)
class Goal:
    """What a target asks for, as the assessment reads it.

    `comparator`: ">=" floor, "<=" ceiling (ranks), "~" about, "=" plain statement (read in the
    indicator's desired direction), with `value_max` for a range. `year` None means no deadline
    (assessed against `horizon`); `annual` means the figure must be met every year.
    """

    value: float
    comparator: str = ">="
    direction: int = 1
    year: int | None = None
    value_max: float | None = None
    strict: bool = False
    annual: bool = False
    horizon: int = 2030


@dataclass(frozen=True)
class Result:
    method: str
    status: Status
    version: str = METHOD_VERSION
    reason: str = ""
    base: Point | None = None
    latest: Point | None = None
    target_year: float | None = None
    target_value: float | None = None
    cagr_actual: float | None = None
    cagr_required: float | None = None
    ratio: float | None = None
    score: float | None = None
    forecast: Point | None = None
    gap: float | None = None
    deadline_passed: bool = False
    notes: list[str] = field(default_factory=list)


def cagr(first: Point, last: Point) -> float:
    """Compound annual growth rate between two points (both values must be positive)."""
    return (last.value / first.value) ** (1 / (last.year - first.year)) - 1


def reached(goal: Goal, value: float) -> bool:
    """Whether a value meets the goal, under its comparator (and tolerance for "about")."""
    if goal.value_max is not None:
        return goal.value <= value <= goal.value_max
    if goal.comparator == "~":
        return abs(value - goal.value) <= ABOUT_TOLERANCE * abs(goal.value)
    wants_more = goal.comparator == ">=" or (goal.comparator in {"=", "~"} and goal.direction > 0)
    if wants_more:
        return value > goal.value if goal.strict else value >= goal.value
    return value <= goal.value


def band(goal: Goal) -> tuple[float, float] | None:
    """The values that meet a range or an "about" target (lowest, highest); None for other comparators."""
    if goal.value_max is not None:
        return goal.value, goal.value_max
    if goal.comparator == "~":
        margin = ABOUT_TOLERANCE * abs(goal.value)
        return goal.value - margin, goal.value + margin
    return None


def overshoots(goal: Goal, value: float) -> bool:
    """Whether a value lies beyond a range or "about" target on the far side of the approach
    (above it when the indicator should rise): more is not better for a band."""
    limits = band(goal)
    if limits is None:
        return False
    return value > limits[1] if goal_direction(goal) > 0 else value < limits[0]


def goal_direction(goal: Goal) -> int:
    """+1 when the target is approached from below, −1 from above."""
    if goal.comparator == ">=":
        return 1
    if goal.comparator == "<=":
        return -1
    return goal.direction


def target_year(goal: Goal) -> int:
    return goal.year if goal.year is not None else goal.horizon


def _series(points: Sequence[Point], goal: Goal, today_year: float) -> tuple[list[Point], bool]:
    """Points sorted by year; after a passed deadline only those up to it count."""
    ordered = sorted(points, key=lambda p: p.year)
    deadline = target_year(goal) + 1  # data for the deadline year itself count
    passed = today_year >= deadline
    if passed:
        ordered = [p for p in ordered if p.year < deadline] or ordered[:1]
    return ordered, passed


def _insufficient(method: str, reason: str, points: Sequence[Point], goal: Goal) -> Result:
    latest = max(points, key=lambda p: p.year) if points else None
    return Result(
        method,
        Status.INSUFFICIENT_DATA,
        reason=reason,
        latest=latest,
        target_year=target_year(goal),
        target_value=goal.value,
    )


def _prepare(
    method: str, points: Sequence[Point], goal: Goal, today_year: float, base: Point | None
) -> Result | tuple[Point, Point, bool]:
    """Pick base and latest points, or say why the series cannot be assessed."""
    ordered, passed = _series(points, goal, today_year)
    if not ordered:
        return _insufficient(method, "no_data", points, goal)
    latest = ordered[-1]
    first = base or ordered[0]
    met = reached(goal, latest.value)
    if met or passed or goal.annual or overshoots(goal, latest.value):
        # After the deadline a target is met or not: a trend would only describe the past.
        if met:
            status = Status.ACHIEVED
        elif passed:
            status = Status.NOT_ACHIEVED
        else:
            status = Status.LIMITED if goal.annual else Status.ADJUSTMENT_NEEDED
        reason = "annual_target" if goal.annual else ""
        return Result(
            method,
            status,
            reason=reason,
            base=first,
            latest=latest,
            target_year=target_year(goal),
            target_value=goal.value,
            deadline_passed=passed,
            score=5.0 if status == Status.ACHIEVED else None,
        )
    if latest.year <= first.year:
        return _insufficient(method, "one_point", points, goal)
    return first, latest, passed


def _positive(value: float) -> float:
    return ZERO_REPLACEMENT if value == 0 else value


def _statcan_score(ratio: float) -> float:
    if ratio >= 0.6:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def _forecast(latest: Point, growth: float, year: float) -> Point:
    try:
        value = latest.value * (1 + growth) ** (year - latest.year)
    except OverflowError:
        value = math.inf
    return Point(year, value)


def _classify(ratio: float, on_track: float, acceleration: float, limited: float) -> Status:
    """Status from a progress ratio and a method's three thresholds (highest first)."""
    if ratio >= on_track:
        return Status.ON_TRACK
    if ratio >= acceleration:
        return Status.ACCELERATION_NEEDED
    return Status.LIMITED if ratio >= limited else Status.DETERIORATION


def _result(
    method: str,
    status: Status,
    first: Point,
    latest: Point,
    goal: Goal,
    passed: bool,
    forecast: Point,
    *,
    ratio: float,
    cagr_actual: float | None = None,
    cagr_required: float | None = None,
    score: float | None = None,
) -> Result:
    """A result with the fields every method fills: points, target, forecast, gap, deadline.
    A forecast beyond a range or "about" target is never on track, however fast the pace."""
    return Result(
        method,
        Status.ADJUSTMENT_NEEDED if overshoots(goal, forecast.value) else status,
        base=first,
        latest=latest,
        target_year=target_year(goal),
        target_value=goal.value,
        cagr_actual=cagr_actual,
        cagr_required=cagr_required,
        ratio=ratio,
        score=score,
        forecast=forecast,
        gap=goal.value - forecast.value,
        deadline_passed=passed,
    )


def statcan_cagr(
    points: Sequence[Point], goal: Goal, today_year: float, base: Point | None = None
) -> Result:
    """Statistics Canada / Open SDG: R = s·d·CAGR_i / |CAGR_T| (thresholds 0.95, 0.60, 0)."""
    prepared = _prepare("statcan_cagr", points, goal, today_year, base)
    if isinstance(prepared, Result):
        return prepared
    first, latest, passed = prepared
    if first.value * latest.value < 0:
        return _insufficient("statcan_cagr", "mixed_signs", points, goal)
    sign = -1 if first.value < 0 or latest.value < 0 else 1
    direction = goal_direction(goal)
    y0, yi, yt = (_positive(abs(v)) for v in (first.value, latest.value, goal.value))
    tt = target_year(goal)
    if tt <= first.year:
        return _insufficient("statcan_cagr", "target_before_base", points, goal)
    growth = cagr(Point(first.year, y0), Point(latest.year, yi))
    required = cagr(Point(first.year, y0), Point(tt, yt))
    if required == 0:
        return _insufficient("statcan_cagr", "no_change_required", points, goal)
    ratio = sign * direction * growth / abs(required)
    status = _classify(ratio, 0.95, 0.6, 0)
    forecast = _forecast(latest, growth, tt)
    return _result(
        "statcan_cagr",
        status,
        first,
        latest,
        goal,
        passed,
        forecast,
        cagr_actual=growth,
        cagr_required=required,
        ratio=ratio,
        score=_statcan_score(ratio),
    )


def unsd_cr_2022(
    points: Sequence[Point], goal: Goal, today_year: float, base: Point | None = None
) -> Result:
    """UNSD Progress Chart 2022: CR = CAGR_a / CAGR_r (thresholds 0.95, 0.5, −0.10)."""
    prepared = _prepare("unsd_cr_2022", points, goal, today_year, base)
    if isinstance(prepared, Result):
        return prepared
    first, latest, passed = prepared
    if first.value <= 0 or latest.value <= 0 or goal.value <= 0:
        return _insufficient("unsd_cr_2022", "cagr_undefined", points, goal)
    tt = target_year(goal)
    growth, required = cagr(first, latest), cagr(first, Point(tt, goal.value))
    if required == 0:
        return _insufficient("unsd_cr_2022", "no_change_required", points, goal)
    ratio = growth / required
    status = _classify(ratio, 0.95, 0.5, -0.10)
    forecast = _forecast(latest, growth, tt)
    return _result(
        "unsd_cr_2022",
        status,
        first,
        latest,
        goal,
        passed,
        forecast,
        cagr_actual=growth,
        cagr_required=required,
        ratio=ratio,
    )


def unsd_projection_2023(
    points: Sequence[Point], goal: Goal, today_year: float, base: Point | None = None
) -> Result:
    """UNSD 2023 / Eustat: ratio = (projected − base) / (target − base) (thresholds 0.95, 0.10)."""
    prepared = _prepare("unsd_projection_2023", points, goal, today_year, base)
    if isinstance(prepared, Result):
        return prepared
    first, latest, passed = prepared
    if first.value <= 0 or latest.value <= 0:
        return _insufficient("unsd_projection_2023", "cagr_undefined", points, goal)
    tt = target_year(goal)
    growth = cagr(first, latest)
    forecast = _forecast(latest, growth, tt)
    if goal.value == first.value:
        return _insufficient("unsd_projection_2023", "no_change_required", points, goal)
    ratio = (forecast.value - first.value) / (goal.value - first.value)
    status = _classify(ratio, 0.95, 0.10, 0)
    return _result(
        "unsd_projection_2023",
        status,
        first,
        latest,
        goal,
        passed,
        forecast,
        cagr_actual=growth,
        ratio=ratio,
    )


def linear_pacing(
    points: Sequence[Point], goal: Goal, today_year: float, base: Point | None = None
) -> Result:
    """Expected by now: (latest − base) / (expected at the latest date on a straight line − base)."""
    prepared = _prepare("linear_pacing", points, goal, today_year, base)
    if isinstance(prepared, Result):
        return prepared
    first, latest, passed = prepared
    tt = target_year(goal)
    if tt <= first.year or goal.value == first.value:
        return _insufficient("linear_pacing", "no_change_required", points, goal)
    expected_now = first.value + (goal.value - first.value) * min(
        1.0, (latest.year - first.year) / (tt - first.year)
    )
    ratio = (latest.value - first.value) / (expected_now - first.value)
    status = _classify(ratio, 0.95, 0.6, 0)
    slope = (latest.value - first.value) / (latest.year - first.year)
    forecast = Point(tt, latest.value + slope * (tt - latest.year))
    return _result("linear_pacing", status, first, latest, goal, passed, forecast, ratio=ratio)


Method = Callable[[Sequence[Point], Goal, float, Point | None], Result]
METHODS: dict[str, Method] = {
    "statcan_cagr": statcan_cagr,
    "unsd_cr_2022": unsd_cr_2022,
    "unsd_projection_2023": unsd_projection_2023,
    "linear_pacing": linear_pacing,
}
DEFAULT_METHOD = "statcan_cagr"


def assess(
    points: Sequence[Point],
    goal: Goal,
    today_year: float,
    method: str = DEFAULT_METHOD,
    base: Point | None = None,
) -> Result:
    """Assess a series against a goal with a named method."""
    return METHODS[method](points, goal, today_year, base)
