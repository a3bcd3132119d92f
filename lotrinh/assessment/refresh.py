"""Keep assessments fresh: recompute the programmes a decided report belongs to, right away."""

from __future__ import annotations

from typing import Any

from lotrinh.assessment.services import assess_programme
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Structure, Tier


def programmes_covering(unit: OrgUnit) -> list[Programme]:
    """Programmes of the unit's province, and, for a current unit, of the legacy provinces merged
    into its province (their targets are followed on the new territory)."""
    province_code = unit.path.split("/")[1]
    province = OrgUnit.objects.get(structure=unit.structure, tier=Tier.PROVINCE, code=province_code)
    owners = [province.pk]
    if province.structure == Structure.CURRENT:
        owners += list(
            OrgUnit.objects.filter(
                successor_links__successor=province, tier=Tier.PROVINCE
            ).values_list("pk", flat=True)
        )
    return list(Programme.objects.filter(org_unit_id__in=owners))


def on_plan_changed(sender: Any, province: OrgUnit, **kwargs: Any) -> None:
    for programme in programmes_covering(province):
        assess_programme(programme)


def on_report_decided(sender: Any, report: Any, **kwargs: Any) -> None:
    for programme in programmes_covering(report.org_unit):
        assess_programme(programme)
