"""Indicator values from approved reports, at any scope, across the 2025 reform. Reads only.

Ratio indicators sum numerator and denominator over the scope first, then divide — percentages are
never averaged. Indicators reported directly are read as the province reported them. Published
figures (ranks, indices) come from the observations. Before 1/7/2025 the legacy hierarchy applies,
after it the current one; a legacy province is followed onto its territory after the merger
through the commune crosswalk, and where that cannot be exact the series says so.

Every point from reports knows how complete it is (units expected to report, units with approved
figures) and which parts of the territory (legacy provinces) it covers: a point below its regime's
completeness threshold is provisional, and only final points covering the same parts as the newest
final point count for a target (`counted_points`).
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from lotrinh.indicators.models import Computation, Indicator, Observation
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.reporting.models import DataValue, ReportingRegime, Status
from lotrinh.reporting.queries import expected_units, period_structure

# Which unit tiers make up a target tier ("90% cấp tỉnh, 80% cấp huyện, 60% cấp xã").
LEVEL_TIERS: dict[str, list[str]] = {
    "tỉnh": [Tier.AGENCY, Tier.PROVINCE],
    "huyện": [Tier.DISTRICT],
    "xã": [Tier.COMMUNE],
    "": [Tier.AGENCY, Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE],
}


@dataclass(frozen=True)
class PointCompleteness:
    """How complete one period's figures over a territory are: units the regimes expect to report
    there, those of them with approved figures for the indicator, whether a regime's threshold was
    missed, and how many of the territory's legacy provinces the regimes cover."""

    expected: int = 0
    approved: int = 0
    provisional: bool = True
    covered: int = 0
    parts: int = 1
    tier: str = ""  # the tier of every expected unit ("commune"), or "" when they differ


@dataclass(frozen=True)
class SeriesPoint:
    day: datetime.date
    value: float
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = "reports"  # reports | published
    # None for published figures, which are complete by definition.
    expected: int | None = None
    approved: int | None = None
    provisional: bool = False
    covered: int = 1  # legacy provinces of the territory that this point covers, of `parts`
    parts: int = 1
    tier: str = ""  # the tier of every expected unit, or "" when they differ

    @property
    def completeness(self) -> float | None:
        """The share of expected units with approved figures (None for published figures)."""
        if self.expected is None or self.approved is None:
            return None
        return self.approved / self.expected if self.expected else 0.0

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
    indicator: Indicator, units: QuerySet[OrgUnit]
) -> dict[datetime.date, dict[int, Decimal]]:
    elements = [
        e for e in (indicator.numerator_id, indicator.denominator_id, indicator.reported_as_id) if e
    ]
    rows = (
        DataValue.objects.filter(
            report__status=Status.APPROVED,
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


def _needed_elements(indicator: Indicator) -> list[int]:
    """The data elements a unit must have reported for its figures to enter the indicator."""
    if indicator.computation == Computation.RATIO:
        return [e for e in (indicator.numerator_id, indicator.denominator_id) if e]
    return [indicator.reported_as_id] if indicator.reported_as_id else []


def legacy_parts(province: OrgUnit) -> list[OrgUnit]:
    """The legacy provinces whose territory a province's series covers: itself for a legacy
    province, its predecessors for a current one."""
    if province.structure == Structure.LEGACY:
        return [province]
    predecessors = list(
        OrgUnit.objects.filter(successor_links__successor=province, tier=Tier.PROVINCE)
        .distinct()
        .order_by("code")
    )
    return predecessors or [province]


def point_completeness(
    indicator: Indicator, units: QuerySet[OrgUnit], structure: str, parts: list[OrgUnit]
) -> dict[datetime.date, PointCompleteness]:
    """For each cut-off day of the periods of `structure` of the regimes whose form holds the
    indicator: how many of `units` the regimes expect to report (reporting.queries.expected_units),
    how many of those have approved figures for the indicator, whether that share is below a
    regime's threshold (the day is then provisional), and how many of the legacy provinces `parts`
    the regimes expect units in. Days with no approved figure are left out."""
    needed = _needed_elements(indicator)
    found: dict[datetime.date, PointCompleteness] = {}
    for regime in ReportingRegime.objects.filter(fields__data_element_id__in=needed).distinct():
        periods = [p for p in regime.periods.all() if period_structure(p) == structure]
        if not periods:
            continue
        # Who must report depends on the period only through its structure: counted once.
        expected = expected_units(regime, periods[0]).filter(pk__in=units.values("pk"))
        expected_count = expected.count()
        tiers = set(expected.values_list("tier", flat=True).distinct())
        tier = tiers.pop() if len(tiers) == 1 else ""
        if structure == Structure.LEGACY:
            covered = sum(expected.filter(path__startswith=p.path).exists() for p in parts)
        else:  # the current units of the territory cover every legacy province of it
            covered = len(parts) if expected_count else 0
        rows = (
            DataValue.objects.filter(
                report__regime=regime,
                report__status=Status.APPROVED,
                report__org_unit__in=expected.values("pk"),
                data_element_id__in=needed,
                value__isnull=False,
            )
            .values("report__period__cutoff_to", "data_element_id")
            .annotate(reports=Count("report"))
        )
        by_day: dict[datetime.date, dict[int, int]] = defaultdict(dict)
        for row in rows:
            by_day[row["report__period__cutoff_to"]][row["data_element_id"]] = row["reports"]
        for day, counts in by_day.items():
            approved = min(counts.get(element, 0) for element in needed)
            below = approved < regime.required_completeness * expected_count
            before = found.get(day)
            found[day] = PointCompleteness(
                expected=expected_count + (before.expected if before else 0),
                approved=approved + (before.approved if before else 0),
                provisional=below or (before is not None and before.provisional),
                covered=max(covered, before.covered if before else 0),
                parts=len(parts),
                tier=tier if before is None or before.tier == tier else "",
            )
    return found


def _points_from_reports(
    indicator: Indicator, units: QuerySet[OrgUnit], structure: str, parts: list[OrgUnit]
) -> list[SeriesPoint]:
    """Points of the periods of `structure`, each with its completeness; a day whose figures come
    only from units no regime expects has no known completeness and is provisional."""
    completeness = point_completeness(indicator, units, structure, parts)
    unknown = PointCompleteness(parts=len(parts))
    points = []
    for day, totals in sorted(_report_values(indicator, units).items()):
        if (day < REFORM_DATE) != (structure == Structure.LEGACY):
            continue
        known = completeness.get(day, unknown)
        if indicator.computation == Computation.RATIO:
            numerator, denominator = (
                totals.get(indicator.numerator_id or 0),
                totals.get(indicator.denominator_id or 0),
            )
            if numerator is None or not denominator:
                continue
            value = float(indicator.multiplier * numerator / denominator)
        elif indicator.reported_as_id in totals:
            numerator = denominator = None
            value = float(totals[indicator.reported_as_id])
        else:
            continue
        points.append(
            SeriesPoint(
                day,
                value,
                numerator,
                denominator,
                expected=known.expected,
                approved=known.approved,
                provisional=known.provisional,
                covered=known.covered,
                parts=known.parts,
                tier=known.tier,
            )
        )
    return points


def _published(indicator: Indicator, province: OrgUnit) -> list[SeriesPoint]:
    rows = Observation.objects.filter(indicator=indicator, org_unit=province).order_by("year")
    by_year: dict[int, Observation] = {}
    for row in rows:  # several figures in a year (monthly indices): keep the latest listed
        by_year[row.year] = row
    return [
        SeriesPoint(datetime.date(year, 12, 31), float(row.value), source="published")
        for year, row in sorted(by_year.items())
    ]


def indicator_series(indicator: Indicator, province: OrgUnit, level: str = "") -> Series:
    """The indicator's values over time for a province (either structure) and a target tier."""
    series = Series()
    if indicator.computation == Computation.RATIO or indicator.reported_as_id:
        parts = legacy_parts(province)
        for structure in (Structure.LEGACY, Structure.CURRENT):
            units, note = territory(province, structure, level)
            if note:
                series.notes.append(note)
            series.points += _points_from_reports(indicator, units, structure, parts)
    if not series.points:
        series.points = _published(indicator, province)
    return series


def counted_points(points: list[SeriesPoint]) -> list[SeriesPoint]:
    """The points a target's status, latest value and forecast rest on: final (not provisional)
    points covering the same legacy provinces as the newest final point, so that a trend never
    compares one predecessor's figures with the whole merged province's."""
    final = [p for p in points if not p.provisional]
    if not final:
        return []
    newest = final[-1]
    return [p for p in final if (p.covered, p.parts) == (newest.covered, newest.parts)]
