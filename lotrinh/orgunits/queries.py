"""Reads over the unit tree: subtrees, ancestors, search and the crosswalk in both directions."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from lotrinh.core.text import search_key
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession, Structure, Tier


def children_of(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent=unit).order_by("tier", "name")


def in_subtree(path: str, via: str = "") -> Q:
    """The units at or below `path` (a materialised path: one indexed prefix query); `via` names
    the relation to the unit from another model, e.g. "org_unit__"."""
    return Q(**{f"{via}path__startswith": path})


def descendants_of(unit: OrgUnit, *, include_self: bool = False) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.filter(in_subtree(unit.path))
    return units if include_self else units.exclude(pk=unit.pk)


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """Return the unit's ancestors from the root down (province first)."""
    parts = unit.path.strip("/").split("/")
    paths = ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts) - 1)]
    by_path = {u.path: u for u in OrgUnit.objects.filter(path__in=paths)}
    return [by_path[p] for p in paths if p in by_path]


def provinces(structure: str = Structure.CURRENT) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(structure=structure, tier=Tier.PROVINCE).order_by("name")


def structure_on(day: datetime.date) -> str:
    """Return which structure was in force on a day (the reform took effect on REFORM_DATE)."""
    return Structure.CURRENT if day >= REFORM_DATE else Structure.LEGACY


def search_units(
    text: str,
    *,
    structure: str | None = None,
    tier: str | None = None,
    within: OrgUnit | None = None,
) -> QuerySet[OrgUnit]:
    """Units whose name or code matches every word of `text`, with or without diacritics.

    Provinces rank first, then districts, communes and agencies; shorter names before longer.
    """
    units = OrgUnit.objects.all()
    for word in search_key(text).split():
        units = units.filter(Q(search_name__contains=word) | Q(code=word))
    if structure:
        units = units.filter(structure=structure)
    if tier:
        units = units.filter(tier=tier)
    if within is not None:
        units = units.filter(in_subtree(within.path))
    return units.order_by("depth", "search_name")


def successor_links(unit: OrgUnit) -> QuerySet[OrgUnitSuccession]:
    return (
        OrgUnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor", "successor__parent")
        .order_by("-is_default", "successor__name")
    )


def predecessor_links(unit: OrgUnit) -> QuerySet[OrgUnitSuccession]:
    return (
        OrgUnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor", "predecessor__parent")
        .order_by("predecessor__tier", "predecessor__name")
    )


def legacy_provinces_of(province: OrgUnit) -> QuerySet[OrgUnit]:
    """The legacy provinces that merged, wholly, into a current province (Gia Lai ← Bình Định, Gia Lai)."""
    return OrgUnit.objects.filter(
        tier=Tier.PROVINCE,
        successor_links__successor=province,
        successor_links__kind="merged",
    ).order_by("name")


def current_provinces_of(legacy_province: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        tier=Tier.PROVINCE, predecessor_links__predecessor=legacy_province
    ).order_by("-predecessor_links__is_default", "name")
