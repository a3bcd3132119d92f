"""Dashboards: the home page, a programme's progress, a unit's reporting, maps and who is behind.

Views stay thin: they authorise, read through lotrinh.dashboards.data and render; every chart has a
table beside it and a CSV download (?format=csv).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lotrinh.access.permissions import require_view_programme, require_view_unit, visible_units
from lotrinh.assessment.explain import GAPS
from lotrinh.assessment.models import AssessmentStatus
from lotrinh.core.jobs import File, deliver, file_response
from lotrinh.core.spreadsheets import SafeCsvWriter
from lotrinh.dashboards.coverage import NO_SOURCE, CoverageFilters
from lotrinh.dashboards.coverage import programme_coverage as build_coverage
from lotrinh.dashboards.data import (
    Filters,
    commune_dots,
    programme_dashboard,
    province_map,
    unit_dashboard,
    who_is_behind,
)
from lotrinh.dashboards.page_cache import (
    assessments_version,
    cached_body,
    programmes_with_version,
    reports_version,
)
from lotrinh.indicators.models import Indicator, Pillar, Programme, TargetLevel
from lotrinh.monitoring.models import SourceKind
from lotrinh.monitoring.permissions import can_change_plan
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import current_provinces_of
from lotrinh.reporting.queries import LATE, MISSING, PENDING, STATE_LABELS
from lotrinh.workplan.models import Task
from lotrinh.workplan.queries import units_behind


def home(request: HttpRequest) -> HttpResponse:
    from lotrinh.dashboards.home import home_context

    return render(request, "dashboards/home.html", home_context())


def _csv_file(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> File:
    text = io.StringIO()
    text.write("\ufeff")  # a BOM so that Excel opens Vietnamese text correctly
    writer = SafeCsvWriter(text)
    writer.writerow(header)
    writer.writerows(rows)
    return File(filename, "text/csv; charset=utf-8", text.getvalue().encode("utf-8"))


def _csv(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    return file_response(_csv_file(filename, header, rows))


PROGRESS_CSV_HEADER = [
    "indicator",
    "pillar",
    "level",
    "year",
    "target",
    "status",
    "status_label",
    "explanation",
    "base_year",
    "base_value",
    "latest_year",
    "latest_value",
    "cagr_actual",
    "cagr_required",
    "ratio",
    "score",
    "forecast_value",
    "gap",
    "method",
    "method_label",
    "method_version",
    "data_cutoff",
    "reason",
    "notes",
    "newest_day",
    "newest_value",
    "newest_provisional",
    "newest_approved_units",
    "newest_expected_units",
    "newest_completeness",
    "newest_covered_parts",
    "previous_as_of",
    "previous_status",
    "change_since_previous",
    "status_trend",
]


def _newest_point(points: list[dict[str, Any]]) -> list[object]:
    """The newest point of a series, counted or not (a provisional figure shows here and nowhere
    else in the row), for the CSV's last columns."""
    if not points:
        return ["", "", "", "", "", "", ""]
    newest = points[-1]
    return [
        newest["day"],
        newest["value"],
        newest["provisional"],
        "" if newest["approved"] is None else newest["approved"],
        "" if newest["expected"] is None else newest["expected"],
        "" if newest["completeness"] is None else newest["completeness"],
        f"{newest['covered']}/{newest['parts']}",
    ]


def _look_back(card: dict[str, Any]) -> list[object]:
    """The previous kept cut-off and status, the change since, and the statuses at the last kept
    cut-offs ("2026-06-30:on_track 2026-09-30:acceleration_needed"), for the CSV's last columns."""
    previous = card["previous"]
    return [
        previous["as_of"] if previous else "",
        previous["status"] if previous else "",
        card["change"],
        " ".join(f"{step['day'].isoformat()}:{step['status']}" for step in card["trend"]),
    ]


def progress_csv(user: AbstractBaseUser | AnonymousUser, arguments: dict[str, Any]) -> File:
    """The progress page's table as CSV (a producer of lotrinh.core.jobs)."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), pk=arguments["id"])
    require_view_programme(user, programme.org_unit)
    data = programme_dashboard(programme, Filters(**arguments["filters"]))
    return _csv_file(
        f"{programme.code}-progress.csv",
        PROGRESS_CSV_HEADER,
        (
            [
                c["target"].indicator_name,
                c["target"].pillar,
                c["target"].level,
                c["target"].year,
                c["figure"],
                c["assessment"].status,
                c["assessment"].get_status_display(),
                c["explanation"],
                c["assessment"].base_year,
                c["assessment"].base_value,
                c["assessment"].latest_year,
                c["assessment"].latest_value,
                c["assessment"].cagr_actual,
                c["assessment"].cagr_required,
                c["assessment"].ratio,
                c["assessment"].score,
                c["assessment"].forecast_value,
                c["assessment"].gap,
                c["assessment"].method,
                c["method_label"],
                c["assessment"].method_version,
                c["assessment"].data_cutoff,
                c["assessment"].reason,
                " ".join(c["notes"]),
                *_newest_point(c["assessment"].series),
                *_look_back(c),
            ]
            for c in data["cards"]
        ),
    )


def _progress_content(programme: Programme, filters: Filters) -> str:
    """Everything below the page header: filters, summary and target cards. It holds nothing
    personal (rendered without the request), so it is shared by all who may see the programme."""
    data = programme_dashboard(programme, filters)
    data["matrix"]["pillarLabels"] = [
        str(dict(Pillar.choices)[p]) for p in data["matrix"]["pillars"]
    ]
    context = {
        **data,
        "programme": programme,
        "successors": current_provinces_of(programme.org_unit),
        "filters": filters,
        "query": filters.as_query(),
        "pillars": Pillar.choices,
        "levels": TargetLevel.choices,
        "statuses": AssessmentStatus.choices,
        "target_years": sorted(
            {str(y) for y in programme.target_set.exclude(year=None).values_list("year", flat=True)}
        ),
    }
    return render_to_string("dashboards/_progress_content.html", context)


@login_required
def programme_progress(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(programmes_with_version(), code=code)
    require_view_programme(request.user, programme.org_unit)
    filters, problems = Filters.read(request.GET)
    if request.GET.get("format") == "csv" and not problems:
        return deliver(
            request,
            progress_csv,
            {"id": programme.pk, "filters": asdict(filters)},
            rows=programme.target_set.count(),
            title=_("Progress of %(number)s (CSV)") % {"number": programme.number},
        )
    version = assessments_version(programme) if filters.is_valid() else None
    content = cached_body(
        version,
        ("progress", programme.pk, programme.number, get_language(), filters),
        lambda: _progress_content(programme, filters),
    )
    context = {
        "programme": programme,
        "content": mark_safe(content),  # noqa: S308 - our template
        "problems": problems,
    }
    return render(
        request, "dashboards/programme_progress.html", context, status=400 if problems else 200
    )


COVERAGE_CSV_HEADER = [
    "indicator_code",
    "indicator",
    "pillar",
    "level",
    "year",
    "source",
    "frequency",
    "regime",
    "reporting_tiers",
    "first_period",
    "publisher",
    "reference",
    "newest_day",
    "newest_value",
    "newest_from",
    "status",
    "data_gap",
    "data_gap_label",
]


def coverage_csv(user: AbstractBaseUser | AnonymousUser, arguments: dict[str, Any]) -> File:
    """The coverage page's table as CSV (a producer of lotrinh.core.jobs)."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), pk=arguments["id"])
    require_view_programme(user, programme.org_unit)
    coverage = build_coverage(programme, CoverageFilters(**arguments["filters"]))
    return _csv_file(
        f"{coverage.programme.code}-coverage.csv",
        COVERAGE_CSV_HEADER,
        (
            [
                r.target.indicator.code,
                r.target.indicator_name,
                r.target.pillar,
                r.target.level,
                r.target.year,
                r.source_kind,
                r.source.frequency if r.source else "",
                r.source.regime.code if r.source and r.source.regime else "",
                " ".join(r.source.reporting_tiers) if r.source else "",
                r.source.first_period if r.source else "",
                r.source.publisher if r.source else "",
                r.source.reference if r.source else "",
                r.newest_day or "",
                "" if r.newest_value is None else r.newest_value,
                r.newest_from,
                r.assessment.status if r.assessment else "",
                r.gap,
                r.gap_label,
            ]
            for r in coverage.rows
        ),
    )


@login_required
def programme_coverage(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(request.user, programme.org_unit)
    filters, problems = CoverageFilters.read(request.GET)
    if request.GET.get("format") == "csv" and not problems:
        return deliver(
            request,
            coverage_csv,
            {"id": programme.pk, "filters": asdict(filters)},
            rows=programme.target_set.count(),
            title=_("Data coverage of %(number)s (CSV)") % {"number": programme.number},
        )
    coverage = build_coverage(programme, filters)
    context = {
        "programme": programme,
        "coverage": coverage,
        "rows": coverage.rows,
        "filters": filters,
        "query": filters.as_query(),
        "pillars": Pillar.choices,
        "sources": [*SourceKind.choices, (NO_SOURCE, _("No source yet"))],
        "gaps": [(gap, _(label)) for gap, label in GAPS.items()],
        "gap_counts": [(gap, _(GAPS[gap]), count) for gap, count in coverage.gaps.items()],
        "may_plan": can_change_plan(request.user, coverage.province),
        "problems": problems,
    }
    return render(request, "dashboards/coverage.html", context, status=400 if problems else 200)


def _unit_overview_content(unit: OrgUnit, data: dict[str, Any]) -> str:
    """Completeness, league table and commune map of a unit: nothing personal, like the above."""
    dots = (
        commune_dots(unit)
        if unit.tier == Tier.PROVINCE and unit.structure == Structure.CURRENT
        else []
    )
    return render_to_string(
        "dashboards/_unit_overview_content.html", {"unit": unit, "dots": dots, **data}
    )


@login_required
def unit_overview(request: HttpRequest, structure: str, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, structure=structure, code=code)
    require_view_unit(request.user, unit)
    if request.GET.get("format") == "csv":
        data = unit_dashboard(unit)
        return _csv(
            f"{unit.code}-league.csv",
            ["unit", "code", "expected", "submitted", "rate", "files_online_pct"],
            (
                [
                    r["unit"].name,
                    r["unit"].code,
                    r["expected"],
                    r["submitted"],
                    r["rate"],
                    r["value"],
                ]
                for r in data.get("league", [])
            ),
        )
    today = timezone.localdate()  # the last closed quarter depends on the day
    content = cached_body(
        reports_version(),
        ("unit-overview", unit.pk, get_language(), today),
        lambda: _unit_overview_content(unit, unit_dashboard(unit, today)),
    )
    context = {"unit": unit, "content": mark_safe(content)}  # noqa: S308 - our template
    return render(request, "dashboards/unit_overview.html", context)


def indicator_map(request: HttpRequest, code: str) -> HttpResponse:
    """Public: published figures and aggregated values by province, with no unit-level data."""
    indicator = get_object_or_404(Indicator, code=code)
    structure = request.GET.get("structure", Structure.CURRENT)
    if structure not in {Structure.CURRENT, Structure.LEGACY}:
        structure = Structure.CURRENT
    data = province_map(indicator, structure)
    boundary = settings.BOUNDARY_GEOJSON.get(structure, "")
    choropleth = bool(boundary) and request.GET.get("view") != "tiles"
    if choropleth:
        data["geojson_url"] = reverse("dashboards:boundaries", args=[structure])
    if request.GET.get("format") == "csv":
        return _csv(
            f"{indicator.code}-{structure}.csv",
            ["province_code", "province", "latest_value", "unit"],
            ([t["code"], t["name"], t["value"], indicator.unit] for t in data["tiles"]),
        )
    context = {
        "indicator": indicator,
        "map": data,
        "structure": structure,
        "choropleth": choropleth,
        "has_boundaries": bool(boundary),
        "attribution": settings.BOUNDARY_ATTRIBUTION,
    }
    return render(request, "dashboards/indicator_map.html", context)


def boundaries(request: HttpRequest, structure: str) -> FileResponse:
    """The deployment's own boundary file for a structure (configured, never bundled)."""
    path = settings.BOUNDARY_GEOJSON.get(structure, "")
    if not path or not Path(path).is_file():
        raise Http404
    response = FileResponse(Path(path).open("rb"), content_type="application/geo+json")  # noqa: SIM115 - FileResponse closes it
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def behind(request: HttpRequest) -> HttpResponse:
    data = who_is_behind()
    visible = (
        set(visible_units(request.user).values_list("pk", flat=True))
        if not request.user.is_superuser
        else None
    )

    def may_see(unit: OrgUnit) -> bool:
        return visible is None or unit.pk in visible

    at_risk = [
        c
        for c in data.at_risk
        if may_see(c["target"].programme.org_unit)
        or any(may_see(s) for s in current_provinces_of(c["target"].programme.org_unit))
    ]
    late = [row for row in data.late_units if may_see(row["unit"])]
    task_units = units_behind(
        Task.objects.filter(lead_unit__in=visible_units(request.user)), timezone.localdate()
    )
    if request.GET.get("format") == "csv":
        return _csv(
            "who-is-behind.csv",
            ["kind", "what", "where", "status_or_period", "detail"],
            [
                *(
                    [
                        "target",
                        c["target"].indicator_name,
                        c["target"].programme.org_unit.name,
                        c["assessment"].get_status_display(),
                        c["explanation"],
                    ]
                    for c in at_risk
                ),
                *(
                    [
                        "report",
                        row["regime"].name,
                        row["unit"].name,
                        row["period"].label,
                        row["state_label"],
                    ]
                    for row in late
                ),
                *(
                    [
                        "tasks",
                        str(row["label"]),
                        row["unit"].name,
                        f"{row['counts'].overdue} overdue",
                        f"{row['counts'].at_risk} at risk of {row['counts'].total}",
                    ]
                    for row in task_units
                ),
            ],
        )
    states = Counter(row["state"] for row in late)
    return render(
        request,
        "dashboards/behind.html",
        {
            "at_risk": at_risk,
            "late": late[:500],
            "late_total": len(late),
            "task_units": task_units,
            "state_counts": [(STATE_LABELS[s], states[s]) for s in (LATE, PENDING, MISSING)],
        },
    )
