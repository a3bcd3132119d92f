"""Checking reported figures: types, ranges, rules across fields, outliers."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.reporting.validation import (
    ElementSpec,
    RuleSpec,
    check_report,
    is_outlier,
    parse_number,
    usual_range,
)

COUNT = ElementSpec("tong", "integer")
PART = ElementSpec("dien_tu", "integer")
RULE = RuleSpec(
    "le-total", "dien_tu <= tong", "error", "Không được lớn hơn tổng.", "Cannot exceed the total."
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.234", 1234),
        ("1 234", 1234),
        ("7,5", Decimal("7.5")),
        ("1.234,5", Decimal("1234.5")),
        ("2.000", 2000),
        ("0.5", Decimal("0.5")),
        ("", None),
        (12, 12),
    ],
)
def test_numbers_are_read_the_way_people_type_them(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["abc", "12a", "nan", "inf", "1,2,3.4.5"])
def test_text_that_is_not_a_number_is_refused(raw):
    with pytest.raises(ValueError):
        parse_number(raw)


@given(st.integers(0, 10**12))
def test_vietnamese_thousands_separators_round_trip(number):
    assert parse_number(f"{number:,}".replace(",", ".")) == number


def issues_of(raw):
    return {(i.field, i.code) for i in check_report(raw, [COUNT, PART], [RULE]).issues}


def test_non_numeric_and_negative_counts_are_errors_next_to_their_field():
    assert issues_of({"tong": "nhiều", "dien_tu": "-3"}) == {
        ("tong", "not_a_number"),
        ("dien_tu", "negative"),
    }


def test_a_count_cannot_have_decimals():
    assert ("tong", "not_whole") in issues_of({"tong": "10,5", "dien_tu": "3"})


def test_numerator_above_denominator_breaks_the_rule_on_both_fields():
    assert issues_of({"tong": "10", "dien_tu": "12"}) == {
        ("tong", "le-total"),
        ("dien_tu", "le-total"),
    }


def test_a_rule_with_a_missing_figure_is_left_to_the_required_check():
    assert issues_of({"tong": "10"}) == {("dien_tu", "required")}


def test_messages_exist_in_both_languages():
    issue = check_report({"tong": "x", "dien_tu": "1"}, [COUNT, PART], []).issues[0]
    assert issue.message("vi") != issue.message("en") and "number" in issue.message("en")


def test_percentages_stay_between_0_and_100():
    spec = ElementSpec("ty_le", "percent")
    assert {i.code for i in check_report({"ty_le": "120"}, [spec], []).issues} == {"over_100"}


def test_outliers_are_judged_against_the_units_own_history():
    history = [Decimal(v) for v in (100, 104, 98, 101, 103)]
    assert is_outlier(Decimal(400), history)
    assert not is_outlier(Decimal(110), history)
    assert is_outlier(Decimal(50), [Decimal(200)])  # few points: a third of the last value
    assert not is_outlier(Decimal(5), [])


def test_outliers_are_warnings_not_errors():
    result = check_report(
        {"tong": "900", "dien_tu": "1"}, [COUNT, PART], [], {"tong": [Decimal(100)] * 4}
    )
    assert [(i.field, i.severity) for i in result.issues] == [("tong", "warning")]


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], None),
        ([Decimal(90)], (30.0, 270.0)),  # one or two past figures: a third to three times the last
        ([Decimal(10), Decimal(0)], (-math.inf, 10.0)),  # after a zero: up to 10
        ([Decimal(100)] * 4, (60.0, 140.0)),  # median ± 4 × max(1.4826 MAD, 10% of median, 1)
    ],
)
def test_usual_range_of_a_unit_s_history(history, expected):
    assert usual_range(history) == expected
