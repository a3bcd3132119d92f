"""Template tags of the reporting pages: the unread-notification count in the navigation, and
periods as people name them."""

from __future__ import annotations

from typing import Any

from django import template

from lotrinh.reporting.pages import unread_count
from lotrinh.reporting.periods import period_label as label_of_period

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    return unread_count(user)


@register.filter
def period_label(code: str) -> str:
    """Show a period code such as 2026Q4 as people name it ("Quý IV/2026" in Vietnamese)."""
    return label_of_period(code)
