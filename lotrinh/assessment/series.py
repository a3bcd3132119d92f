"""Indicator values from approved reports, at any scope, across the 2025 reform. Reads only.

Ratio indicators sum numerator and denominator over the scope first, then divide — percentages are
never averaged. Indicators reported directly are read as the province reported them. Published
figures (ranks, indices) come from the observations. Before 1/7/2025 the legacy hierarchy applies,
after it the current one; a legacy province is followed onto its territory after the merger
through the commune crosswalk, and where that cannot be exact the series says so.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from lotrinh.indicators.models import Computation, Indicator, Observation
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.reporting.models import DataValue, Status
from lotrinh.reporting.publication import published_observations, published_values

# Which unit tiers make up a target tier ("90% cấp tỉnh, 80% cấp huyện, 60% cấp xã").
LEVEL_TIERS: dict[str, list[str]] = {
    "tỉnh": [Tier.AGENCY, Tier.PROVINCE],
    "huyện": [Tier.DISTRICT],
    "xã": [Tier.COMMUNE],
    "": [Tier.AGENCY, Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE],
}


@dataclass(frozen=True)
class SeriesPoint:
    day: datetime.date
    value: float
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    units: int = 0
    source: str = "reports"  # reports | published

    @property
    def year(self) -> float:
        """The date as a decimal year (end of Q2 2025 ≈ 2025.45)."""
        start = datetime.date(self.day.year, 1, 1)
        return self.day.year + (self.day - start).days / 365.25


@dataclass
class Series:
    points: list[SeriesPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _tier_filter(level: str) -> Q:
    return Q(tier__in=LEVEL_TIERS.get(level, LEVEL_TIERS[""]))


def territory(province: OrgUnit, structure: str, level: str) -> tuple[QuerySet[OrgUnit], str]:
    """Units of `structure` covering `province`'s territory at a tier, and a note when inexact.

    Same structure: the province's subtree. A legacy province after the reform: the new communes
    its communes became (province-tier agencies now serve the whole merged province, so that tier
    cannot be separated: no units, and a note). The note is "" when the territory is exact.
    """
    if province.structure == structure:
        return OrgUnit.objects.filter(path__startswith=province.path).filter(
            _tier_filter(level)
        ), ""
    if structure == Structure.LEGACY:  # a current province looking back: its predecessors' subtrees
        paths = OrgUnit.objects.filter(successor_links__successor=province, tier=Tier.PROVINCE)
        query = Q(pk__in=[])
        for legacy in paths:
            query |= Q(path__startswith=legacy.path)
        return OrgUnit.objects.filter(structure=structure).filter(query).filter(
            _tier_filter(level)
        ), ""
    if level in {"tỉnh", "huyện"}:
        return (
            OrgUnit.objects.none(),
            f"no_{'province' if level == 'tỉnh' else 'district'}_tier_after_reform",
        )
    links = OrgUnitSuccession.objects.filter(
        predecessor__path__startswith=province.path, predecessor__tier=Tier.COMMUNE
    )
    successors = OrgUnit.objects.filter(pk__in=links.values("successor_id"))
    mixed = _crosswalk_is_inexact(province.path, _crosswalk_version())
    return successors, "approximate_split_communes" if mixed else ""


def _crosswalk_version() -> tuple[object, ...]:
    """Changes whenever a crosswalk row is added, removed or re-pointed, or changes kind (one cheap
    aggregate over ~11,000 rows)."""
    found = OrgUnitSuccession.objects.aggregate(
        rows=Count("pk"),
        last=Max("pk"),
        successors=Sum("successor_id"),
        predecessors=Sum("predecessor_id"),
        partly=Count("pk", filter=Q(kind="partly")),
    )
    return tuple(found.values())


@functools.lru_cache(maxsize=512)
def _crosswalk_is_inexact(province_path: str, version: tuple[object, ...]) -> bool:
    """Whether a legacy province's communes map onto new communes only partly (a split commune, or
    a new commune that also took land from another province). It depends on the province alone,
    yet assessing a programme asks for every (indicator, tier) series; at national scale the
    question took two thirds of the assessment's database time, so it is answered once per
    crosswalk `version`."""
    links = OrgUnitSuccession.objects.filter(
        predecessor__path__startswith=province_path, predecessor__tier=Tier.COMMUNE
    )
    successors = OrgUnit.objects.filter(pk__in=links.values("successor_id"))
    return (
        OrgUnitSuccession.objects.filter(successor__in=successors)
        .exclude(predecessor__path__startswith=province_path)
        .exists()
        or links.filter(kind="partly").exists()
    )


def _report_values(
    indicator: Indicator, units: QuerySet[OrgUnit], public: bool
) -> dict[datetime.date, dict[int, Decimal]]:
    elements = [
        e for e in (indicator.numerator_id, indicator.denominator_id, indicator.reported_as_id) if e
    ]
    approved = (
        published_values() if public else DataValue.objects.filter(report__status=Status.APPROVED)
    )
    rows = (
        approved.filter(
            data_element_id__in=elements,
            report__org_unit__in=units.values("pk"),
            value__isnull=False,
        )
        .values("report__period__cutoff_to", "data_element_id")
        .annotate(total=Sum("value"))
    )
    by_day: dict[datetime.date, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        by_day[row["report__period__cutoff_to"]][row["data_element_id"]] = row["total"]
    return by_day


def _points_from_reports(
    indicator: Indicator, units: QuerySet[OrgUnit], public: bool
) -> list[SeriesPoint]:
    points = []
    for day, totals in sorted(_report_values(indicator, units, public).items()):
        if indicator.computation == Computation.RATIO:
            numerator, denominator = (
                totals.get(indicator.numerator_id or 0),
                totals.get(indicator.denominator_id or 0),
            )
            if numerator is None or not denominator:
                continue
            value = float(indicator.multiplier * numerator / denominator)
            points.append(SeriesPoint(day, value, numerator, denominator))
        elif indicator.reported_as_id in totals:
            points.append(SeriesPoint(day, float(totals[indicator.reported_as_id])))
    return points


def _published(indicator: Indicator, province: OrgUnit, public: bool) -> list[SeriesPoint]:
    rows = Observation.objects.filter(indicator=indicator, org_unit=province).order_by("year")
    if public:
        rows = published_observations(rows)
    by_year: dict[int, Observation] = {}
    for row in rows:  # several figures in a year (monthly indices): keep the latest listed
        by_year[row.year] = row
    return [
        SeriesPoint(datetime.date(year, 12, 31), float(row.value), source="published")
        for year, row in sorted(by_year.items())
    ]


def indicator_series(
    indicator: Indicator, province: OrgUnit, level: str = "", *, public: bool = False
) -> Series:
    """The indicator's values over time for a province (either structure) and a target tier.

    `public` keeps only what may be published (lotrinh.reporting.publication): a ratio with a
    confidential numerator or denominator then has no point at all.
    """
    series = Series()
    if indicator.computation == Computation.RATIO or indicator.reported_as_id:
        for structure in (Structure.LEGACY, Structure.CURRENT):
            units, note = territory(province, structure, level)
            if note:
                series.notes.append(note)
            cutoff = [
                p
                for p in _points_from_reports(indicator, units, public)
                if (p.day < datetime.date(2025, 7, 1)) == (structure == Structure.LEGACY)
            ]
            series.points += cutoff
    if not series.points:
        series.points = _published(indicator, province, public)
    return series
