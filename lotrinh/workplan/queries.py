"""Reads of tasks: their state on a day, counts per lead agency, a programme's completion."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

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

from lotrinh.dashboards.tilegrid import fitted_grid, tile_grid
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.orgunits.queries import current_provinces_of, in_subtree
from lotrinh.workplan.lights import GREEN, LABELS, NONE, RED, YELLOW, LightRule, light
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress

# Departments whose work passed to another on 01/07/2025 (the 2025 reorganisation of provincial
# departments: information and communications joined science and technology; planning and
# investment joined finance; foreign affairs went to the provincial people's committee's office in
# most provinces). A department not listed kept its name.
AGENCY_SUCCESSORS = {
    "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
    "Sở Ngoại vụ": "Văn phòng Ủy ban nhân dân tỉnh",
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


MAX_COMMUNE_PARTNERS = 60  # a district had at most a few dozen communes; bounded all the same


@dataclass(frozen=True)
class Reassignment:
    """Where a legacy unit's task goes on 01/07/2025: its new lead and, for an abolished
    district, the current communes that carry the district's territory, added as partners."""

    task: Task
    lead: OrgUnit
    communes: list[OrgUnit]


def district_communes(district: OrgUnit) -> list[OrgUnit]:
    """The current communes that succeeded an abolished district's communes (the crosswalk)."""
    return list(
        OrgUnit.objects.filter(
            structure=Structure.CURRENT,
            tier=Tier.COMMUNE,
        )
        .filter(in_subtree(district.path, via="predecessor_links__predecessor__"))
        .distinct()
        .order_by("name", "code")[:MAX_COMMUNE_PARTNERS]
    )


def planned_reassignments(tasks: QuerySet[Task]) -> list[Reassignment]:
    """The moves `services.reassign_through_crosswalk` makes, shown to the officer before."""
    planned = []
    for task in tasks.select_related("lead_unit", "lead_unit__parent"):
        lead = successor_unit(task.lead_unit)
        if lead is None or lead.pk == task.lead_unit_id:
            continue
        communes = district_communes(task.lead_unit) if task.lead_unit.tier == Tier.DISTRICT else []
        planned.append(Reassignment(task, lead, communes))
    return planned


def at_risk_days() -> int:
    return int(settings.LOTRINH_TASK_AT_RISK_DAYS)


def with_state(tasks: QuerySet[Task], day: datetime.date) -> QuerySet[Task]:
    """Each task with its state on `day` — its latest approved progress describing that day or
    earlier — and whether it is overdue (past its last day and not done) or at risk (not done,
    and blocked or due within LOTRINH_TASK_AT_RISK_DAYS days)."""
    latest = TaskProgress.objects.filter(
        task=OuterRef("pk"), state=ApprovalState.APPROVED, as_of__lte=day
    ).order_by("-as_of", "-pk")
    horizon = day + datetime.timedelta(days=at_risk_days())
    return tasks.annotate(
        state_status=Coalesce(
            Subquery(latest.values("status")[:1]), Value(ProgressStatus.NOT_STARTED.value)
        ),
        state_percent=Coalesce(Subquery(latest.values("percent")[:1]), Value(0)),
    ).annotate(
        is_done=ExpressionWrapper(Q(state_status=ProgressStatus.DONE), output_field=BooleanField()),
        # A yearly task has no last day (due_on is NULL): it is never overdue nor due soon.
        is_overdue=ExpressionWrapper(
            Q(due_on__isnull=False, due_on__lt=day) & ~Q(state_status=ProgressStatus.DONE),
            output_field=BooleanField(),
        ),
        is_at_risk=ExpressionWrapper(
            ~Q(state_status=ProgressStatus.DONE)
            & ~Q(due_on__lt=day)
            & (
                Q(state_status=ProgressStatus.BLOCKED)
                | Q(due_on__isnull=False, due_on__lte=horizon)
            ),
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


def lights_by_lead(tasks: QuerySet[Task], day: datetime.date) -> dict[int, dict[str, Any]]:
    """Counts, light and its label per lead unit id."""
    rule = light_rule()
    return {pk: {"counts": c, **_lit(c, rule)} for pk, c in counts_by_lead(tasks, day).items()}


def counts_by_lead(tasks: QuerySet[Task], day: datetime.date) -> dict[int, TaskCounts]:
    """Counts per lead unit id, in one query."""
    rows: Any = with_state(tasks, day).values("lead_unit").order_by().annotate(**_counting())
    return {
        row["lead_unit"]: TaskCounts(
            row["total"], row["done"], row["overdue"], row["at_risk"], row["blocked"]
        )
        for row in rows
    }


def light_rule() -> LightRule:
    """The traffic-light rule in force (settings LOTRINH_TASK_RED_OVERDUE and ..._AT_RISK_DAYS)."""
    return LightRule(red_overdue=int(settings.LOTRINH_TASK_RED_OVERDUE))


def _province_code(unit: OrgUnit) -> str:
    return unit.path.split("/")[1]


def _lit(counts: TaskCounts, rule: LightRule) -> dict[str, Any]:
    colour = light(counts.total, counts.overdue, counts.at_risk, rule)
    return {"light": colour, "label": LABELS[colour]}


def province_lights(tasks: QuerySet[Task], day: datetime.date) -> list[dict[str, Any]]:
    """One row per current province leading any of `tasks` (through its agencies, communes or
    itself): its counts and light, reddest first."""
    by_lead = counts_by_lead(tasks, day)
    leads = OrgUnit.objects.filter(pk__in=list(by_lead)).only("path", "structure")
    totals: dict[str, list[int]] = {}
    for unit in leads:
        if unit.structure != Structure.CURRENT:
            continue
        c = by_lead[unit.pk]
        row = totals.setdefault(_province_code(unit), [0, 0, 0, 0, 0])
        for i, value in enumerate((c.total, c.done, c.overdue, c.at_risk, c.blocked)):
            row[i] += value
    provinces = OrgUnit.objects.filter(
        structure=Structure.CURRENT, tier=Tier.PROVINCE, code__in=list(totals)
    )
    rule = light_rule()
    rows = [
        {"unit": p, "counts": (c := TaskCounts(*totals[p.code])), **_lit(c, rule)}
        for p in provinces
    ]
    order = {RED: 0, YELLOW: 1, GREEN: 2, NONE: 3}
    return sorted(rows, key=lambda r: (order[r["light"]], r["unit"].name))


def unit_lights(
    tasks: QuerySet[Task], province: OrgUnit, day: datetime.date
) -> list[dict[str, Any]]:
    """One row per agency, commune or the province itself leading tasks in `province`."""
    by_lead = counts_by_lead(tasks.filter(in_subtree(province.path, via="lead_unit__")), day)
    rule = light_rule()
    units = OrgUnit.objects.in_bulk(list(by_lead))
    rows = [{"unit": units[pk], "counts": c, **_lit(c, rule)} for pk, c in by_lead.items()]
    order = {RED: 0, YELLOW: 1, GREEN: 2, NONE: 3}
    return sorted(rows, key=lambda r: (order[r["light"]], r["unit"].tier, r["unit"].name))


def province_tiles(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every current province as a tile of the grid map, coloured by its light (none: no tasks)."""
    lights = {row["unit"].code: row["light"] for row in rows}
    provinces = list(
        OrgUnit.objects.filter(
            structure=Structure.CURRENT, tier=Tier.PROVINCE, latitude__isnull=False
        ).only("code", "name", "short_name", "latitude", "longitude")
    )
    names = {p.code: p.short_name or p.name for p in provinces}
    tiles = tile_grid([(p.code, p.latitude or 0.0, p.longitude or 0.0) for p in provinces])
    return [
        {
            "code": t.code,
            "name": names[t.code],
            "column": t.column + 1,
            "row": t.row + 1,
            "light": lights.get(t.code, NONE),
            "label": LABELS[lights.get(t.code, NONE)],
        }
        for t in tiles
    ]


def commune_tiles(
    rows: list[dict[str, Any]], province: OrgUnit
) -> tuple[int, list[dict[str, Any]]]:
    """Every current commune of `province` as a tile laid out roughly where it is, coloured by the
    light of the tasks it leads (`rows` from `unit_lights`; none: it leads no task). Returns the
    grid's number of columns and the tiles."""
    lights = {row["unit"].pk: row["light"] for row in rows}
    communes = list(
        OrgUnit.objects.filter(
            parent=province, tier=Tier.COMMUNE, structure=Structure.CURRENT, latitude__isnull=False
        ).only("pk", "code", "name", "short_name", "latitude", "longitude")
    )
    by_code = {c.code: c for c in communes}
    columns, tiles = fitted_grid(
        [(c.code, c.latitude or 0.0, c.longitude or 0.0) for c in communes]
    )
    return columns, [
        {
            "name": by_code[t.code].short_name or by_code[t.code].name,
            "full_name": by_code[t.code].name,
            "column": t.column + 1,
            "row": t.row + 1,
            "light": lights.get(by_code[t.code].pk, NONE),
            "label": LABELS[lights.get(by_code[t.code].pk, NONE)],
        }
        for t in tiles
    ]


def units_behind(
    tasks: QuerySet[Task], day: datetime.date, limit: int = 200
) -> list[dict[str, Any]]:
    """The lead units with overdue or at-risk tasks, most overdue first (for "who is behind")."""
    rows = [
        {"unit_id": pk, **row}
        for pk, row in lights_by_lead(tasks, day).items()
        if row["counts"].overdue or row["counts"].at_risk
    ]
    rows.sort(key=lambda r: (-r["counts"].overdue, -r["counts"].at_risk))
    units = OrgUnit.objects.select_related("parent").in_bulk([r["unit_id"] for r in rows[:limit]])
    return [{**r, "unit": units[r["unit_id"]]} for r in rows[:limit]]
