"""Unit pages: browse and search both structures, and one unit with its tree and crosswalk."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lotrinh.access.permissions import can_add_agency
from lotrinh.indicators.queries import observations_of, programmes_for_unit
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import (
    ancestors_of,
    children_of,
    predecessor_links,
    provinces,
    search_units,
    successor_links,
)
from lotrinh.reporting.publication import published_observations


def unit_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    structure = request.GET.get("structure", "")
    context: dict[str, object] = {"query": query, "structure": structure}
    if query:
        results = search_units(query, structure=structure or None).select_related("parent")
        context["page"] = Paginator(results, 50).get_page(request.GET.get("page"))
    else:
        context["current"] = provinces(Structure.CURRENT)
        context["legacy"] = provinces(Structure.LEGACY)
    template = (
        "orgunits/_results.html" if request.headers.get("HX-Request") else "orgunits/index.html"
    )
    return render(request, template, context)


def unit_detail(request: HttpRequest, structure: str, code: str) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.select_related("parent"), structure=structure, code=code
    )
    children = children_of(unit)
    successors = list(successor_links(unit))
    predecessors = list(predecessor_links(unit))
    context = {
        "unit": unit,
        "ancestors": ancestors_of(unit),
        "children": Paginator(children, 100).get_page(request.GET.get("page")),
        "agencies": children.filter(tier=Tier.AGENCY),
        "successors": successors,
        "predecessor_provinces": [
            lk for lk in predecessors if lk.predecessor.tier == Tier.PROVINCE
        ],
        "predecessor_units": [lk for lk in predecessors if lk.predecessor.tier != Tier.PROVINCE],
        "programmes": programmes_for_unit(unit),
        "observations": (
            published_observations(observations_of(unit=unit)) if unit.tier == Tier.PROVINCE else []
        ),
        "can_manage": can_add_agency(request.user, unit) and unit.tier == Tier.PROVINCE,
    }
    return render(request, "orgunits/detail.html", context)
