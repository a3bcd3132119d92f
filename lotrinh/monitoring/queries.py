"""Reads of the monitoring plan: which province plans a programme, and the sources of indicators."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from lotrinh.indicators.models import Programme
from lotrinh.monitoring.models import DataSource
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.models import ReportingRegime


def plan_province(unit: OrgUnit) -> OrgUnit:
    """The province whose plan covers a programme of `unit`: the unit itself when current, the
    province a legacy province merged into otherwise (Bình Định's programmes are planned in Gia
    Lai), so that one plan serves a province's own and inherited programmes."""
    if unit.structure == Structure.CURRENT:
        return unit
    successor = (
        OrgUnit.objects.filter(tier=Tier.PROVINCE, predecessor_links__predecessor=unit)
        .order_by("-predecessor_links__is_default", "name")
        .first()
    )
    return successor or unit


def programme_provinces(province: OrgUnit) -> list[int]:
    """Ids of the units whose programmes a province's plan covers: itself and the legacy
    provinces merged into it."""
    merged = OrgUnit.objects.filter(successor_links__successor=province, tier=Tier.PROVINCE)
    return [province.pk, *merged.values_list("pk", flat=True)]


def sources_by_indicator(province: OrgUnit, indicator_ids: Iterable[int]) -> dict[int, DataSource]:
    """The planned sources of the given indicators in a province, by indicator id (one query)."""
    rows = DataSource.objects.filter(
        province=province, indicator_id__in=list(indicator_ids)
    ).select_related("regime")
    return {row.indicator_id: row for row in rows}


def planned_indicator_ids(programme: Programme) -> set[int]:
    """Indicators of a programme's targets that have a source in its plan province (one query)."""
    province = plan_province(programme.org_unit)
    return set(
        DataSource.objects.filter(
            province=province, indicator__target__programme=programme
        ).values_list("indicator_id", flat=True)
    )


def regimes_of(province: OrgUnit) -> QuerySet[ReportingRegime]:
    """The regimes whose territories include the province or a legacy province merged into it."""
    return (
        ReportingRegime.objects.filter(scopes__in=programme_provinces(province), is_active=True)
        .distinct()
        .order_by("name")
    )
