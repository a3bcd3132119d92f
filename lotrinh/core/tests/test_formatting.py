"""Figures read the Vietnamese way: 1.234,5 and 30/09/2020; targets as "≥ 90%"."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format

from lotrinh.core.formatting import describe_value, format_number


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("1234.5"), "1.234,5", "1,234.5"),
        (Decimal("90.0000"), "90", "90"),
        (7.5, "7,5", "7.5"),
        (2000, "2.000", "2,000"),
        (None, "—", "—"),
    ],
)
def test_numbers_follow_the_language(value, vi, en):
    with translation.override("vi"):
        assert format_number(value) == vi
    with translation.override("en"):
        assert format_number(value) == en


def test_dates_are_day_first_with_slashes():
    with translation.override("vi"):
        assert date_format(datetime.date(2020, 9, 30), "SHORT_DATE_FORMAT") == "30/09/2020"


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((">=", Decimal(90), None, "%"), {}, "≥ 90%"),
        ((">=", Decimal(95), None, "%"), {"strict": True}, "> 95%"),
        (("=", Decimal(15), Decimal(20), "%GRDP"), {}, "15–20% GRDP"),
        (("~", Decimal(20), None, "%GRDP"), {}, "≈ 20% GRDP"),
        (("=", Decimal(1500), None, "doanh nghiệp"), {}, "1.500 doanh nghiệp"),
        (("<=", Decimal(30), None, "rank"), {"rank_total": 63}, "hạng ≤ 30/63"),
    ],
)
def test_target_figures_read_naturally(args, kwargs, expected):
    with translation.override("vi"):
        assert describe_value(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "plain", "comma"),
    [
        (Decimal("120.0000"), "120", "120"),
        (Decimal("7.5000"), "7.5", "7,5"),
        (Decimal("1E+2"), "100", "100"),
        (Decimal("0.0500"), "0.05", "0,05"),
    ],
)
def test_stored_figures_are_written_exactly_and_read_back_the_same(value, plain, comma):
    from lotrinh.core.formatting import decimal_comma, plain_decimal
    from lotrinh.reporting.validation import parse_number

    assert plain_decimal(value) == plain and decimal_comma(value) == comma
    assert parse_number(comma) == value


@pytest.mark.parametrize(
    ("value", "unit", "unit_kind", "vi", "en"),
    [
        (52.8213, "%", "percent", "52,8%", "52.8%"),
        (12.04, "%GRDP", "grdp_share", "12% GRDP", "12% GRDP"),
        (391.3, "doanh nghiệp", "count", "391 doanh nghiệp", "391 doanh nghiệp"),
        (1234.56, "tỷ đồng", "count", "1.234,6 tỷ đồng", "1,234.6 tỷ đồng"),
        (13.6, "rank", "rank", "hạng 14", "rank 14"),
        (0.4567, "điểm (0-1)", "index", "0,46 điểm (0-1)", "0.46 điểm (0-1)"),
        (-0.01, "%", "percent", "0%", "0%"),
        (None, "%", "percent", "—", "—"),
    ],
)
def test_measured_figures_are_rounded_for_their_unit(value, unit, unit_kind, vi, en):
    from lotrinh.core.formatting import format_measure

    with translation.override("vi"):
        assert format_measure(value, unit, unit_kind) == vi
    with translation.override("en"):
        assert format_measure(value, unit, unit_kind) == en
