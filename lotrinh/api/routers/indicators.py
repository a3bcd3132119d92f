"""The indicator catalogue and targets across programmes."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from lotrinh.api.pagination import BoundedLimitOffset
from lotrinh.api.routers.programmes import TargetFilter, filter_targets
from lotrinh.api.schemas.indicators import IndicatorOut, TargetOut
from lotrinh.indicators.models import Indicator
from lotrinh.indicators.queries import list_indicators

router = Router(tags=["indicators"])


class IndicatorFilter(Schema):
    q: str = ""
    pillar: str = ""


@router.get("/indicators", response=list[IndicatorOut], operation_id="indicators_list")
@paginate(BoundedLimitOffset)
def indicators_list(request: HttpRequest, filters: Query[IndicatorFilter]):  # type: ignore[no-untyped-def]
    return list_indicators(text=filters.q, pillar=filters.pillar)


@router.get("/indicators/{code}", response=IndicatorOut, operation_id="indicators_detail")
def indicators_detail(request: HttpRequest, code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"), code=code
    )


@router.get("/targets", response=list[TargetOut], operation_id="targets_list")
@paginate(BoundedLimitOffset)
def targets_list(request: HttpRequest, filters: Query[TargetFilter]):  # type: ignore[no-untyped-def]
    """Targets of every programme; filter by indicator code to compare provinces side by side."""
    return filter_targets(filters)
