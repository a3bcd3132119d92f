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


class SeriesPointOut(Schema):
    """One period's figure behind a status, with how complete it is and what it covers."""

    day: datetime.date
    value: float
    source: str  # reports | published
    expected: int | None  # units expected to report (null for published figures)
    approved: int | None  # of them, units with approved figures
    completeness: float | None  # approved ÷ expected
    provisional: bool  # below the completeness threshold: shown, not used for the status
    covered: int  # legacy provinces of the territory this point covers…
    parts: int  # …of this many (a merged province has several)
    covered_names: list[str] = []  # which ones, by name, when a merger has several
    tier: str  # the tier of the expected units (commune, district, agency, province), "" if mixed
    counted: bool  # whether the status, latest value and forecast rest on this point


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
    data_gap: str  # "" when assessed, else no_source | no_data | too_few_points
    data_gap_label: str
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
    series: list[SeriesPointOut]


class PastStatusOut(Schema):
    """One target's status and figures as they stood at a past cut-off."""

    target_id: int
    status: str
    status_label: str
    latest_year: float | None
    latest_value: float | None
    forecast_value: float | None
    gap: float | None


class CutoffOut(Schema):
    """A programme's assessment at one cut-off: how many targets had each status, and each one."""

    as_of: datetime.date
    counts: dict[str, int]
    targets: list[PastStatusOut]


class HistoryIn(Schema):
    """Cut-offs to assess again (every quarter end since the programme was issued when empty)."""

    cutoffs: list[datetime.date] = []


class HistoryOut(Schema):
    """The programme's kept cut-offs after a recomputation, oldest first."""

    cutoffs: list[CutoffOut]
