"""Programme and indicator pages."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from lotrinh.access.permissions import can_manage_programme, can_view_programme
from lotrinh.assessment.explain import explain
from lotrinh.assessment.models import Assessment, AssessmentStatus
from lotrinh.assessment.scoring import DEFAULT_METHOD
from lotrinh.core.filters import Choice, one_of, read_filters
from lotrinh.indicators.highlight import highlight
from lotrinh.indicators.models import Indicator, Pillar, Programme
from lotrinh.indicators.queries import (
    baselines_of,
    indicator_comparison,
    list_indicators,
    list_programmes,
    observations_of,
    targets_by_pillar,
)
from lotrinh.orgunits.queries import current_provinces_of
from lotrinh.reporting.publication import published_observations


def programme_index(request: HttpRequest) -> HttpResponse:
    programmes = list(list_programmes())
    for programme in programmes:
        programme.successors = list(current_provinces_of(programme.org_unit))  # type: ignore[attr-defined]
    return render(request, "indicators/programme_index.html", {"programmes": programmes})


def _assessments(programme: Programme) -> dict[int, Assessment]:
    """Stored assessments by target id (computed in the background, never by a page)."""
    return {
        a.target_id: a
        for a in Assessment.objects.filter(target__programme=programme, method=DEFAULT_METHOD)
    }


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(list_programmes(), code=code)
    groups = targets_by_pillar(programme)
    # Progress comes from reported data: shown to those who may see the province's data.
    may_see_progress = can_view_programme(request.user, programme.org_unit)
    assessments = _assessments(programme) if may_see_progress else {}
    for group in groups:
        for target in group.targets:
            target.assessment = assessments.get(target.pk)  # type: ignore[attr-defined]
            target.explanation = explain(target.assessment) if target.assessment else ""  # type: ignore[attr-defined]
    status_counts = Counter(a.status for a in assessments.values())
    baselines = list(baselines_of(programme))
    spans = [(t.text_start, t.text_end, f"t{t.pk}") for g in groups for t in g.targets]
    spans += [(b.text_start, b.text_end, f"b{b.pk}") for b in baselines]
    context = {
        "programme": programme,
        "groups": groups,
        "baselines": baselines,
        "successors": current_provinces_of(programme.org_unit),
        "segments": highlight(programme.document_text, spans),
        "status_summary": [
            (value, label, status_counts[value])
            for value, label in AssessmentStatus.choices
            if status_counts[value]
        ],
        "assessed_at": max((a.computed_at for a in assessments.values()), default=None),
        "may_see_progress": may_see_progress,
        "may_review": can_manage_programme(request.user, programme.org_unit),
    }
    return render(request, "indicators/programme_detail.html", context)


INDICATOR_FILTERS = {"pillar": Choice(gettext_lazy("Pillar"), one_of(*Pillar.values))}


def indicator_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    chosen, problems = read_filters(request.GET, INDICATOR_FILTERS)
    context = {
        "indicators": list_indicators(text=query, pillar=chosen["pillar"]),
        "query": query,
        "pillar": chosen["pillar"],
        "pillars": Pillar.choices,
        "problems": problems,
    }
    return render(
        request, "indicators/indicator_index.html", context, status=400 if problems else 200
    )


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"), code=code
    )
    programmes = list(indicator_comparison(indicator))
    years = sorted(
        {t.year for p in programmes for t in getattr(p, "indicator_targets", []) if t.year}
    )
    for programme in programmes:
        programme.successors = list(current_provinces_of(programme.org_unit))  # type: ignore[attr-defined]
    context = {
        "indicator": indicator,
        "programmes": programmes,
        "years": years,
        "observations": published_observations(observations_of(indicator=indicator)),
    }
    return render(request, "indicators/indicator_detail.html", context)
