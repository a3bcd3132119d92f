"""Compute and store assessments of a programme's targets from the data, with every figure kept."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lotrinh.assessment.models import Assessment, PastAssessment
from lotrinh.assessment.scoring import DEFAULT_METHOD, METHOD_VERSION, Goal, Point, Result, assess
from lotrinh.assessment.series import (
    ExpectationMemo,
    Series,
    SeriesPoint,
    SeriesSource,
    counted_points,
    read_series_source,
    series_as_of,
)
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Baseline, Direction, Observation, Programme, Target
from lotrinh.monitoring.queries import plan_province, planned_indicator_ids
from lotrinh.reporting.models import Report

# A history is bounded: forty years of quarter ends.
MAX_CUTOFFS = 160


@dataclass(frozen=True)
class ProgrammeAssessment:
    programme: Programme
    assessments: list[Assessment]


def is_growth_rate(target: Target) -> bool:
    """Growth rates ("tốc độ tăng … hằng năm") are floors to meet every year, not levels to reach:
    a CAGR of a growth rate means nothing (see the progress-methods note, "growth-rate indicators")."""
    return target.indicator.unit_kind == "percent" and target.indicator.name.lower().startswith(
        "tốc độ tăng"
    )


def _goal(target: Target) -> Goal:
    return Goal(
        value=float(target.value),
        comparator=target.comparator,
        direction=-1 if target.indicator.direction == Direction.DECREASE else 1,
        year=target.year,
        value_max=float(target.value_max) if target.value_max is not None else None,
        strict=target.is_strict,
        annual=target.period == "annual" or is_growth_rate(target),
    )


def _baseline(target: Target) -> Point | None:
    """A baseline stated in the programme for the same indicator and tier, if any."""
    baseline = (
        Baseline.objects.filter(
            programme_id=target.programme_id,
            indicator_id=target.indicator_id,
            level=target.level,
            year__isnull=False,
        )
        .order_by("-year")
        .first()
    )
    return (
        Point(float(baseline.year), float(baseline.value)) if baseline and baseline.year else None
    )


def _decimal_year(day: datetime.date) -> float:
    return day.year + (day - datetime.date(day.year, 1, 1)).days / 365.25


def _bounded(target: Target, result: Result) -> Result:
    """A share cannot be forecast above 100 % (or below 0), nor a rank better than first: the
    trend is cut at the bound."""
    if result.forecast is None:
        return result
    if target.indicator.unit_kind in {"percent", "grdp_share"}:
        value = min(100.0, max(0.0, result.forecast.value))
    elif target.indicator.unit_kind == "rank":
        value = max(1.0, result.forecast.value)
    else:
        return result
    return replace(
        result,
        forecast=Point(result.forecast.year, value),
        gap=result.target_value - value if result.target_value is not None else None,
    )


def stored_point(point: SeriesPoint, counted: bool) -> dict[str, object]:
    """One point as an assessment keeps it: its figure, completeness, coverage and whether the
    status rests on it."""
    completeness = point.completeness
    return {
        "day": point.day.isoformat(),
        "value": round(point.value, 4),
        "source": point.source,
        "expected": point.expected,
        "approved": point.approved,
        "completeness": round(completeness, 4) if completeness is not None else None,
        "provisional": point.provisional,
        "covered": point.covered,
        "parts": point.parts,
        "covered_names": list(point.covered_names),
        "tier": point.tier,
        "counted": counted,
    }


def _gap_reason(result: Result, has_source: bool) -> Result:
    """Without data, say whether the target has no source in the monitoring plan ("no_source")
    or has one that has brought nothing yet ("no_data")."""
    if result.reason == "no_data" and not has_source:
        return replace(result, reason="no_source")
    return result


def _figures(
    target: Target,
    result: Result,
    series: Series,
    counted: list[SeriesPoint],
    base_source: str,
) -> dict[str, object]:
    """The stored fields of one assessment (today's or a past one)."""
    result = _bounded(target, result)
    return {
        "method_version": METHOD_VERSION,
        "status": str(result.status),
        "reason": result.reason,
        "data_cutoff": counted[-1].day if counted else None,
        "base_year": result.base.year if result.base else None,
        "base_value": result.base.value if result.base else None,
        "base_source": base_source,
        "latest_year": result.latest.year if result.latest else None,
        "latest_value": result.latest.value if result.latest else None,
        "target_year": result.target_year,
        "target_value": result.target_value,
        "cagr_actual": result.cagr_actual,
        "cagr_required": result.cagr_required,
        "ratio": result.ratio,
        "score": result.score,
        "forecast_year": result.forecast.year if result.forecast else None,
        "forecast_value": result.forecast.value if result.forecast else None,
        "gap": result.gap,
        "deadline_passed": result.deadline_passed,
        "notes": sorted(set(series.notes + result.notes)),
        "series": [stored_point(p, p in counted) for p in series.points],
    }


@dataclass
class Reads:
    """What assessing a programme's targets reads once, whatever the cut-off: each series' source
    (`series.SeriesSource`), who is expected to report, each target's stated baseline, and which
    indicators have a source in the monitoring plan (read when not given). It must not outlive
    the data it was read from (one assessment run)."""

    planned: set[int] | None = None
    memo: ExpectationMemo = field(default_factory=dict)
    sources: dict[tuple[int, str], SeriesSource] = field(default_factory=dict)
    baselines: dict[int, Point | None] = field(default_factory=dict)

    def source(self, target: Target) -> SeriesSource:
        key = (target.indicator_id, target.level)
        if key not in self.sources:
            self.sources[key] = read_series_source(
                target.indicator, target.programme.org_unit, target.level, memo=self.memo
            )
        return self.sources[key]

    def baseline(self, target: Target) -> Point | None:
        if target.pk not in self.baselines:
            self.baselines[target.pk] = _baseline(target)
        return self.baselines[target.pk]

    def is_planned(self, target: Target) -> bool:
        if self.planned is None:
            self.planned = planned_indicator_ids(target.programme)
        return target.indicator_id in self.planned


def target_figures(
    target: Target,
    *,
    today: datetime.date,
    method: str = DEFAULT_METHOD,
    reads: Reads | None = None,
    as_of: datetime.date | None = None,
) -> dict[str, object]:
    """Assess one target on its programme's province and tier from the data as it stood at the end
    of `as_of` (today's data when None): the fields to store. `reads` may be shared by the targets
    of one programme, at any number of cut-offs."""
    reads = Reads() if reads is None else reads
    series = series_as_of(reads.source(target), as_of)
    counted = counted_points(series.points)
    points = [Point(p.year, p.value) for p in counted]
    baseline = reads.baseline(target)
    base_source = "programme" if baseline else ("first_report" if points else "")
    result = assess(points, _goal(target), _decimal_year(today), method, base=baseline)
    result = _gap_reason(result, reads.is_planned(target))
    return _figures(target, result, series, counted, base_source)


def assess_target(
    target: Target,
    *,
    today: datetime.date | None = None,
    method: str = DEFAULT_METHOD,
    reads: Reads | None = None,
) -> Assessment:
    """Assess one target from today's data, and store the result as its latest assessment."""
    figures = target_figures(
        target, today=today or timezone.localdate(), method=method, reads=reads
    )
    assessment, _created = Assessment.objects.update_or_create(
        target=target, method=method, defaults=figures
    )
    return assessment


def _targets(programme: Programme) -> list[Target]:
    return list(
        programme.target_set.select_related("indicator", "programme__org_unit").order_by(
            "source_line"
        )
    )


def assess_programme(
    programme: Programme, *, today: datetime.date | None = None, method: str = DEFAULT_METHOD
) -> ProgrammeAssessment:
    """Assess every target of a programme (in one transaction) and return the stored assessments."""
    reads = Reads(planned_indicator_ids(programme))
    with transaction.atomic():
        assessments = [
            assess_target(t, today=today, method=method, reads=reads) for t in _targets(programme)
        ]
    return ProgrammeAssessment(programme, assessments)


def quarter_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every quarter's last day from the quarter holding `first` to the last one ending by `last`."""
    ends: list[datetime.date] = []
    year, quarter = first.year, (first.month - 1) // 3
    while True:
        month = 3 * quarter + 3
        end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        if end > last:
            return ends
        ends.append(end)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)


def _keep_cutoffs(
    programme: Programme, cutoffs: list[datetime.date], method: str
) -> list[PastAssessment]:
    """Assess every target of a programme as of each cut-off, from one read of its data
    (`Reads`), and keep the results (replacing any kept before for those cut-offs: idempotent)."""
    targets = _targets(programme)
    reads = Reads(planned_indicator_ids(programme))
    rows = [
        PastAssessment(
            target=t,
            method=method,
            as_of=as_of,
            **target_figures(t, today=as_of, method=method, reads=reads, as_of=as_of),
        )
        for as_of in cutoffs
        for t in targets
    ]
    with transaction.atomic():
        PastAssessment.objects.filter(target__in=targets, method=method, as_of__in=cutoffs).delete()
        return PastAssessment.objects.bulk_create(rows, batch_size=500)


def assess_as_of(
    programme: Programme, as_of: datetime.date, *, method: str = DEFAULT_METHOD
) -> list[PastAssessment]:
    """Assess every target of a programme from the figures approved or published by the end of
    `as_of`, and keep the result for that cut-off (replacing any kept before: idempotent)."""
    return _keep_cutoffs(programme, [as_of], method)


def kept_as_of(
    programme: Programme, as_of: datetime.date, method: str = DEFAULT_METHOD
) -> list[PastAssessment] | None:
    """The assessments kept for the cut-off, if nothing they rest on has changed since they were
    computed: the same targets, the same method version, and no report approved, returned or
    reopened, and no published figure entered or changed, after them (None otherwise)."""
    kept = list(
        PastAssessment.objects.filter(target__programme=programme, method=method, as_of=as_of)
        .select_related("target__indicator", "target__programme__org_unit")
        .order_by("target__source_line")
    )
    targets = set(programme.target_set.values_list("pk", flat=True))
    if not kept or {a.target_id for a in kept} != targets or len(kept) != len(targets):
        return None
    if any(a.method_version != METHOD_VERSION for a in kept):
        return None
    decided = Report.objects.aggregate(last=Max("decided_at"))["last"]
    oldest = min(a.computed_at for a in kept)
    if decided is not None and decided >= oldest:
        return None
    published = last_figure_change(programme)
    return kept if published is None or published < oldest else None


def last_figure_change(programme: Programme) -> datetime.datetime | None:
    """When a published figure the programme may read (its province's, or its successor's) was
    last entered or changed."""
    province = programme.org_unit
    units = {province.pk, plan_province(province).pk}
    return Observation.objects.filter(org_unit_id__in=units).aggregate(last=Max("updated_at"))[
        "last"
    ]


def refresh_kept_history(programme: Programme) -> int:
    """Assess again the kept cut-offs of a programme computed before its published figures last
    changed (an officer entered or imported one); returns how many cut-offs were assessed."""
    changed = last_figure_change(programme)
    if changed is None:
        return 0
    stale = (
        PastAssessment.objects.filter(target__programme=programme, computed_at__lt=changed)
        .values_list("method", "as_of")
        .order_by()
        .distinct()
    )
    by_method: dict[str, list[datetime.date]] = defaultdict(list)
    for method, as_of in stale:
        by_method[method].append(as_of)
    for method, cutoffs in by_method.items():
        _keep_cutoffs(programme, sorted(cutoffs), method)
    return sum(len(c) for c in by_method.values())


def assessments_as_of(
    programme: Programme, as_of: datetime.date, method: str = DEFAULT_METHOD
) -> list[PastAssessment]:
    """The programme's assessments as of the cut-off: those kept, while still true, else new ones."""
    return kept_as_of(programme, as_of, method) or assess_as_of(programme, as_of, method=method)


def check_cutoffs(cutoffs: list[datetime.date], today: datetime.date) -> None:
    """Refuse cut-offs in the future, or more of them than one request may compute."""
    if len(cutoffs) > MAX_CUTOFFS:
        raise UserFacingError(
            gettext_lazy("At most %(limit)s cut-offs can be assessed at once, not %(count)s."),
            limit=MAX_CUTOFFS,
            count=len(cutoffs),
        )
    future = [day for day in cutoffs if day > today]
    if future:
        raise UserFacingError(
            gettext_lazy("A cut-off cannot be in the future: %(day)s."),
            day=future[0].strftime("%d/%m/%Y"),
        )


def assess_history(
    programme: Programme,
    *,
    cutoffs: list[datetime.date] | None = None,
    today: datetime.date | None = None,
    method: str = DEFAULT_METHOD,
) -> list[datetime.date]:
    """Keep the programme's assessment at every cut-off (by default each quarter end from the
    quarter it was issued in until today) and return the cut-offs assessed."""
    today = today or timezone.localdate()
    cutoffs = sorted(set(cutoffs or quarter_ends(programme.issued_on, today)))
    check_cutoffs(cutoffs, today)
    _keep_cutoffs(programme, cutoffs, method)
    return cutoffs


def assess_all(*, today: datetime.date | None = None, method: str = DEFAULT_METHOD) -> int:
    return sum(
        len(assess_programme(p, today=today, method=method).assessments)
        for p in Programme.objects.all()
    )


def assess_recent_history(
    quarters: int, *, today: datetime.date | None = None, method: str = DEFAULT_METHOD
) -> int:
    """Keep every programme's assessments at its last `quarters` quarter ends (those since it was
    issued), so that its pages show a trend; returns how many cut-offs were assessed in all."""
    today = today or timezone.localdate()
    assessed = 0
    for programme in Programme.objects.all():
        cutoffs = quarter_ends(programme.issued_on, today)[-quarters:]
        if cutoffs:
            assessed += len(assess_history(programme, cutoffs=cutoffs, today=today, method=method))
    return assessed
