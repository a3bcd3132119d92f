"""Shapes of the tasks API: a task with its state on a day, a programme's summary, progress."""

import datetime
from typing import Any

from ninja import Field, Schema

from lotrinh.api.schemas.units import UnitRef


def unit_ref(unit: Any) -> UnitRef | None:
    if unit is None:
        return None
    return UnitRef(structure=unit.structure, code=unit.code, name=unit.name, tier=unit.tier)


class TaskOut(Schema):
    """A task read from `workplan.queries.with_state` (its state on the day asked)."""

    id: int
    programme: str
    title: str
    lead: UnitRef
    reassigned_from: UnitRef | None
    partners: list[UnitRef]
    deadline_kind: str
    deadline: str = Field(description="As people write it: 30/09/2020, quý IV/2020, năm 2025.")
    due_on: datetime.date | None
    status: str = Field(description="not_started, in_progress, done or blocked, as approved.")
    percent: int
    overdue: bool
    at_risk: bool
    target_ids: list[int]

    @staticmethod
    def resolve_programme(task: Any) -> str:
        return str(task.programme.code)

    @staticmethod
    def resolve_lead(task: Any) -> UnitRef | None:
        return unit_ref(task.lead_unit)

    @staticmethod
    def resolve_reassigned_from(task: Any) -> UnitRef | None:
        return unit_ref(task.reassigned_from)

    @staticmethod
    def resolve_partners(task: Any) -> list[UnitRef | None]:
        return [unit_ref(p) for p in task.partners.all()]

    @staticmethod
    def resolve_deadline(task: Any) -> str:
        return str(task.deadline.label)

    @staticmethod
    def resolve_status(task: Any) -> str:
        return str(task.state_status)

    @staticmethod
    def resolve_percent(task: Any) -> int:
        return int(task.state_percent)

    @staticmethod
    def resolve_overdue(task: Any) -> bool:
        return bool(task.is_overdue)

    @staticmethod
    def resolve_at_risk(task: Any) -> bool:
        return bool(task.is_at_risk)

    @staticmethod
    def resolve_target_ids(task: Any) -> list[int]:
        return [t.pk for t in task.targets.all()]


class TaskIn(Schema):
    """A task as an officer types it; units are named by structure and code, as 2025/66."""

    title: str = Field(max_length=500)
    description: str = Field("", max_length=5000)
    lead: str = Field(description="The lead unit or agency: structure/code, as 2025/66-so-khcn.")
    partners: list[str] = Field(default_factory=list, max_length=50)
    deadline: str = Field(max_length=40, description="30/09/2020, quý IV/2020, 2025 or hằng năm.")
    evidence_required: bool = True
    target_ids: list[int] = Field(default_factory=list, max_length=200)


class TaskSummaryOut(Schema):
    programme: str
    as_of: datetime.date
    total: int
    done: int
    overdue: int
    at_risk: int
    blocked: int


class ProgressIn(Schema):
    status: str = Field(description="not_started, in_progress, done or blocked.")
    percent: int | None = Field(None, ge=0, le=100)
    evidence_number: str = Field("", max_length=100)
    evidence_url: str = Field("", max_length=500)
    blocked_reason: str = Field("", max_length=2000)
    note: str = Field("", max_length=2000)
    as_of: datetime.date | None = None


class ProgressOut(Schema):
    id: int
    task_id: int
    period: str
    as_of: datetime.date
    status: str
    percent: int | None
    evidence_number: str
    evidence_url: str
    blocked_reason: str
    state: str
    is_illustrative: bool
