"""Assessments of a programme's targets: status, figures and the series behind each one."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from lotrinh.access.permissions import require_view_programme
from lotrinh.api.auth import api_auth, principal_of
from lotrinh.api.schemas.assessment import AssessmentOut, TargetRef
from lotrinh.assessment.explain import explain
from lotrinh.assessment.models import Assessment
from lotrinh.dashboards.data import programme_assessments
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
        **{name: getattr(assessment, name) for name in _FIGURES},
    )


@router.get(
    "/programmes/{code}/assessments", response=list[AssessmentOut], operation_id="assessments_list"
)
def assessments_list(request: HttpRequest, code: str) -> list[AssessmentOut]:
    """Every target's current assessment (default method), refreshed whenever approved data change."""
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    return [_out(a) for a in programme_assessments(programme)]
