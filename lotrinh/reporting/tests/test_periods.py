"""Periods and cut-off windows (Decree 09/2019/NĐ-CP, Điều 12)."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.reporting.periods import (
    parse_period_code,
    period_containing,
    period_label,
    period_spec,
    periods_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("frequency", "year", "number", "code", "cutoff"),
    [
        ("quarterly", 2025, 2, "2025Q2", (D(2025, 3, 15), D(2025, 6, 14))),
        ("annual", 2025, 1, "2025", (D(2024, 12, 15), D(2025, 12, 14))),
        ("monthly", 2025, 6, "202506", (D(2025, 5, 15), D(2025, 6, 14))),
        ("monthly", 2025, 1, "202501", (D(2024, 12, 15), D(2025, 1, 14))),
        ("semiannual", 2025, 1, "2025S1", (D(2024, 12, 15), D(2025, 6, 14))),
        ("semiannual", 2025, 2, "2025S2", (D(2025, 6, 15), D(2025, 12, 14))),
    ],
)
def test_cut_off_windows_run_from_the_15th_to_the_14th(frequency, year, number, code, cutoff):
    spec = period_spec(frequency, year, number)
    assert spec.code == code
    assert (spec.cutoff_from, spec.cutoff_to) == cutoff


def test_the_cut_off_day_is_configurable():
    spec = period_spec("quarterly", 2025, 1, cutoff_day=20)
    assert (spec.cutoff_from, spec.cutoff_to) == (D(2024, 12, 20), D(2025, 3, 19))


@pytest.mark.parametrize(
    ("code", "parsed"),
    [
        ("2025Q2", ("quarterly", 2025, 2)),
        ("2025S1", ("semiannual", 2025, 1)),
        ("2025", ("annual", 2025, 1)),
        ("202506", ("monthly", 2025, 6)),
    ],
)
def test_period_ids_round_trip(code, parsed):
    assert parse_period_code(code) == parsed
    assert period_spec(*parsed).code == code


@pytest.mark.parametrize("code", ["2025Q5", "202513", "25Q1", "2025-06", ""])
def test_bad_period_ids_are_refused(code):
    with pytest.raises(ValueError):
        parse_period_code(code)


@given(st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]), st.integers(2015, 2035))
def test_consecutive_cut_off_windows_tile_the_calendar(frequency, year):
    specs = periods_between(frequency, D(year, 1, 1), D(year + 1, 12, 31))
    for before, after in zip(specs, specs[1:], strict=False):
        assert after.cutoff_from == before.cutoff_to + datetime.timedelta(days=1)


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)))
def test_every_day_belongs_to_exactly_one_quarter(day):
    spec = period_containing("quarterly", day)
    assert spec.cutoff_from <= day <= spec.cutoff_to


@pytest.mark.parametrize(
    ("code", "vietnamese", "english"),
    [
        ("2026Q3", "Quý III/2026", "Q3 2026"),
        ("2025Q1", "Quý I/2025", "Q1 2025"),
        ("2026Q4", "Quý IV/2026", "Q4 2026"),
        ("2026S1", "6 tháng đầu năm 2026", "First half of 2026"),
        ("2025", "Năm 2025", "Year 2025"),
        ("2025S2", "6 tháng cuối năm 2025", "Second half of 2025"),
        ("202506", "Tháng 06/2025", "06/2025"),
        ("khác", "khác", "khác"),
    ],
)
def test_periods_are_shown_as_people_name_them(code, vietnamese, english):
    with translation.override("vi"):
        assert period_label(code) == vietnamese
    with translation.override("en"):
        assert period_label(code) == english
