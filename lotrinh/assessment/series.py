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

`as_of` reads the data as it stood at the end of a past day: only periods ending by then, only
reports approved by then (`Report.decided_at`), only published figures for years ended by then.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from lotrinh.indicators.models import Computation, Indicator, Observation
from lotrinh.monitoring.queries import plan_province
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.orgunits.queries import in_subtree, structure_on
from lotrinh.reporting.models import DataValue, ReportingRegime, Status
from lotrinh.reporting.publication import published_observations, published_values
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
    covered_names: tuple[str, ...] = ()  # the legacy provinces covered, by name


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
    covered_names: tuple[str, ...] = ()  # which ones, by name (when they are part of a merger)

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
        return OrgUnit.objects.filter(in_subtree(province.path)).filter(_tier_filter(level)), ""
    if structure == Structure.LEGACY:  # a current province looking back: its predecessors' subtrees
        paths = OrgUnit.objects.filter(successor_links__successor=province, tier=Tier.PROVINCE)
        query = Q(pk__in=[])
        for legacy in paths:
            query |= in_subtree(legacy.path)
        return OrgUnit.objects.filter(structure=structure).filter(query).filter(
            _tier_filter(level)
        ), ""
    if level in {"tỉnh", "huyện"}:
        return (
            OrgUnit.objects.none(),
            f"no_{'province' if level == 'tỉnh' else 'district'}_tier_after_reform",
        )
    links = OrgUnitSuccession.objects.filter(
        in_subtree(province.path, via="predecessor__"), predecessor__tier=Tier.COMMUNE
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
        in_subtree(province_path, via="predecessor__"), predecessor__tier=Tier.COMMUNE
    )
    successors = OrgUnit.objects.filter(pk__in=links.values("successor_id"))
    return (
        OrgUnitSuccession.objects.filter(successor__in=successors)
        .exclude(in_subtree(province_path, via="predecessor__"))
        .exists()
        or links.filter(kind="partly").exists()
    )


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


@dataclass(frozen=True)
class _Expectation:
    """Who one regime expects to report within a territory, in the periods of one structure."""

    regime: ReportingRegime
    unit_ids: list[int]
    tier: str
    covered: int
    covered_names: tuple[str, ...]


# Who a regime expects to report, by (regime, province, structure, tier): the same for every
# indicator of the regime, so one programme's assessment asks once (`indicator_series(memo=…)`).
ExpectationMemo = dict[tuple[int, int, str, str], "_Expectation | None"]


def _expectations(
    indicator: Indicator,
    territory_key: tuple[int, str, str],
    units: QuerySet[OrgUnit],
    parts: list[OrgUnit],
    memo: ExpectationMemo,
) -> list[_Expectation]:
    """For each regime whose form holds the indicator: the units of `units` (the territory of
    `territory_key`, i.e. province, structure, tier) it expects to report
    (reporting.queries.expected_units) in the periods of that structure, their tier, and how many
    of the legacy provinces `parts` it expects units in."""
    needed = _needed_elements(indicator)
    regimes = list(ReportingRegime.objects.filter(fields__data_element_id__in=needed).distinct())
    for regime in regimes:
        key = (regime.pk, *territory_key)
        if key not in memo:
            memo[key] = _expectation(regime, territory_key[1], units, parts)
    return [e for r in regimes if (e := memo[(r.pk, *territory_key)]) is not None]


def _expectation(
    regime: ReportingRegime, structure: str, units: QuerySet[OrgUnit], parts: list[OrgUnit]
) -> _Expectation | None:
    """Who `regime` expects to report among `units` in the periods of `structure` (None when the
    regime has no such period)."""
    period = next(
        (p for p in regime.periods.order_by("cutoff_to") if period_structure(p) == structure),
        None,
    )
    if period is None:
        return None
    # Who must report depends on the period only through its structure: asked once.
    expected = list(
        expected_units(regime, period)
        .filter(pk__in=units.values("pk"))
        .values_list("pk", "tier", "path")
    )
    if structure == Structure.LEGACY:
        covering = [p for p in parts if any(path.startswith(p.path) for _pk, _t, path in expected)]
    else:  # the current units of the territory cover every legacy province of it
        covering = parts if expected else []
    tiers = {tier for _pk, tier, _path in expected}
    return _Expectation(
        regime,
        [pk for pk, _tier, _path in expected],
        tiers.pop() if len(tiers) == 1 else "",
        len(covering),
        tuple(p.short_name or p.name for p in covering),
    )


@dataclass
class _DayFigures:
    totals: dict[int, Decimal] = field(default_factory=dict)  # by data element
    approved: dict[tuple[int, int], int] = field(default_factory=dict)  # (regime, element) → units


def known_by(as_of: datetime.date, prefix: str = "report__") -> Q:
    """Reports whose period had ended and which had been approved by the end of `as_of` (a report
    reopened and approved again after it counts from its last approval only); `prefix` leads
    from the queried model to the report ("" for reports themselves)."""
    end = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    return Q(**{f"{prefix}period__cutoff_to__lte": as_of, f"{prefix}decided_at__lt": end})


@dataclass(frozen=True)
class _ReportRow:
    """Approved figures of one period and data element, summed over the reports approved on one
    local day, with per regime how many expected units they came from."""

    day: datetime.date  # the period's data cut-off
    element: int
    decided_on: datetime.date | None  # the local day the reports were (last) approved
    total: Decimal
    counts: tuple[int, ...]  # one per expectation, in order


def _report_rows(
    indicator: Indicator,
    territories: dict[str, tuple[QuerySet[OrgUnit], list[_Expectation]]],
    public: bool,
) -> dict[str, list[_ReportRow]]:
    """Per structure, the approved figures of its units over the territory (`territories`: by
    structure, the units and who is expected to report then) in its own periods (`structure_on`),
    for the indicator's elements, per period, element and day of approval, with per expectation how
    many of its units they came from. One query for both structures; the units are listed by id,
    so the planner knows how few reports they have. `public` keeps only what may be published
    (lotrinh.reporting.publication). Grouping by the day of approval lets any cut-off be read from
    the same rows (`_day_figures`)."""
    elements = [
        e for e in (indicator.numerator_id, indicator.denominator_id, indicator.reported_as_id) if e
    ]
    in_own_periods = Q(pk__in=[])
    approved: dict[str, Count] = {}
    for structure, (units, expectations) in territories.items():
        periods = (
            Q(report__period__cutoff_to__lt=REFORM_DATE)
            if structure == Structure.LEGACY
            else Q(report__period__cutoff_to__gte=REFORM_DATE)
        )
        unit_ids = list(units.values_list("pk", flat=True))
        in_own_periods |= periods & Q(report__org_unit_id__in=unit_ids)
        for position, e in enumerate(expectations):
            approved[f"approved_{structure}_{position}"] = Count(
                "report",
                filter=Q(report__regime_id=e.regime.pk, report__org_unit_id__in=e.unit_ids),
            )
    approved_values = (
        published_values() if public else DataValue.objects.filter(report__status=Status.APPROVED)
    )
    rows = (
        approved_values.filter(in_own_periods, data_element_id__in=elements, value__isnull=False)
        .annotate(
            decided_on=TruncDate("report__decided_at", tzinfo=timezone.get_current_timezone())
        )
        .values("report__period__cutoff_to", "data_element_id", "decided_on")
        .annotate(total=Sum("value"), **approved)
        .values("report__period__cutoff_to", "data_element_id", "decided_on", "total", *approved)
    )
    by_structure: dict[str, list[_ReportRow]] = {structure: [] for structure in territories}
    for row in rows:
        day = row["report__period__cutoff_to"]
        structure = structure_on(day)
        counts = tuple(
            row[f"approved_{structure}_{position}"]
            for position in range(len(territories[structure][1]))
        )
        by_structure[structure].append(
            _ReportRow(day, row["data_element_id"], row["decided_on"], row["total"], counts)
        )
    return by_structure


def _is_known(row: _ReportRow, as_of: datetime.date | None) -> bool:
    """Whether a row's period had ended and its reports had been approved by the end of `as_of`
    (every row when None): the rule of `known_by`, on rows already read."""
    if as_of is None:
        return True
    return row.day <= as_of and row.decided_on is not None and row.decided_on <= as_of


def _day_figures(
    rows: list[_ReportRow], expectations: list[_Expectation], as_of: datetime.date | None
) -> dict[datetime.date, _DayFigures]:
    """Per cut-off day: the figures known by the end of `as_of` summed per data element, and per
    regime and element how many expected units they came from."""
    by_day: dict[datetime.date, _DayFigures] = defaultdict(_DayFigures)
    for row in rows:
        if not _is_known(row, as_of):
            continue
        figures = by_day[row.day]
        figures.totals[row.element] = figures.totals.get(row.element, Decimal(0)) + row.total
        for e, count in zip(expectations, row.counts, strict=True):
            key = (e.regime.pk, row.element)
            figures.approved[key] = figures.approved.get(key, 0) + count
    return by_day


def point_completeness(
    indicator: Indicator, figures: _DayFigures, expectations: list[_Expectation], parts: int
) -> PointCompleteness:
    """How complete one day's figures are: the units the regimes expect to report, those of them
    with approved figures for every element the indicator needs, whether that share is below a
    regime's threshold (the point is then provisional), and the legacy provinces covered.
    Figures that come only from units no regime expects have no known completeness: provisional."""
    needed = _needed_elements(indicator)
    completeness = PointCompleteness(parts=parts)
    tiers = set()
    for e in expectations:
        approved = min(figures.approved.get((e.regime.pk, element), 0) for element in needed)
        if not approved:
            continue  # this regime has no figure on that day
        first = completeness.expected == 0
        completeness = PointCompleteness(
            expected=completeness.expected + len(e.unit_ids),
            approved=completeness.approved + approved,
            provisional=approved < e.regime.required_completeness * len(e.unit_ids)
            or (not first and completeness.provisional),
            covered=max(completeness.covered, e.covered),
            parts=parts,
            covered_names=max(completeness.covered_names, e.covered_names, key=len),
        )
        tiers.add(e.tier)
    tier = tiers.pop() if len(tiers) == 1 else ""
    return replace(completeness, tier=tier)


def _points_from_reports(
    indicator: Indicator,
    source: _StructureRows,
    parts: int,
    as_of: datetime.date | None,
) -> list[SeriesPoint]:
    """Points of the periods of one structure known by `as_of`, each with its completeness."""
    points = []
    figures_by_day = _day_figures(source.rows, source.expectations, as_of)
    for day, figures in sorted(figures_by_day.items()):
        totals = figures.totals
        known = point_completeness(indicator, figures, source.expectations, parts)
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
                covered_names=known.covered_names if known.parts > 1 else (),
            )
        )
    return points


def _published(
    indicator: Indicator, province: OrgUnit, public: bool, level: str = ""
) -> list[SeriesPoint]:
    """Published figures, dated at the end of their year (the date they refer to). A legacy
    province's province-level series goes on, from the reform's year, with the figures published
    for the province it merged into (a 2025 rank of Gia Lai is Bình Định's programme's too); a
    figure of its own for a year wins over its successor's."""
    own = Q(org_unit=province)
    successor = _successor_province(province) if level in ("", "tỉnh") else None
    if successor is not None:
        own |= Q(org_unit=successor, year__gte=REFORM_DATE.year)
    rows = Observation.objects.filter(own, indicator=indicator).order_by("year", "pk")
    if public:
        rows = published_observations(rows)
    by_year: dict[int, Observation] = {}
    # Several figures in a year (monthly indices): keep the latest listed, the province's own last.
    for row in sorted(rows, key=lambda r: (r.year, r.org_unit_id == province.pk)):
        by_year[row.year] = row
    return [
        SeriesPoint(datetime.date(year, 12, 31), float(row.value), source="published")
        for year, row in sorted(by_year.items())
    ]


def _successor_province(province: OrgUnit) -> OrgUnit | None:
    """The current province a legacy province merged into (the one its plan is kept in)."""
    if province.structure != Structure.LEGACY or province.tier != Tier.PROVINCE:
        return None
    successor = plan_province(province)
    return None if successor == province else successor


@dataclass(frozen=True)
class _StructureRows:
    """The rows read for the periods of one structure, and who was expected to report then."""

    structure: str
    expectations: list[_Expectation]
    rows: list[_ReportRow]


@dataclass
class SeriesSource:
    """Everything an indicator's series over a province and tier is made of, read once: the
    approved figures per approval day, and (read when first needed) the published figures. Any
    cut-off's series is derived from it (`series_as_of`), so a history of many cut-offs reads the
    database once per series."""

    indicator: Indicator
    province: OrgUnit
    public: bool
    level: str = ""
    parts: int = 1
    notes: list[str] = field(default_factory=list)
    structures: list[_StructureRows] = field(default_factory=list)

    @functools.cached_property
    def published(self) -> list[SeriesPoint]:
        return _published(self.indicator, self.province, self.public, self.level)


def read_series_source(
    indicator: Indicator,
    province: OrgUnit,
    level: str = "",
    memo: ExpectationMemo | None = None,
    *,
    public: bool = False,
) -> SeriesSource:
    """Read what the indicator's series for a province (either structure) and a target tier is
    made of (see `indicator_series` for `memo` and `public`)."""
    memo = {} if memo is None else memo
    source = SeriesSource(indicator, province, public, level)
    if indicator.computation == Computation.RATIO or indicator.reported_as_id:
        parts = legacy_parts(province)
        source.parts = len(parts)
        territories = {}
        for structure in (Structure.LEGACY, Structure.CURRENT):
            units, note = territory(province, structure, level)
            if note:
                source.notes.append(note)
            key = (province.pk, str(structure), level)
            territories[str(structure)] = (units, _expectations(indicator, key, units, parts, memo))
        rows = _report_rows(indicator, territories, public)
        source.structures = [
            _StructureRows(structure, expectations, rows[structure])
            for structure, (_units, expectations) in territories.items()
        ]
    return source


def series_as_of(source: SeriesSource, as_of: datetime.date | None = None) -> Series:
    """The series as it stood at the end of `as_of` (today's when None): only periods ending by
    then, reports approved by then, published figures for years ended by then. Published figures
    stand in only where the reports give no point."""
    series = Series(notes=list(source.notes))
    for rows in source.structures:
        series.points += _points_from_reports(source.indicator, rows, source.parts, as_of)
    if not series.points:
        series.points = [p for p in source.published if as_of is None or p.day <= as_of]
    return series


def indicator_series(
    indicator: Indicator,
    province: OrgUnit,
    level: str = "",
    memo: ExpectationMemo | None = None,
    *,
    public: bool = False,
    as_of: datetime.date | None = None,
) -> Series:
    """The indicator's values over time for a province (either structure) and a target tier.

    Callers asking for several indicators at once may share a `memo` (a dict) of who is expected
    to report; it must not outlive the data it was filled from (one assessment run). `public` keeps
    only what may be published (lotrinh.reporting.publication): a ratio with a confidential
    numerator or denominator then has no point at all. `as_of` reads the data as it stood at the
    end of that day (module docstring)."""
    return series_as_of(read_series_source(indicator, province, level, memo, public=public), as_of)


def counted_points(points: list[SeriesPoint]) -> list[SeriesPoint]:
    """The points a target's status, latest value and forecast rest on: final (not provisional)
    points covering the same legacy provinces as the newest final point, so that a trend never
    compares one predecessor's figures with the whole merged province's."""
    final = [p for p in points if not p.provisional]
    if not final:
        return []
    newest = final[-1]
    return [p for p in final if (p.covered, p.parts) == (newest.covered, newest.parts)]
