"""The home page: what Lộ Trình holds, and a search across units, programmes and indicators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lotrinh.indicators.models import Indicator, Target
from lotrinh.indicators.queries import list_programmes
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import current_provinces_of


def home(request: HttpRequest) -> HttpResponse:
    programmes = list(list_programmes())
    for programme in programmes:
        programme.successors = list(current_provinces_of(programme.org_unit))  # type: ignore[attr-defined]
    counts = {
        "current_provinces": OrgUnit.objects.filter(
            structure=Structure.CURRENT, tier=Tier.PROVINCE
        ).count(),
        "current_communes": OrgUnit.objects.filter(
            structure=Structure.CURRENT, tier=Tier.COMMUNE
        ).count(),
        "legacy_provinces": OrgUnit.objects.filter(
            structure=Structure.LEGACY, tier=Tier.PROVINCE
        ).count(),
        "legacy_districts": OrgUnit.objects.filter(
            structure=Structure.LEGACY, tier=Tier.DISTRICT
        ).count(),
        "legacy_communes": OrgUnit.objects.filter(
            structure=Structure.LEGACY, tier=Tier.COMMUNE
        ).count(),
        "indicators": Indicator.objects.count(),
        "targets": Target.objects.count(),
    }
    return render(request, "dashboards/home.html", {"programmes": programmes, "counts": counts})
