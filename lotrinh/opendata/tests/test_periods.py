"""Period identifiers converted between DHIS2, SDMX and ISO 8601 intervals, both ways."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.opendata.periods import (
    DAY,
    MONTH,
    QUARTER,
    SIXMONTH,
    WEEK,
    YEAR,
    PeriodError,
    Span,
    dhis2_id,
    iso_interval,
    parse_any,
    parse_dhis2,
    parse_iso,
    parse_sdmx,
    sdmx_id,
)

# The rows of the DHIS2 period table that Lộ Trình's regimes use: (DHIS2, SDMX, ISO interval).
TABLE = [
    ("20250115", "2025-01-15", "2025-01-15/P1D"),
    ("2025W1", "2025-W01", "2024-12-30/P7D"),
    ("202501", "2025-01", "2025-01-01/P1M"),
    ("2025Q1", "2025-Q1", "2025-01-01/P3M"),
    ("2025Q4", "2025-Q4", "2025-10-01/P3M"),
    ("2025S2", "2025-S2", "2025-07-01/P6M"),
    ("2025", "2025", "2025-01-01/P1Y"),
]


@pytest.mark.parametrize(("dhis2", "sdmx", "iso"), TABLE)
def test_each_row_of_the_table_converts_every_way(dhis2, sdmx, iso):
    span = parse_dhis2(dhis2)
    assert parse_sdmx(sdmx) == span == parse_iso(iso) == parse_any(dhis2)
    assert (dhis2_id(span), sdmx_id(span), iso_interval(span)) == (dhis2, sdmx, iso)


def test_sdmx_reporting_periods_of_months_and_years_are_read_too():
    assert parse_sdmx("2025-M03") == parse_dhis2("202503")
    assert parse_sdmx("2025-A1") == parse_dhis2("2025")


def test_week_one_of_2025_ends_on_the_first_sunday_of_2025():
    span = parse_dhis2("2025W1")
    assert span.end == datetime.date(2025, 1, 5) and span.year == 2025


@pytest.mark.parametrize(
    "text", ["2025Q5", "2025Q0", "202513", "2025-02-30", "2025-02-01/P3M", "2025W54", "Q1 2025", ""]
)
def test_a_wrong_period_is_refused_with_a_message_in_both_languages(text):
    with pytest.raises(PeriodError) as refused:
        parse_any(text)
    assert "không phải mã kỳ hợp lệ" in str(refused.value) and "not a valid period" in str(
        refused.value
    )


def spans():
    years = st.integers(min_value=1900, max_value=2200)
    return st.one_of(
        st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)).map(
            lambda d: Span(DAY, d)
        ),
        st.builds(
            lambda y, w: Span(WEEK, datetime.date.fromisocalendar(y, w, 1)),
            years,
            st.integers(1, 52),
        ),
        st.builds(lambda y, m: Span(MONTH, datetime.date(y, m, 1)), years, st.integers(1, 12)),
        st.builds(
            lambda y, q: Span(QUARTER, datetime.date(y, 3 * q - 2, 1)), years, st.integers(1, 4)
        ),
        st.builds(
            lambda y, h: Span(SIXMONTH, datetime.date(y, 6 * h - 5, 1)), years, st.integers(1, 2)
        ),
        st.builds(lambda y: Span(YEAR, datetime.date(y, 1, 1)), years),
    )


@given(spans())
def test_every_period_survives_a_round_trip_through_each_format(span):
    assert parse_dhis2(dhis2_id(span)) == span
    assert parse_sdmx(sdmx_id(span)) == span
    assert parse_iso(iso_interval(span)) == span
    assert span.start <= span.end
