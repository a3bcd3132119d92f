"""Assessments of a programme's targets: status, figures and the series behind each one."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import NinjaJSONEncoder

from lotrinh.access.permissions import require_manage_programme, require_view_programme
from lotrinh.api.auth import api_auth, principal_of
from lotrinh.api.idempotency import run_idempotent
from lotrinh.api.routers.reporting import IdempotencyKey
from lotrinh.api.schemas.assessment import (
    AssessmentOut,
    CutoffOut,
    HistoryIn,
    HistoryOut,
    PastStatusOut,
    TargetRef,
)
from lotrinh.assessment.explain import GAPS, explain, gap_of, method_label, note_label
from lotrinh.assessment.models import Assessment
from lotrinh.assessment.queries import assessment_history
from lotrinh.assessment.services import assess_history
from lotrinh.dashboards.data import programme_assessments
from lotrinh.dashboards.page_cache import (
    assessments_version,
    cached_body,
    programmes_with_version,
)
from lotrinh.indicators.models import Programme

router = Router(tags=["assessment"], auth=api_auth)

_FIGURES = [
    "status",
    "method",
    "method_version",
    "computed_at",
    "data_cutoff",
    "reason",
    "base_year",
    "base_value",
    "base_source",
    "latest_year",
    "latest_value",
    "target_year",
    "target_value",
    "cagr_actual",
    "cagr_required",
    "ratio",
    "score",
    "forecast_year",
    "forecast_value",
    "gap",
    "deadline_passed",
    "notes",
    "series",
]


def _out(assessment: Assessment) -> AssessmentOut:
    target = assessment.target
    return AssessmentOut(
        target=TargetRef(
            id=target.pk,
            indicator_name=target.indicator_name,
            indicator_code=target.indicator.code,
            pillar=target.pillar,
            level=target.level,
            year=target.year,
            comparator=target.comparator,
            value=float(target.value),
            value_max=float(target.value_max) if target.value_max is not None else None,
            unit=target.unit,
        ),
        explanation=explain(assessment),
        status_label=assessment.get_status_display(),
        data_gap=gap_of(assessment),
        data_gap_label=_(GAPS[gap]) if (gap := gap_of(assessment)) else "",
        method_label=method_label(assessment.method),
        note_labels=[note_label(note) for note in assessment.notes],
        **{name: getattr(assessment, name) for name in _FIGURES},
    )


def _body(programme: Programme) -> str:
    """The JSON of every assessment, exactly as django-ninja would write the schema's output."""
    items = [_out(a).model_dump() for a in programme_assessments(programme)]
    return json.dumps(items, cls=NinjaJSONEncoder)


@router.get(
    "/programmes/{code}/assessments", response=list[AssessmentOut], operation_id="assessments_list"
)
def assessments_list(request: HttpRequest, code: str) -> HttpResponse:
    """Every target's current assessment (default method), refreshed whenever approved data change."""
    programme = get_object_or_404(programmes_with_version(), code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    # Authorised above; the body holds nothing personal and is shared under the data's version.
    body = cached_body(
        assessments_version(programme),
        ("api-assessments", programme.pk, get_language()),
        lambda: _body(programme),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _history(programme: Programme) -> list[CutoffOut]:
    return [
        CutoffOut(
            as_of=cutoff.as_of,
            counts=cutoff.counts,
            targets=[
                PastStatusOut(
                    target_id=a.target_id,
                    status=a.status,
                    status_label=a.get_status_display(),
                    latest_year=a.latest_year,
                    latest_value=a.latest_value,
                    forecast_value=a.forecast_value,
                    gap=a.gap,
                )
                for a in cutoff.assessments
            ],
        )
        for cutoff in assessment_history(programme)
    ]


@router.get(
    "/programmes/{code}/assessments/history",
    response=list[CutoffOut],
    operation_id="assessments_history",
)
def assessments_history(request: HttpRequest, code: str) -> list[CutoffOut]:
    """Every kept cut-off of the programme (oldest first), each target's status then."""
    programme = get_object_or_404(Programme, code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    return _history(programme)


@router.post(
    "/programmes/{code}/assessments/history",
    response=HistoryOut,
    operation_id="assessments_history_recompute",
)
def assessments_history_recompute(
    request: HttpRequest, code: str, body: HistoryIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Assess the programme again at the given cut-offs (every quarter end since it was issued
    when none are given), replacing what was kept for them; idempotent. At most 160 cut-offs
    (services.MAX_CUTOFFS); a future day or too many answer 400 in both languages."""
    programme = get_object_or_404(Programme, code=code)
    require_manage_programme(principal_of(request).user, programme.org_unit)

    def operation() -> HistoryOut:
        assess_history(programme, cutoffs=body.cutoffs or None)
        return HistoryOut(cutoffs=_history(programme))

    return run_idempotent(request, principal_of(request), operation)
