"""API shapes of programmes, targets, baselines, indicators and data elements."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from lotrinh.access.permissions import can_manage_programme
from lotrinh.api.schemas.units import UnitRef
from lotrinh.indicators.models import Programme, Target


def may_review(request: HttpRequest, programme: Programme) -> bool:
    """Whether the caller reviews the programme, asked once per programme and request."""
    answers: dict[int, bool] = request.__dict__.setdefault("_lotrinh_reviews", {})
    if programme.pk not in answers:
        answers[programme.pk] = can_manage_programme(request.user, programme.org_unit)
    return answers[programme.pk]


class DataElementOut(Schema):
    code: str
    name: str
    name_en: str


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    pillar: str
    unit_kind: str
    unit: str
    direction: str
    computation: str
    numerator: DataElementOut | None
    denominator: DataElementOut | None
    aliases: list[str]


class IndicatorRef(Schema):
    code: str
    name: str


class ProgrammeRef(Schema):
    code: str
    number: str
    title: str


class TargetOut(Schema):
    id: int
    programme: ProgrammeRef
    indicator: IndicatorRef
    indicator_name: str
    pillar: str
    level: str
    year: int | None
    period: str
    comparator: str
    is_strict: bool
    value: Decimal
    value_max: Decimal | None
    unit: str
    rank_total: int | None
    text: str
    text_start: int
    text_end: int
    year_source: str
    is_restatement: bool
    is_borderline: bool
    is_implicit_value: bool
    note: str = Field(
        description="The reviewers' note; empty unless the caller reviews the programme."
    )

    @staticmethod
    def resolve_note(obj: Target, context: dict[str, Any]) -> str:
        return obj.note if may_review(context["request"], obj.programme) else ""


class BaselineOut(Schema):
    id: int
    indicator: IndicatorRef
    indicator_name: str
    level: str
    year: int | None
    comparator: str
    value: Decimal
    unit: str
    rank_total: int | None
    text: str


class ProgrammeOut(Schema):
    code: str
    number: str
    document_type: str
    title: str
    issuer: str
    issued_on: datetime.date
    org_unit: UnitRef
    successor_provinces: list[UnitRef]
    target_count: int


class ProgrammeDetailOut(ProgrammeOut):
    source_note: str
    document_text: str
    baselines: list[BaselineOut]
