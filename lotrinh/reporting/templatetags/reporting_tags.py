"""Template tags of the reporting pages: the unread-notification count in the navigation."""

from __future__ import annotations

from typing import Any

from django import template

from lotrinh.reporting.pages import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    return unread_count(user)
