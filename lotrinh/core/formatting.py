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
