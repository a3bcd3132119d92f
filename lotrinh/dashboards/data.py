"""Read-side assembly of dashboard data: plain dicts ready for templates, tables, CSV and charts."""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from lotrinh.assessment.explain import (
    explain,
    goal_figure,
    growth_label,
    method_label,
    note_label,
    source_label,
)
from lotrinh.assessment.models import Assessment, AssessmentStatus
from lotrinh.assessment.queries import StatusTrends, status_trends
from lotrinh.assessment.scoring import DEFAULT_METHOD
from lotrinh.assessment.series import counted_points, indicator_series
from lotrinh.assessment.trend import Change, status_change
from lotrinh.core.filters import Choice, one_of, read_filters
from lotrinh.core.formatting import format_measure, format_number
from lotrinh.dashboards.tilegrid import tile_grid
from lotrinh.indicators.models import Indicator, Pillar, Programme, TargetLevel
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status
from lotrinh.reporting.publication import published_observations
from lotrinh.reporting.queries import (
    STATE_LABELS,
    completeness,
    expected_units,
    last_closed_period,
)

# Worst first: what a leader should read first.
SEVERITY = [
    "not_achieved",
    "deterioration",
    "limited",
    "adjustment_needed",
    "acceleration_needed",
    "insufficient_data",
    "on_track",
    "achieved",
]


def _is_year(value: str) -> bool:
    return value.isdigit() and len(value) == 4


PROGRESS_FILTERS = {
    "pillar": Choice(gettext_lazy("Pillar"), one_of(*Pillar.values)),
    "year": Choice(gettext_lazy("Year"), _is_year),
    "status": Choice(gettext_lazy("Status"), one_of(*AssessmentStatus.values)),
    "level": Choice(gettext_lazy("Tier"), one_of(*TargetLevel.values)),
}


@dataclass(frozen=True)
class Filters:
    pillar: str = ""
    year: str = ""
    status: str = ""
    level: str = ""

    @classmethod
    def read(cls, query: Mapping[str, str]) -> tuple[Filters, list[str]]:
        """The filters of an address, and a message for each value that is not a choice (dropped)."""
        values, problems = read_filters(query, PROGRESS_FILTERS)
        return cls(**values), problems

    def is_valid(self) -> bool:
        """Every filter is empty or one of its choices (so a page can be cached for it)."""
        return not read_filters(asdict(self), PROGRESS_FILTERS)[1]

    def as_query(self) -> str:
        """The filters as a query string (without the empty ones)."""
        return urlencode({name: value for name, value in asdict(self).items() if value})

    def keep(self, assessment: Assessment) -> bool:
        target = assessment.target
        return (
            (not self.pillar or target.pillar == self.pillar)
            and (not self.year or str(target.year or "") == self.year)
            and (not self.status or assessment.status == self.status)
            and (not self.level or target.level == self.level)
        )


def programme_assessments(programme: Programme) -> list[Assessment]:
    """The stored assessments (a page never computes them: loading a programme, `lotrinh demo` and
    every approval queue their computation in the background)."""
    return list(
        Assessment.objects.filter(target__programme=programme, method=DEFAULT_METHOD)
        .select_related("target__indicator", "target__programme")
        .order_by("target__source_line")
    )


def _year(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


# "1/148 xã đã báo cáo": who reported, named by the tier of the units expected to report.
REPORTED = {
    Tier.COMMUNE: gettext_noop("%(approved)s/%(expected)s communes reported"),
    Tier.DISTRICT: gettext_noop("%(approved)s/%(expected)s districts reported"),
    Tier.AGENCY: gettext_noop("%(approved)s/%(expected)s provincial agencies reported"),
    Tier.PROVINCE: gettext_noop("%(approved)s/%(expected)s provinces reported"),
    "": gettext_noop("%(approved)s/%(expected)s units reported"),
}


def completeness_text(point: Mapping[str, Any]) -> str:
    """How many expected units reported a point ("1/148 xã đã báo cáo"); "" for published figures."""
    if point["expected"] is None:
        return ""
    numbers = {
        "approved": format_number(point["approved"]),
        "expected": format_number(point["expected"]),
    }
    return _(REPORTED.get(point["tier"], REPORTED[""])) % numbers


def coverage_text(point: Mapping[str, Any]) -> str:
    """Which part of a merged province a point covers ("Bình Định — 1/2 tỉnh cũ"); "" for a
    single province."""
    if point["parts"] <= 1:
        return ""
    share = _("%(covered)s/%(parts)s former provinces") % {
        "covered": point["covered"],
        "parts": point["parts"],
    }
    names = point.get("covered_names") or []  # absent from points stored before names were kept
    return f"{', '.join(names)} — {share}" if names and point["covered"] < point["parts"] else share


def point_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """The points of an assessment as its table shows them: date, value, source, completeness,
    territory, and whether the status rests on it (else why not)."""
    target = assessment.target
    rows = []
    for point in assessment.series:
        if point["provisional"]:
            standing = _("provisional")
        elif not point["counted"]:
            standing = _("not counted: another territory")
        else:
            standing = ""
        rows.append(
            {
                "day": datetime.date.fromisoformat(point["day"]),
                "value": format_measure(point["value"], target.unit, target.indicator.unit_kind),
                "source": source_label(point["source"]),
                "completeness": completeness_text(point),
                "coverage": coverage_text(point),
                "counted": point["counted"],
                "standing": standing,
            }
        )
    return rows


def card(assessment: Assessment) -> dict[str, Any]:
    """Everything one target card needs: figures, sentence, chart data and the points' table."""
    target = assessment.target
    chart = {
        "actual": [
            [_year(_decimal_year(p["day"])), p["value"]] for p in assessment.series if p["counted"]
        ],
        "other": [
            [
                _year(_decimal_year(p["day"])),
                p["value"],
                " · ".join(t for t in (completeness_text(p), coverage_text(p)) if t),
            ]
            for p in assessment.series
            if not p["counted"]
        ],
        "target": [_year(assessment.target_year), assessment.target_value],
        "forecast": (
            [
                [_year(assessment.latest_year), assessment.latest_value],
                [_year(assessment.forecast_year), assessment.forecast_value],
            ]
            if assessment.forecast_value is not None
            else []
        ),
        "unit": target.unit,
        "inverse": target.unit == "rank",
    }
    return {
        "assessment": assessment,
        "target": target,
        "figure": goal_figure(target),
        "explanation": explain(assessment),
        "chart": chart,
        "points": point_rows(assessment),
        "method_label": method_label(assessment.method),
        "growth": growth_label(assessment.cagr_actual, assessment.cagr_required),
        "notes": [note_label(note) for note in assessment.notes],
    }


STATUS_LABELS = dict(AssessmentStatus.choices)


def status_history(assessment: Assessment, trends: StatusTrends) -> dict[str, Any]:
    """A card's look back: the target's status at the previous kept cut-off (None when none is
    kept for it), how it moved since, and its statuses at the last kept cut-offs, oldest first."""
    before = trends.previous_status(assessment.target_id)
    steps = trends.by_target.get(assessment.target_id, [])
    return {
        "previous": (
            {"as_of": trends.previous, "status": before, "label": str(STATUS_LABELS[before])}
            if before
            else None
        ),
        "change": status_change(before, assessment.status),
        "trend": [
            {"day": day, "status": status, "label": str(STATUS_LABELS[status])}
            for day, status in steps
        ],
    }


def changes_summary(changes: list[Change], previous: datetime.date | None) -> str:
    """The page's "So với kỳ trước (30/09/2026): 3 chỉ tiêu tiến bộ, …" line ("" without a kept
    cut-off)."""
    if previous is None:
        return ""
    counts = {change: changes.count(change) for change in Change}
    parts = [
        ngettext(
            "%(count)s target moved to a better status",
            "%(count)s targets moved to a better status",
            counts[Change.PROGRESSED],
        ),
        ngettext(
            "%(count)s target fell back",
            "%(count)s targets fell back",
            counts[Change.FELL_BACK],
        ),
        ngettext(
            "%(count)s target kept its status",
            "%(count)s targets kept their status",
            counts[Change.UNCHANGED],
        ),
    ]
    numbers = [counts[Change.PROGRESSED], counts[Change.FELL_BACK], counts[Change.UNCHANGED]]
    texts = [part % {"count": format_number(n)} for part, n in zip(parts, numbers, strict=True)]
    if counts[Change.NOT_COMPARABLE]:
        texts.append(
            ngettext(
                "%(count)s target cannot be compared (no data then or now)",
                "%(count)s targets cannot be compared (no data then or now)",
                counts[Change.NOT_COMPARABLE],
            )
            % {"count": format_number(counts[Change.NOT_COMPARABLE])}
        )
    return _("Compared with the previous cut-off (%(day)s): %(changes)s.") % {
        "day": previous.strftime("%d/%m/%Y"),
        "changes": ", ".join(texts),
    }


def _decimal_year(iso_day: str) -> float:
    day = datetime.date.fromisoformat(iso_day)
    return day.year + (day - datetime.date(day.year, 1, 1)).days / 365.25


def status_matrix(assessments: list[Assessment]) -> dict[str, Any]:
    """Counts by pillar and status, for the stacked bar and its table."""
    pillars = [
        p
        for p in ("government", "economy", "society", "foundation")
        if any(a.target.pillar == p for a in assessments)
    ]
    counts = {
        s: [sum(1 for a in assessments if a.target.pillar == p and a.status == s) for p in pillars]
        for s, _label in AssessmentStatus.choices
    }
    return {
        "pillars": pillars,
        "counts": counts,
        "labels": {s: str(label) for s, label in AssessmentStatus.choices},
    }


def programme_dashboard(programme: Programme, filters: Filters) -> dict[str, Any]:
    assessments = programme_assessments(programme)
    shown = [a for a in assessments if filters.keep(a)]
    shown.sort(
        key=lambda a: (SEVERITY.index(a.status), a.target.year or 9999, a.target.source_line)
    )
    years = sorted({str(a.target.year) for a in assessments if a.target.year})
    trends = status_trends(programme, before=timezone.localdate())
    cards = [card(a) | status_history(a, trends) for a in shown]
    return {
        "cards": cards,
        "changes": changes_summary([c["change"] for c in cards], trends.previous),
        "trend_statuses": AssessmentStatus.choices,
        "matrix": status_matrix(shown),
        "years": years,
        "total": len(assessments),
        "computed_at": max((a.computed_at for a in assessments), default=None),
    }


@dataclass
class Behind:
    at_risk: list[dict[str, Any]] = field(default_factory=list)
    late_units: list[dict[str, Any]] = field(default_factory=list)


def who_is_behind(today: datetime.date | None = None) -> Behind:
    """Targets at risk (worst status, nearest deadline first) and units late or missing, longest first."""
    today = today or timezone.localdate()
    behind = Behind()
    # A target the resolution restates (in its goals, then in its tasks) is listed once, where
    # it is first stated.
    risky = (
        Assessment.objects.filter(
            method=DEFAULT_METHOD, status__in=SEVERITY[: SEVERITY.index("insufficient_data")]
        )
        .exclude(target__is_restatement=True)
        .select_related("target__indicator", "target__programme__org_unit")
    )
    for assessment in sorted(
        risky,
        key=lambda a: (
            SEVERITY.index(a.status),
            a.target.year or 9999,
            a.score if a.score is not None else 0,
        ),
    ):
        behind.at_risk.append(card(assessment))
    for regime in ReportingRegime.objects.filter(is_active=True).order_by("code"):
        closed = last_closed_period(regime, today)
        if closed is None:
            continue
        result = completeness(regime, closed, today=today)
        for unit, state in result.behind:
            behind.late_units.append(
                {
                    "regime": regime,
                    "period": closed,
                    "unit": unit,
                    "state": state,
                    "state_label": STATE_LABELS[state],
                }
            )
    return behind


def _latest_values(indicator: Indicator, provinces: QuerySet[OrgUnit]) -> dict[str, float]:
    """Latest published value per province that has data: approved reports of a regime whose form
    holds the indicator's figures now (figures left in the reports of a field since removed from
    the form are not looked for), or published figures; nothing of a confidential indicator."""
    elements = [e for e in (indicator.numerator_id, indicator.reported_as_id) if e]
    # Through the reports: the figures themselves are indexed by report only.
    reporting = sorted(
        Report.objects.filter(status=Status.APPROVED, regime__fields__data_element_id__in=elements)
        .order_by()
        .values_list("org_unit__path", flat=True)
        .distinct()
    )
    with_published = set(
        published_observations(indicator.observations.all()).values_list("org_unit_id", flat=True)
    )
    values = {}
    for province in provinces:
        first = bisect.bisect_left(reporting, province.path)
        has_reports = first < len(reporting) and reporting[first].startswith(province.path)
        if not has_reports and province.pk not in with_published:
            continue
        points = counted_points(indicator_series(indicator, province, public=True).points)
        if points:
            values[province.code] = round(points[-1].value, 2)
    return values


def province_map(indicator: Indicator, structure: str) -> dict[str, Any]:
    """Tile-grid map data: every province of a structure with its latest published value (or
    none). The map is public, so its figures are only those lotrinh.reporting.publication allows."""
    provinces = OrgUnit.objects.filter(structure=structure, tier=Tier.PROVINCE).order_by("code")
    tiles = tile_grid(
        [
            (code, lat or 0.0, lon or 0.0)
            for code, lat, lon in provinces.values_list("code", "latitude", "longitude")
        ]
    )
    names = dict(provinces.values_list("code", "short_name"))
    values = _latest_values(indicator, provinces)
    return {
        "structure": structure,
        "tiles": [
            {
                "code": t.code,
                "name": names[t.code],
                "x": t.column,
                "y": t.row,
                "value": values.get(t.code),
            }
            for t in tiles
        ],
        "inverse": indicator.unit_kind == "rank",
        "unit": indicator.unit,
    }


def commune_dots(province: OrgUnit) -> list[dict[str, Any]]:
    """Communes of a current province with their coordinates, for a dot map."""
    communes = OrgUnit.objects.filter(parent=province, tier=Tier.COMMUNE, latitude__isnull=False)
    return [
        {"name": c.name, "code": c.code, "lat": c.latitude, "lon": c.longitude} for c in communes
    ]


def _child_of(path: str, children: dict[str, OrgUnit]) -> OrgUnit | None:
    for prefix, child in children.items():
        if path.startswith(prefix):
            return child
    return None


def league_table(unit: OrgUnit, regime: ReportingRegime, period: Period) -> list[dict[str, Any]]:
    """Per child of the unit: reporting rate for the period and the share of work files processed
    online (summed over the child's subtree, then divided), best first."""
    children = {c.path: c for c in unit.children.exclude(tier=Tier.AGENCY)}
    if not children:
        return []
    rows: dict[int, dict[str, Any]] = {
        c.pk: {"unit": c, "expected": 0, "submitted": 0, "online": Decimal(0), "total": Decimal(0)}
        for c in children.values()
    }
    expected = (
        expected_units(regime, period).filter(in_subtree(unit.path)).values_list("pk", "path")
    )
    submitted = set(
        Report.objects.filter(
            regime=regime, period=period, status__in=[Status.SUBMITTED, Status.APPROVED]
        ).values_list("org_unit_id", flat=True)
    )
    for pk, path in expected:
        child = _child_of(path, children)
        if child is not None:
            rows[child.pk]["expected"] += 1
            rows[child.pk]["submitted"] += pk in submitted
    values = DataValue.objects.filter(
        in_subtree(unit.path, via="report__org_unit__"),
        report__regime=regime,
        report__period=period,
        report__status=Status.APPROVED,
        data_element__code__in=["ho_so_cong_viec_dien_tu", "tong_ho_so_cong_viec"],
        value__isnull=False,
    ).values_list("report__org_unit__path", "data_element__code", "value")
    for path, code, value in values:
        child = _child_of(path, children)
        if child is not None:
            rows[child.pk]["online" if code == "ho_so_cong_viec_dien_tu" else "total"] += value
    table = []
    for row in rows.values():
        row["rate"] = row["submitted"] / row["expected"] if row["expected"] else None
        row["value"] = float(100 * row["online"] / row["total"]) if row["total"] else None
        table.append(row)
    table.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
    return table


def unit_dashboard(unit: OrgUnit, today: datetime.date | None = None) -> dict[str, Any]:
    """Completeness of the unit's subtree for its last closed quarter, and a league table of its children."""
    today = today or timezone.localdate()
    regime = (
        ReportingRegime.objects.filter(frequency="quarterly", is_active=True)
        .order_by("code")
        .first()
    )
    if regime is None:
        return {}
    period = last_closed_period(regime, today, unit.structure)
    if period is None:
        return {}
    return {
        "regime": regime,
        "period": period,
        "completeness": completeness(regime, period, within=unit, today=today),
        "league": league_table(unit, regime, period),
    }
