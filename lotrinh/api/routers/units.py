"""Units: list and search, one unit with its place in the tree, children and the crosswalk."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from lotrinh.api.pagination import BoundedLimitOffset
from lotrinh.api.schemas.units import LinkOut, UnitDetailOut, UnitOut, UnitRef
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession
from lotrinh.orgunits.queries import (
    ancestors_of,
    children_of,
    predecessor_links,
    search_units,
    successor_links,
)

router = Router(tags=["units"])


class UnitFilter(Schema):
    q: str = ""
    structure: str | None = None
    tier: str | None = None
    parent: str | None = None


def _unit(structure: str, code: str) -> OrgUnit:
    return get_object_or_404(
        OrgUnit.objects.select_related("parent"), structure=structure, code=code
    )


def _link(link: OrgUnitSuccession, other: OrgUnit) -> LinkOut:
    return LinkOut(
        unit=UnitRef.from_orm(other),
        kind=link.kind,
        is_default=link.is_default,
        effective_on=link.effective_on,
    )


@router.get("", response=list[UnitOut], operation_id="units_list")
@paginate(BoundedLimitOffset)
def units_list(request: HttpRequest, filters: Query[UnitFilter]):  # type: ignore[no-untyped-def]
    """Units of both structures; `q` matches names with or without diacritics ("binh dinh")."""
    units = search_units(filters.q, structure=filters.structure, tier=filters.tier)
    if filters.parent:
        units = units.filter(
            parent__code=filters.parent, parent__structure=filters.structure or "2025"
        )
    return units.select_related("parent")


@router.get("/{structure}/{code}", response=UnitDetailOut, operation_id="units_detail")
def units_detail(request: HttpRequest, structure: str, code: str) -> UnitDetailOut:
    unit = _unit(structure, code)
    return UnitDetailOut(
        **UnitOut.from_orm(unit).dict(),
        ancestors=[UnitRef.from_orm(a) for a in ancestors_of(unit)],
        children_count=unit.children.count(),
        successors=[_link(link, link.successor) for link in successor_links(unit)],
        predecessors=[_link(link, link.predecessor) for link in predecessor_links(unit)],
    )


@router.get("/{structure}/{code}/children", response=list[UnitOut], operation_id="units_children")
@paginate(BoundedLimitOffset)
def units_children(request: HttpRequest, structure: str, code: str):  # type: ignore[no-untyped-def]
    return children_of(_unit(structure, code)).select_related("parent")


@router.get(
    "/{structure}/{code}/successors", response=list[LinkOut], operation_id="units_successors"
)
def units_successors(request: HttpRequest, structure: str, code: str) -> list[LinkOut]:
    """Where this unit went on 1/7/2025 (one row per successor; `is_default` marks the main one)."""
    return [_link(link, link.successor) for link in successor_links(_unit(structure, code))]


@router.get(
    "/{structure}/{code}/predecessors", response=list[LinkOut], operation_id="units_predecessors"
)
def units_predecessors(request: HttpRequest, structure: str, code: str) -> list[LinkOut]:
    """Which legacy units formed this one."""
    return [_link(link, link.predecessor) for link in predecessor_links(_unit(structure, code))]
