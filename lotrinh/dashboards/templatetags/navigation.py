"""Template tags of the page header: the site menu for the signed-in user."""

from __future__ import annotations

from typing import Any

from django import template

from lotrinh.dashboards.navigation import MenuItem, menu_items

register = template.Library()


@register.simple_tag
def site_menu(user: Any) -> list[MenuItem]:
    return menu_items(user)
