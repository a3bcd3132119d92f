"""Tasks of programmes for other systems: the list with each task's state, a programme's completion
summary, and progress reports with their approval. Every operation needs a signed-in session or
an API token and is authorised like the task pages; writes go through lotrinh.workplan.services
and run once per `Idempotency-Key`."""

import datetime
from dataclasses import replace
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Header, Router
from ninja.pagination import paginate

from lotrinh.access.permissions import require_view_programme
from lotrinh.api.auth import actor_of, api_auth, principal_of
from lotrinh.api.idempotency import run_idempotent
from lotrinh.api.pagination import BoundedLimitOffset
from lotrinh.api.schemas.reporting import ErrorOut, ReasonIn
from lotrinh.api.schemas.workplan import (
    ProgressIn,
    ProgressOut,
    TaskIn,
    TaskOut,
    TaskSummaryOut,
)
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit
from lotrinh.workplan.deadlines import parse_deadline
from lotrinh.workplan.models import Task, TaskProgress
from lotrinh.workplan.queries import completion_summary, with_state
from lotrinh.workplan.services import (
    ProgressInput,
    TaskInput,
    approve_progress,
    create_tasks,
    report_progress,
    require_view_task,
    return_progress,
    task_input_of,
    update_task,
)

router = Router(tags=["tasks"], auth=api_auth)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A new unique value per write; send the same one to retry it. See docs/api.md.",
    ),
]
_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS: dict[int, Any] = _ERRORS | {400: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _programme(request: HttpRequest, code: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    return programme


def _task(request: HttpRequest, task_id: int) -> Task:
    """A task, for those who follow its programme or see its lead unit (its reporters)."""
    task = get_object_or_404(
        Task.objects.select_related("programme__org_unit", "lead_unit"), pk=task_id
    )
    require_view_task(principal_of(request).user, task)
    return task


@router.get(
    "/programmes/{code}/tasks",
    response=list[TaskOut],
    operation_id="tasks_list",
)
@paginate(BoundedLimitOffset)
def tasks_list(request: HttpRequest, code: str, as_of: datetime.date | None = None):  # type: ignore[no-untyped-def]
    """A programme's tasks with their approved state on `as_of` (default: today)."""
    programme = _programme(request, code)
    return with_state(
        Task.objects.filter(programme=programme)
        .select_related("programme", "lead_unit", "reassigned_from")
        .prefetch_related("partners", "targets"),
        as_of or timezone.localdate(),
    )


def _unit(reference: str) -> OrgUnit:
    structure, _slash, code = reference.partition("/")
    unit = OrgUnit.objects.filter(structure=structure, code=code).first()
    if unit is None:
        raise UserFacingError(
            _("No unit is “%(value)s”: write its structure and code, as 2025/66."),
            value=reference,
        )
    return unit


def _task_fields(body: TaskIn) -> dict[str, Any]:
    """The body's task fields as the service's input names them."""
    return {
        "title": body.title,
        "description": body.description,
        "lead_unit": _unit(body.lead),
        "partners": [_unit(p) for p in body.partners],
        "deadline": parse_deadline(body.deadline),
        "evidence_required": body.evidence_required,
        "target_ids": body.target_ids,
    }


def _task_out(task: Task) -> TaskOut:
    state = with_state(
        Task.objects.filter(pk=task.pk)
        .select_related("programme", "lead_unit", "reassigned_from")
        .prefetch_related("partners", "targets"),
        timezone.localdate(),
    ).get()
    return TaskOut.from_orm(state)


@router.post(
    "/programmes/{code}/tasks",
    response={200: TaskOut} | _WRITE_ERRORS,
    operation_id="tasks_create",
)
def tasks_create(
    request: HttpRequest, code: str, body: TaskIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Create a task of the programme (its officers and administrators), checked as the page
    checks it: a deadline not before the programme's date, units of its province, a lead."""

    def operation() -> TaskOut:
        programme = _programme(request, code)
        data = TaskInput(**_task_fields(body))
        return _task_out(create_tasks(actor_of(request), programme, [data])[0])

    return run_idempotent(request, principal_of(request), operation)


@router.put(
    "/tasks/{task_id}",
    response={200: TaskOut} | _WRITE_ERRORS,
    operation_id="tasks_update",
)
def tasks_update(
    request: HttpRequest, task_id: int, body: TaskIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Change a task (its programme's officers and administrators); the change is audited."""

    def operation() -> TaskOut:
        task = _task(request, task_id)
        data = replace(task_input_of(task), **_task_fields(body))
        return _task_out(update_task(actor_of(request), task, data))

    return run_idempotent(request, principal_of(request), operation)


@router.get(
    "/programmes/{code}/tasks/summary",
    response={200: TaskSummaryOut} | _ERRORS,
    operation_id="tasks_summary",
)
def tasks_summary(
    request: HttpRequest, code: str, as_of: datetime.date | None = None
) -> TaskSummaryOut:
    """How many of a programme's tasks are done, overdue, at risk and blocked on `as_of`."""
    programme = _programme(request, code)
    day = as_of or timezone.localdate()
    summary = completion_summary(programme, day)
    return TaskSummaryOut(
        programme=programme.code,
        as_of=day,
        total=summary.total,
        done=summary.done,
        overdue=summary.overdue,
        at_risk=summary.at_risk,
        blocked=summary.blocked,
    )


def _progress_out(progress: TaskProgress) -> ProgressOut:
    return ProgressOut(
        id=progress.pk,
        task_id=progress.task_id,
        period=progress.period_code,
        as_of=progress.as_of,
        status=progress.status,
        percent=progress.percent,
        evidence_number=progress.evidence_number,
        evidence_url=progress.evidence_url,
        blocked_reason=progress.blocked_reason,
        state=progress.state,
        is_illustrative=progress.is_illustrative,
    )


@router.post(
    "/tasks/{task_id}/progress",
    response={200: ProgressOut} | _WRITE_ERRORS,
    operation_id="tasks_progress_report",
)
def tasks_progress_report(
    request: HttpRequest, task_id: int, body: ProgressIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """The lead agency reports a task's state; it counts once an approver approves it."""

    def operation() -> ProgressOut:
        task = _task(request, task_id)
        data = ProgressInput(**body.dict())
        return _progress_out(report_progress(actor_of(request), task, data))

    return run_idempotent(request, principal_of(request), operation)


def _progress(request: HttpRequest, progress_id: int) -> TaskProgress:
    progress = get_object_or_404(TaskProgress, pk=progress_id)
    _task(request, progress.task_id)
    return progress


@router.post(
    "/tasks/progress/{progress_id}/approve",
    response={200: ProgressOut} | _WRITE_ERRORS,
    operation_id="tasks_progress_approve",
)
def tasks_progress_approve(
    request: HttpRequest, progress_id: int, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Approve a submitted progress report (approvers of the lead unit or above it)."""

    def operation() -> ProgressOut:
        progress = _progress(request, progress_id)
        return _progress_out(approve_progress(actor_of(request), progress))

    return run_idempotent(request, principal_of(request), operation)


@router.post(
    "/tasks/progress/{progress_id}/return",
    response={200: ProgressOut} | _WRITE_ERRORS,
    operation_id="tasks_progress_return",
)
def tasks_progress_return(
    request: HttpRequest, progress_id: int, body: ReasonIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Send a submitted progress report back to its agency with a reason."""

    def operation() -> ProgressOut:
        progress = _progress(request, progress_id)
        return _progress_out(return_progress(actor_of(request), progress, body.reason))

    return run_idempotent(request, principal_of(request), operation)
