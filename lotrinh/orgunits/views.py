"""Unit pages: browse and search both structures, and one unit with its tree and crosswalk."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from lotrinh.access.permissions import can_add_agency
from lotrinh.core.filters import Choice, one_of, read_filters
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

UNIT_FILTERS = {"structure": Choice(gettext_lazy("Structure"), one_of(*Structure.values))}


def unit_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    chosen, problems = read_filters(request.GET, UNIT_FILTERS)
    structure = chosen["structure"]
    context: dict[str, object] = {"query": query, "structure": structure, "problems": problems}
    if query:
        results = search_units(query, structure=structure or None).select_related("parent")
        context["page"] = Paginator(results, 50).get_page(request.GET.get("page"))
    else:
        context["current"] = provinces(Structure.CURRENT)
        context["legacy"] = provinces(Structure.LEGACY)
    template = (
        "orgunits/_results.html" if request.headers.get("HX-Request") else "orgunits/index.html"
    )
    return render(request, template, context, status=400 if problems else 200)


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
