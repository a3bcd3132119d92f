"""Reads over programmes, indicators and targets, including across the 2025 merger."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from lotrinh.core.text import search_key
from lotrinh.indicators.models import Baseline, Indicator, Observation, Pillar, Programme, Target
from lotrinh.orgunits.models import OrgUnit, Structure, Tier


def list_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("org_unit")
        .annotate(target_count=Count("target", distinct=True))
        .order_by("org_unit__name", "issued_on")
    )


def programmes_for_unit(unit: OrgUnit) -> QuerySet[Programme]:
    """Programmes of a province, including, for a current province, those of the legacy provinces
    merged into it (Gia Lai sees Bình Định's NQ 05-NQ/TU)."""
    if unit.tier != Tier.PROVINCE:
        return list_programmes().none()
    if unit.structure == Structure.CURRENT:
        owners = Q(org_unit=unit) | Q(
            org_unit__successor_links__successor=unit, org_unit__successor_links__kind="merged"
        )
    else:
        owners = Q(org_unit=unit)
    return list_programmes().filter(owners).distinct()


def targets_of(programme: Programme) -> QuerySet[Target]:
    return (
        Target.objects.filter(programme=programme)
        .select_related("indicator")
        .order_by("source_line")
    )


def baselines_of(programme: Programme) -> QuerySet[Baseline]:
    return (
        Baseline.objects.filter(programme=programme)
        .select_related("indicator")
        .order_by("source_line")
    )


@dataclass
class PillarGroup:
    pillar: str
    label: str
    targets: list[Target]


def targets_by_pillar(programme: Programme) -> list[PillarGroup]:
    """The programme's targets grouped in the fixed pillar order, empty pillars left out."""
    groups = {value: PillarGroup(value, str(label), []) for value, label in Pillar.choices}
    for target in targets_of(programme):
        groups[target.pillar].targets.append(target)
    return [group for group in groups.values() if group.targets]


def list_indicators(*, text: str = "", pillar: str = "") -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("numerator", "denominator").annotate(
        target_count=Count("target", distinct=True),
        programme_count=Count("target__programme", distinct=True),
    )
    for word in search_key(text).split():
        indicators = indicators.filter(search_name__contains=word)
    if pillar:
        indicators = indicators.filter(pillar=pillar)
    return indicators.order_by("pillar", "name")


def indicator_comparison(indicator: Indicator) -> QuerySet[Programme]:
    """Programmes that target an indicator, each with its targets for it, side by side."""
    return (
        Programme.objects.filter(target__indicator=indicator)
        .distinct()
        .select_related("org_unit")
        .prefetch_related(
            Prefetch(
                "target_set",
                queryset=Target.objects.filter(indicator=indicator).order_by(
                    "year", "level", "source_line"
                ),
                to_attr="indicator_targets",
            )
        )
        .order_by("org_unit__name")
    )


def observations_of(
    *, indicator: Indicator | None = None, unit: OrgUnit | None = None
) -> QuerySet[Observation]:
    """Published figures for an indicator or a province; for a current province, also those of
    the legacy provinces merged into it."""
    observations = Observation.objects.select_related("org_unit", "indicator").order_by(
        "indicator__name", "org_unit__name", "year", "period_label"
    )
    if indicator is not None:
        observations = observations.filter(indicator=indicator)
    if unit is not None:
        owners = Q(org_unit=unit)
        if unit.structure == Structure.CURRENT:
            owners |= Q(
                org_unit__successor_links__successor=unit, org_unit__successor_links__kind="merged"
            )
        observations = observations.filter(owners).distinct()
    return observations
