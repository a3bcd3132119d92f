"""The site menu: which pages each user is offered, decided by the permission functions that the
pages themselves check, so that nobody is offered a page that refuses them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import AnyUser, can_manage_any_unit


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str | Promise


def menu_items(user: AnyUser) -> list[MenuItem]:
    """The menu's pages in order. Programmes, indicators and units are public; reports need an
    account; the target extractor and the API documentation (for connecting other systems) are
    offered to those who load programmes: officers, administrators and superusers."""
    manages = can_manage_any_unit(user)
    items = [MenuItem(reverse("indicators:programme-index"), _("Programmes"))]
    if manages:
        items.append(MenuItem(reverse("extraction:document-upload"), _("Extract targets")))
    items += [
        MenuItem(reverse("indicators:indicator-index"), _("Indicators")),
        MenuItem(reverse("orgunits:unit-index"), _("Units")),
        MenuItem(reverse("opendata:catalogue"), _("Open data")),
    ]
    if user.is_authenticated:
        items.append(MenuItem(reverse("reporting:my-reports"), _("Reports")))
        items.append(MenuItem(reverse("workplan:my-tasks"), _("Tasks")))
    if manages:
        items.append(MenuItem(reverse("api-v1:openapi-view"), "API"))
    return items
