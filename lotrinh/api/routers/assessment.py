"""Assessments of a programme's targets: status, figures and the series behind each one."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import NinjaJSONEncoder

from lotrinh.access.permissions import require_view_programme
from lotrinh.api.auth import api_auth, principal_of
from lotrinh.api.schemas.assessment import AssessmentOut, TargetRef
from lotrinh.assessment.explain import GAPS, explain, gap_of, method_label, note_label
from lotrinh.assessment.models import Assessment
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
