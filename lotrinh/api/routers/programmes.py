"""Programmes and their targets."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from lotrinh.api.pagination import BoundedLimitOffset
from lotrinh.api.schemas.indicators import BaselineOut, ProgrammeDetailOut, ProgrammeOut, TargetOut
from lotrinh.api.schemas.units import UnitRef
from lotrinh.core.text import search_key
from lotrinh.indicators.models import Programme, Target
from lotrinh.indicators.queries import baselines_of, list_programmes, programmes_for_unit
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import current_provinces_of

router = Router(tags=["programmes"])


class ProgrammeFilter(Schema):
    q: str = ""
    province: str | None = None
    structure: str = "2025"


class TargetFilter(Schema):
    pillar: str | None = None
    year: int | None = None
    level: str | None = None
    indicator: str | None = None
    programme: str | None = None


def _programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        **{
            f: getattr(programme, f)
            for f in ("code", "number", "document_type", "title", "issuer", "issued_on")
        },
        org_unit=UnitRef.from_orm(programme.org_unit),
        successor_provinces=[UnitRef.from_orm(u) for u in current_provinces_of(programme.org_unit)],
        target_count=getattr(programme, "target_count", programme.target_set.count()),
    )


@router.get("", response=list[ProgrammeOut], operation_id="programmes_list")
@paginate(BoundedLimitOffset)
def programmes_list(request: HttpRequest, filters: Query[ProgrammeFilter]):  # type: ignore[no-untyped-def]
    """Programmes; `province` (a GSO code in `structure`) includes those of merged legacy provinces."""
    programmes = list_programmes()
    if filters.province:
        unit = get_object_or_404(OrgUnit, structure=filters.structure, code=filters.province)
        programmes = programmes_for_unit(unit)
    for word in search_key(filters.q).split():
        programmes = programmes.filter(search_name__contains=word)
    return [_programme_out(p) for p in programmes]


@router.get("/{code}", response=ProgrammeDetailOut, operation_id="programmes_detail")
def programmes_detail(request: HttpRequest, code: str) -> ProgrammeDetailOut:
    programme = get_object_or_404(list_programmes(), code=code)
    return ProgrammeDetailOut(
        **_programme_out(programme).dict(),
        source_note=programme.source_note,
        document_text=programme.document_text,
        baselines=[BaselineOut.from_orm(b) for b in baselines_of(programme)],
    )


def filter_targets(filters: TargetFilter) -> object:
    targets = Target.objects.select_related("programme__org_unit", "indicator").order_by(
        "programme__code", "source_line"
    )
    if filters.programme:
        targets = targets.filter(programme__code=filters.programme)
    if filters.pillar:
        targets = targets.filter(pillar=filters.pillar)
    if filters.year is not None:
        targets = targets.filter(year=filters.year)
    if filters.level is not None:
        targets = targets.filter(level=filters.level)
    if filters.indicator:
        targets = targets.filter(indicator__code=filters.indicator)
    return targets


@router.get("/{code}/targets", response=list[TargetOut], operation_id="programmes_targets")
@paginate(BoundedLimitOffset)
def programmes_targets(request: HttpRequest, code: str, filters: Query[TargetFilter]):  # type: ignore[no-untyped-def]
    get_object_or_404(Programme, code=code)
    filters.programme = code
    return filter_targets(filters)
