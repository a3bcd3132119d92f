"""Reads of tasks: their state on a day, counts per lead agency, a programme's completion."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Tier
from lotrinh.orgunits.queries import current_provinces_of
from lotrinh.workplan.lights import LightRule
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress

# Departments whose work passed to another on 01/07/2025 (the 2025 reorganisation of provincial
# departments: information and communications joined science and technology; planning and
# investment joined finance). A department not listed kept its name.
AGENCY_SUCCESSORS = {
    "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
}


def programme_provinces(programme: Programme) -> list[OrgUnit]:
    """The provinces whose units may carry a programme's tasks: its own and, for a legacy
    province's programme, the current provinces it merged into."""
    provinces = [programme.org_unit]
    if programme.org_unit.is_legacy:
        provinces += list(current_provinces_of(programme.org_unit))
    return provinces


def successor_unit(unit: OrgUnit) -> OrgUnit | None:
    """Who carries a legacy unit's tasks since 01/07/2025: a department of the current province
    (by name, or the department that took over its work), or the main successor in the crosswalk
    (an abolished district's province); None for a current unit."""
    if not unit.is_legacy:
        return None
    if unit.tier == Tier.AGENCY and unit.parent is not None:
        province = current_provinces_of(unit.parent).first()
        if province is None:
            return None
        name = AGENCY_SUCCESSORS.get(unit.name, unit.name)
        agency = OrgUnit.objects.filter(parent=province, tier=Tier.AGENCY, name=name).first()
        return agency or province
    link = (
        OrgUnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor")
        .order_by("-is_default", "successor__code")
        .first()
    )
    return link.successor if link else None


def _at_risk_days() -> int:
    return int(settings.LOTRINH_TASK_AT_RISK_DAYS)


def with_state(tasks: QuerySet[Task], day: datetime.date) -> QuerySet[Task]:
    """Each task with its state on `day` — its latest approved progress describing that day or
    earlier — and whether it is overdue (past its last day and not done) or at risk (not done,
    and blocked or due within LOTRINH_TASK_AT_RISK_DAYS days)."""
    latest = TaskProgress.objects.filter(
        task=OuterRef("pk"), state=ApprovalState.APPROVED, as_of__lte=day
    ).order_by("-as_of", "-pk")
    horizon = day + datetime.timedelta(days=_at_risk_days())
    return tasks.annotate(
        state_status=Coalesce(
            Subquery(latest.values("status")[:1]), Value(ProgressStatus.NOT_STARTED.value)
        ),
        state_percent=Coalesce(Subquery(latest.values("percent")[:1]), Value(0)),
    ).annotate(
        is_done=ExpressionWrapper(Q(state_status=ProgressStatus.DONE), output_field=BooleanField()),
        is_overdue=ExpressionWrapper(
            Q(due_on__lt=day) & ~Q(state_status=ProgressStatus.DONE), output_field=BooleanField()
        ),
        is_at_risk=ExpressionWrapper(
            ~Q(state_status=ProgressStatus.DONE)
            & ~Q(due_on__lt=day)
            & (Q(state_status=ProgressStatus.BLOCKED) | Q(due_on__lte=horizon)),
            output_field=BooleanField(),
        ),
    )


@dataclass(frozen=True)
class TaskCounts:
    total: int
    done: int
    overdue: int
    at_risk: int
    blocked: int

    @property
    def open(self) -> int:
        return self.total - self.done


def _counting() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(is_done=True)),
        "overdue": Count("pk", filter=Q(is_overdue=True)),
        "at_risk": Count("pk", filter=Q(is_at_risk=True)),
        "blocked": Count("pk", filter=Q(state_status=ProgressStatus.BLOCKED)),
    }


def completion_summary(programme: Programme, day: datetime.date) -> TaskCounts:
    """A programme's tasks on a day: how many, done ("42/48 nhiệm vụ hoàn thành"), overdue, at
    risk and blocked (for review reports, the API and dashboards)."""
    row = with_state(Task.objects.filter(programme=programme), day).aggregate(**_counting())
    return TaskCounts(**row)


def counts_by_lead(tasks: QuerySet[Task], day: datetime.date) -> dict[int, TaskCounts]:
    """Counts per lead unit id, in one query."""
    rows = with_state(tasks, day).values("lead_unit").order_by().annotate(**_counting())
    return {
        row["lead_unit"]: TaskCounts(
            row["total"], row["done"], row["overdue"], row["at_risk"], row["blocked"]
        )
        for row in rows
    }


def tasks_of_unit_subtree(unit: OrgUnit) -> QuerySet[Task]:
    """Tasks led by a unit or any unit below it."""
    return Task.objects.filter(lead_unit__path__startswith=unit.path)


def light_rule() -> LightRule:
    """The traffic-light rule in force (settings LOTRINH_TASK_RED_OVERDUE and ..._AT_RISK_DAYS)."""
    return LightRule(red_overdue=int(settings.LOTRINH_TASK_RED_OVERDUE))
