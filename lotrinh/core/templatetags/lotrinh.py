"""Template filters for figures and document highlights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from lotrinh.core.formatting import describe_value, format_number

register = template.Library()


@register.filter
def num(value: Decimal | float | int | None) -> str:
    return format_number(value)


@register.filter
def figure(statement: Any) -> str:
    """A target's or baseline's figure, e.g. "≥ 90%" or "hạng ≤ 15"."""
    return describe_value(
        statement.comparator,
        statement.value,
        statement.value_max,
        statement.unit,
        strict=getattr(statement, "is_strict", False),
        rank_total=statement.rank_total,
    )
