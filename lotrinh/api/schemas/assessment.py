"""API shapes of assessments: a target's status with every figure behind it."""

from __future__ import annotations

import datetime

from ninja import Schema


class TargetRef(Schema):
    id: int
    indicator_name: str
    indicator_code: str
    pillar: str
    level: str
    year: int | None
    comparator: str
    value: float
    value_max: float | None
    unit: str


class AssessmentOut(Schema):
    target: TargetRef
    status: str
    status_label: str
    explanation: str
    method: str
    method_label: str
    method_version: str
    computed_at: datetime.datetime
    data_cutoff: datetime.date | None
    reason: str
    base_year: float | None
    base_value: float | None
    base_source: str
    latest_year: float | None
    latest_value: float | None
    target_year: float | None
    target_value: float | None
    cagr_actual: float | None
    cagr_required: float | None
    ratio: float | None
    score: float | None
    forecast_year: float | None
    forecast_value: float | None
    gap: float | None
    deadline_passed: bool
    notes: list[str]
    note_labels: list[str]
    series: list[list[str | float]]
