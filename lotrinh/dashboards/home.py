"""What the home page shows: the programmes and what is loaded."""

from __future__ import annotations

from typing import Any

from lotrinh.indicators.models import Indicator, Target
from lotrinh.indicators.queries import list_programmes
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import current_provinces_of
from lotrinh.reporting.models import Report
from lotrinh.reporting.publication import published_observations


def home_context() -> dict[str, Any]:
    programmes = list(list_programmes())
    for programme in programmes:
        programme.successors = list(current_provinces_of(programme.org_unit))  # type: ignore[attr-defined]
    units = OrgUnit.objects.filter
    counts = {
        "current_provinces": units(structure=Structure.CURRENT, tier=Tier.PROVINCE).count(),
        "current_communes": units(structure=Structure.CURRENT, tier=Tier.COMMUNE).count(),
        "legacy_provinces": units(structure=Structure.LEGACY, tier=Tier.PROVINCE).count(),
        "legacy_districts": units(structure=Structure.LEGACY, tier=Tier.DISTRICT).count(),
        "legacy_communes": units(structure=Structure.LEGACY, tier=Tier.COMMUNE).count(),
        "indicators": Indicator.objects.count(),
        "targets": Target.objects.count(),
        "observations": published_observations().count(),
        "reports": Report.objects.count(),
        "illustrative_reports": Report.objects.filter(is_illustrative=True).count(),
    }
    return {"programmes": programmes, "counts": counts}
