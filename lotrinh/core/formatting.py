"""Pure formatting of figures for people: Vietnamese number style, comparators, target values."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def format_number(value: Decimal | float | int | None) -> str:
    """Format a number in the active language's style without useless zeros (1.234,5 in Vietnamese)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def plain_decimal(value: Decimal) -> str:
    """A stored figure exactly, without padding zeros or exponent: 120, not 120.0000 or 1.2E+2."""
    text = str(value)
    if (
        text.isdigit()
    ):  # most figures: a whole number already written plainly (an import has 200,000)
        return text
    return format(value.normalize(), "f")


def decimal_comma(value: Decimal | None) -> str:
    """A figure for a form field or a CSV cell, with a decimal comma and no grouping ("7,5"), so that
    reading it back gives the same number (a dot before three digits means thousands)."""
    return "" if value is None else plain_decimal(value).replace(".", ",")


_SYMBOLS = {">=": "≥", "<=": "≤", "~": "≈", "=": ""}


def describe_value(
    comparator: str,
    value: Decimal,
    value_max: Decimal | None,
    unit: str,
    *,
    strict: bool = False,
    rank_total: int | None = None,
) -> str:
    """Say a target's figure the way a reader expects: "≥ 90%", "15–20 %GRDP", "hạng ≤ 30/63"."""
    if value_max is not None:
        figure = f"{format_number(value)}–{format_number(value_max)}"
    else:
        figure = format_number(value)
    if unit == "rank":
        total = f"/{rank_total}" if rank_total else ""
        symbol = _SYMBOLS.get(comparator, "")
        return (
            _("rank %(symbol)s%(figure)s%(total)s")
            % {
                "symbol": f"{symbol} " if symbol else "",
                "figure": figure,
                "total": total,
            }
        ).strip()
    symbol = ">" if strict and comparator == ">=" else _SYMBOLS.get(comparator, "")
    unit_text = {"%": "%", "%GRDP": "% GRDP"}.get(unit, f" {unit}")
    prefix = f"{symbol} " if symbol and value_max is None else ""
    return f"{prefix}{figure}{unit_text}"


def measure_places(unit: str, unit_kind: str) -> int:
    """Decimals a measured figure is shown with: counts and ranks are whole (391 doanh nghiệp,
    not 391,3), an amount of money or length keeps one, an index two, a percentage one."""
    if unit_kind == "rank" or unit == "rank":
        return 0
    if unit_kind == "count":
        return 1 if unit.endswith("đồng") or unit == "km" else 0
    return 2 if unit_kind == "index" else 1


def format_measure(value: float | None, unit: str, unit_kind: str) -> str:
    """A measured or forecast figure with its unit, rounded for it: "52,8%", "391 doanh nghiệp",
    "hạng 14", "0,45 điểm (0-1)"."""
    if value is None:
        return "—"
    rounded = round(Decimal(str(value)), measure_places(unit, unit_kind))
    return describe_value("=", rounded + 0, None, unit)  # + 0 turns −0 into 0
