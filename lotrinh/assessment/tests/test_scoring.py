"""The worked examples of the progress-methods note (§3.5) as test vectors, and each comparator."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.assessment.scoring import (
    Goal,
    Point,
    Status,
    assess,
    statcan_cagr,
    unsd_cr_2022,
    unsd_projection_2023,
)

NOW = 2026.9


def series(*pairs):
    return [Point(year, value) for year, value in pairs]


CASE_A = (series((2015, 40), (2022, 52)), Goal(80, ">=", 1, 2030))
CASE_B = (series((2015, 22.0), (2023, 19.4)), Goal(15, "<=", -1, 2030))
CASE_C = (series((2015, 40), (2022, 38)), Goal(80, ">=", 1, 2030))


def test_case_a_coverage_rising_needs_acceleration_under_every_method():
    points, goal = CASE_A
    statcan = statcan_cagr(points, goal, 2024)
    assert round(statcan.cagr_actual, 5) == 0.03819 and round(statcan.cagr_required, 5) == 0.04729
    assert round(statcan.ratio, 4) == 0.8075 and round(statcan.score, 3) == 1.482
    assert statcan.status == Status.ACCELERATION_NEEDED
    cr = unsd_cr_2022(points, goal, 2024)
    assert round(cr.ratio, 4) == 0.8075 and cr.status == Status.ACCELERATION_NEEDED
    projection = unsd_projection_2023(points, goal, 2024)
    assert round(projection.forecast.value, 3) == 70.182 and round(projection.ratio, 4) == 0.7545
    assert projection.status == Status.ACCELERATION_NEEDED


def test_case_b_falling_mortality_lower_is_better():
    points, goal = CASE_B
    statcan = statcan_cagr(points, goal, 2024)
    assert round(statcan.cagr_actual, 5) == -0.01560 and round(statcan.cagr_required, 5) == -0.02521
    assert round(statcan.ratio, 4) == 0.6187 and round(statcan.score, 3) == 0.134
    assert statcan.status == Status.ACCELERATION_NEEDED
    assert round(unsd_cr_2022(points, goal, 2024).ratio, 4) == 0.6187
    projection = unsd_projection_2023(points, goal, 2024)
    assert round(projection.forecast.value, 3) == 17.378 and round(projection.ratio, 4) == 0.6602


def test_case_c_regression_is_deterioration():
    points, goal = CASE_C
    statcan = statcan_cagr(points, goal, 2024)
    assert round(statcan.ratio, 4) == -0.1544 and round(statcan.score, 3) == -3.143
    assert statcan.status == Status.DETERIORATION
    assert unsd_cr_2022(points, goal, 2024).status == Status.DETERIORATION
    projection = unsd_projection_2023(points, goal, 2024)
    assert round(projection.forecast.value, 3) == 35.836 and round(projection.ratio, 4) == -0.1041
    assert projection.status == Status.DETERIORATION


def test_a_latest_value_meeting_the_target_is_achieved():
    result = assess(series((2021, 60), (2024, 91)), Goal(90, ">=", 1, 2025), 2025)
    assert result.status == Status.ACHIEVED and result.score == 5


def test_strictly_above_needs_more_than_the_figure():
    assert (
        assess(series((2021, 80), (2024, 95)), Goal(95, ">=", 1, 2025, strict=True), 2025).status
        != Status.ACHIEVED
    )
    assert (
        assess(series((2021, 80), (2024, 95.1)), Goal(95, ">=", 1, 2025, strict=True), 2025).status
        == Status.ACHIEVED
    )


def test_a_rank_target_is_met_from_above():
    assert (
        assess(series((2020, 42), (2024, 14)), Goal(15, "<=", -1, 2025), 2025).status
        == Status.ACHIEVED
    )
    falling_behind = assess(series((2020, 42), (2024, 51)), Goal(15, "<=", -1, 2025), 2025)
    assert falling_behind.status == Status.DETERIORATION


def test_about_counts_within_five_percent():
    assert (
        assess(series((2021, 10), (2024, 19.2)), Goal(20, "~", 1, 2025), 2025).status
        == Status.ACHIEVED
    )
    assert (
        assess(series((2021, 10), (2024, 18.5)), Goal(20, "~", 1, 2025), 2025).status
        != Status.ACHIEVED
    )


def test_a_range_is_met_inside_it():
    goal = Goal(15, "=", 1, 2030, value_max=20)
    assert assess(series((2021, 8), (2025, 16)), goal, NOW).status == Status.ACHIEVED
    assert assess(series((2021, 8), (2025, 10)), goal, NOW).status in {
        Status.ACCELERATION_NEEDED,
        Status.LIMITED,
    }


def test_an_annual_floor_is_judged_on_the_latest_year():
    goal = Goal(2, ">=", 1, None, annual=True)
    assert assess(series((2024, 2.5), (2025, 2.1)), goal, NOW).status == Status.ACHIEVED
    missed = assess(series((2024, 2.5), (2025, 1.4)), goal, NOW)
    assert missed.status == Status.LIMITED and missed.reason == "annual_target"


def test_a_target_without_a_year_is_assessed_against_the_horizon():
    result = assess(series((2021, 10), (2025, 30)), Goal(50, ">=", 1, None), NOW)
    assert result.target_year == 2030 and result.status == Status.ON_TRACK


def test_a_passed_deadline_uses_the_data_up_to_it():
    result = assess(series((2021, 50), (2025, 70), (2026, 95)), Goal(90, ">=", 1, 2025), NOW)
    assert (
        result.deadline_passed
        and result.latest == Point(2025, 70)
        and result.status != Status.ACHIEVED
    )


def test_one_point_is_insufficient_data_with_the_reason():
    result = assess(series((2025, 40)), Goal(80, ">=", 1, 2030), NOW)
    assert result.status == Status.INSUFFICIENT_DATA and result.reason == "one_point"
    assert assess([], Goal(80), NOW).reason == "no_data"


def test_a_zero_base_is_replaced_as_open_sdg_does():
    result = statcan_cagr(series((2021, 0), (2025, 20)), Goal(50, ">=", 1, 2030), NOW)
    assert result.status in {Status.ON_TRACK, Status.ACCELERATION_NEEDED}


def test_linear_pacing_compares_with_the_straight_line():
    result = assess(
        series((2021, 0), (2025, 60)), Goal(100, ">=", 1, 2030), NOW, method="linear_pacing"
    )
    assert round(result.ratio, 3) == round(60 / (100 * 4 / 9), 3)
    assert result.status == Status.ON_TRACK


@pytest.mark.parametrize(
    "method", ["statcan_cagr", "unsd_cr_2022", "unsd_projection_2023", "linear_pacing"]
)
@given(
    st.lists(st.tuples(st.integers(2015, 2030), st.floats(0.01, 1e6)), min_size=0, max_size=8),
    st.floats(0.01, 1e6),
    st.sampled_from([">=", "<=", "~", "="]),
)
def test_every_method_returns_a_status_for_any_positive_series(method, pairs, target, comparator):
    points = [Point(year, value) for year, value in dict(pairs).items()]
    result = assess(
        points, Goal(target, comparator, 1 if comparator != "<=" else -1, 2030), NOW, method=method
    )
    assert result.status in set(Status)


@pytest.mark.parametrize(
    "pairs",
    [
        ((2021, 30), (2025, 50)),  # reached the figure but not above it
        ((2021, 60), (2025, 40)),  # fell back
        ((2025, 45),),  # one figure is enough once the deadline has passed
    ],
)
def test_after_the_deadline_a_target_missed_is_not_achieved_whatever_the_trend(pairs):
    result = assess(series(*pairs), Goal(50, ">=", 1, 2025, strict=True), NOW)
    assert result.status == Status.NOT_ACHIEVED and result.deadline_passed


def test_after_the_deadline_a_target_met_is_achieved():
    result = assess(series((2021, 30), (2025, 51)), Goal(50, ">=", 1, 2025, strict=True), NOW)
    assert result.status == Status.ACHIEVED and result.deadline_passed


def test_a_range_already_overshot_needs_adjustment():
    goal = Goal(15, "=", 1, 2030, value_max=20)
    result = assess(series((2021, 8), (2025, 24)), goal, NOW)
    assert result.status == Status.ADJUSTMENT_NEEDED


def test_a_range_whose_forecast_passes_its_ceiling_is_not_on_track():
    """From 5 % to 12 % in four years, the trend reaches about 40 % by 2030: beyond 15–20 %."""
    goal = Goal(15, "=", 1, 2030, value_max=20)
    result = assess(series((2021, 5), (2025, 12)), goal, NOW)
    assert result.forecast.value > 20 and result.status == Status.ADJUSTMENT_NEEDED
    slower = assess(series((2021, 8), (2025, 11)), goal, NOW)
    assert 15 <= slower.forecast.value <= 20 and slower.status == Status.ON_TRACK


def test_an_about_target_overshot_needs_adjustment():
    goal = Goal(20, "~", 1, 2030)
    assert assess(series((2021, 10), (2025, 25)), goal, NOW).status == Status.ADJUSTMENT_NEEDED
    assert assess(series((2021, 10), (2025, 20.9)), goal, NOW).status == Status.ACHIEVED


def test_a_range_missed_at_the_deadline_from_above_is_not_achieved():
    goal = Goal(15, "=", 1, 2025, value_max=20)
    assert assess(series((2021, 8), (2025, 24)), goal, NOW).status == Status.NOT_ACHIEVED
