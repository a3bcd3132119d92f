"""API shapes of programmes, targets, baselines, indicators and data elements."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from lotrinh.api.schemas.units import UnitRef


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
    note: str


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
