"""The coverage of a programme's monitoring plan: each target, its source, its newest figure and
its gap, with counts by pillar. Plain data for the page, the CSV and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotrinh.assessment.explain import GAPS, gap_of
from lotrinh.assessment.models import Assessment
from lotrinh.core.filters import Choice, one_of, read_filters
from lotrinh.dashboards.data import programme_assessments
from lotrinh.indicators.models import Pillar, Programme, Target
from lotrinh.monitoring.models import DataSource, ReportingTier, SourceKind
from lotrinh.monitoring.queries import plan_province, sources_by_indicator
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.periods import period_label

NO_SOURCE = "none"
GAP_CHOICES = ("no_source", "no_data", "too_few_points")


COVERAGE_FILTERS = {
    "pillar": Choice(gettext_lazy("Pillar"), one_of(*Pillar.values)),
    "source": Choice(gettext_lazy("Source"), one_of(*SourceKind.values, NO_SOURCE)),
    "gap": Choice(gettext_lazy("Missing data"), one_of(*GAP_CHOICES, "any")),
}


@dataclass(frozen=True)
class CoverageFilters:
    pillar: str = ""
    source: str = ""  # reported | published | none
    gap: str = ""  # no_source | no_data | too_few_points | any

    @classmethod
    def read(cls, query: Mapping[str, str]) -> tuple[CoverageFilters, list[str]]:
        """The filters of an address, and a message for each value that is not a choice (dropped)."""
        values, problems = read_filters(query, COVERAGE_FILTERS)
        return cls(**values), problems

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CoverageFilters:
        return cls.read(query)[0]

    def as_query(self) -> str:
        return urlencode({name: value for name, value in asdict(self).items() if value})


@dataclass(frozen=True)
class CoverageRow:
    target: Target
    source: DataSource | None
    assessment: Assessment | None
    gap: str  # "" when assessed, else one of GAP_CHOICES
    newest_day: datetime.date | None  # the newest figure's cut-off day, counted or not
    newest_value: float | None
    newest_from: str  # reports | published | ""

    @property
    def source_kind(self) -> str:
        return self.source.kind if self.source else NO_SOURCE

    @property
    def gap_label(self) -> str:
        return _(GAPS[self.gap]) if self.gap else ""

    @property
    def tiers_label(self) -> str:
        tiers = dict(ReportingTier.choices)
        return (
            ", ".join(str(tiers.get(t, t)) for t in self.source.reporting_tiers)
            if self.source
            else ""
        )

    @property
    def first_period_label(self) -> str:
        return (
            period_label(self.source.first_period)
            if self.source and self.source.first_period
            else ""
        )


@dataclass(frozen=True)
class PillarCount:
    pillar: str
    label: str
    targets: int
    with_source: int
    with_status: int  # assessed: not "thiếu dữ liệu"
    gaps: int


@dataclass(frozen=True)
class Coverage:
    programme: Programme
    province: OrgUnit
    rows: list[CoverageRow]  # filtered
    pillars: list[PillarCount]  # of every target, whatever the filters
    gaps: dict[str, int]  # every target's gaps by kind


def _row(target: Target, source: DataSource | None, assessment: Assessment | None) -> CoverageRow:
    newest = assessment.series[-1] if assessment and assessment.series else None
    return CoverageRow(
        target=target,
        source=source,
        assessment=assessment,
        gap=gap_of(assessment),
        newest_day=datetime.date.fromisoformat(newest["day"]) if newest else None,
        newest_value=newest["value"] if newest else None,
        newest_from=newest["source"] if newest else "",
    )


def _keep(row: CoverageRow, filters: CoverageFilters) -> bool:
    return (
        (not filters.pillar or row.target.pillar == filters.pillar)
        and (not filters.source or row.source_kind == filters.source)
        and (not filters.gap or (row.gap != "" if filters.gap == "any" else row.gap == filters.gap))
    )


def _pillar_counts(rows: list[CoverageRow]) -> list[PillarCount]:
    counts = []
    for value, label in Pillar.choices:
        of_pillar = [r for r in rows if r.target.pillar == value]
        if of_pillar:
            counts.append(
                PillarCount(
                    pillar=value,
                    label=str(label),
                    targets=len(of_pillar),
                    with_source=sum(1 for r in of_pillar if r.source is not None),
                    with_status=sum(1 for r in of_pillar if r.assessment and not r.gap),
                    gaps=sum(1 for r in of_pillar if r.gap),
                )
            )
    return counts


def programme_coverage(programme: Programme, filters: CoverageFilters) -> Coverage:
    """Every target of `programme` with the source its plan province gives its indicator, its
    stored assessment and its gap (a fixed number of queries, whatever the programme's size)."""
    assessments = {a.target_id: a for a in programme_assessments(programme)}
    targets = list(
        programme.target_set.select_related("indicator", "programme").order_by("source_line")
    )
    province = plan_province(programme.org_unit)
    sources = sources_by_indicator(province, {t.indicator_id for t in targets})
    rows = [_row(t, sources.get(t.indicator_id), assessments.get(t.pk)) for t in targets]
    return Coverage(
        programme=programme,
        province=province,
        rows=[r for r in rows if _keep(r, filters)],
        pillars=_pillar_counts(rows),
        gaps={gap: sum(1 for r in rows if r.gap == gap) for gap in GAP_CHOICES},
    )
