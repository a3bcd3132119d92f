"""Every write to tasks and their progress: check permission → validate → write, audit, announce.

Bad input is refused with a message in Vietnamese and English (`TaskError`) before anything is
written; each write is one transaction, so nothing is half-stored.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import (
    can_manage_programme,
    can_view_unit,
    needs_second_person,
    require_approve_for,
    require_report_for,
    require_view_programme,
)
from lotrinh.core.audit import audit_event
from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Programme, Target
from lotrinh.indicators.services import SAMPLE_PROGRAMMES
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit
from lotrinh.orgunits.services import add_agency
from lotrinh.reporting.models import Notification
from lotrinh.reporting.periods import period_code
from lotrinh.reporting.services import Actor
from lotrinh.workplan import evidence
from lotrinh.workplan.deadlines import Deadline
from lotrinh.workplan.files import read_tasks, tasks_file_for
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress
from lotrinh.workplan.queries import planned_reassignments, programme_provinces
from lotrinh.workplan.signals import progress_decided

MAX_TITLE = 500


class TaskError(UserFacingError):
    """A task or a progress report that cannot be stored as given."""


@dataclass
class TaskInput:
    """What an officer (or a reviewed file, or the extractor's accepted proposal) gives for a task."""

    title: str
    lead_unit: OrgUnit
    deadline: Deadline
    description: str = ""
    partners: Sequence[OrgUnit] = ()
    target_ids: Sequence[int] = ()
    evidence_required: bool = True
    text: str = ""
    text_start: int | None = None
    text_end: int | None = None
    source_line: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgressInput:
    status: str
    percent: int | None = None
    evidence_number: str = ""
    evidence_url: str = ""
    blocked_reason: str = ""
    note: str = ""
    as_of: datetime.date | None = None
    evidence_file: File | None = None  # an upload, checked when reported


def _user(actor: Actor) -> User | None:
    return cast(User, actor.user) if actor.user.is_authenticated else None


def _audit(actor: Actor, kind: str, pk: int, action: str, **values: object) -> AuditEvent:
    return audit_event(
        action,
        kind,
        pk,
        user=actor.user,
        ip_address=actor.ip_address,
        channel=actor.channel,
        field=str(values.get("field", "")),
        old=values.get("old", ""),
        new=values.get("new", ""),
        reason=str(values.get("reason", "")),
    )


def require_manage_tasks(actor: Actor, programme: Programme) -> None:
    if not can_manage_programme(actor.user, programme.org_unit):
        raise PermissionDenied(
            gettext("Only the programme's officers and administrators may change its tasks.")
        )


def _check_unit(programme: Programme, unit: OrgUnit, role: object) -> None:
    if not any(unit.path.startswith(p.path) for p in programme_provinces(programme)):
        raise TaskError(
            _(
                "%(unit)s is not in %(province)s: the %(role)s of a task must be a unit or "
                "agency of the programme's province."
            ),
            unit=unit.name,
            province=programme.org_unit.name,
            role=role,
        )


def check_task(programme: Programme, data: TaskInput) -> TaskInput:
    """The task as it will be stored, or the first problem with it, explained."""
    title = " ".join(data.title.split())
    if not title:
        raise TaskError(_("A task needs a title: what must be done."))
    if len(title) > MAX_TITLE:
        raise TaskError(_("A task's title has at most %(n)s characters."), n=MAX_TITLE)
    due_on = data.deadline.due_on
    if due_on is not None and due_on < programme.issued_on:
        raise TaskError(
            _(
                "The deadline %(deadline)s is before the programme's date %(issued)s: a task "
                "cannot be due before it was assigned."
            ),
            deadline=lazy(lambda: data.deadline.label, str)(),
            issued=programme.issued_on.strftime("%d/%m/%Y"),
        )
    _check_unit(programme, data.lead_unit, _("lead agency"))
    for partner in data.partners:
        _check_unit(programme, partner, _("partner"))
    if data.lead_unit in data.partners:
        raise TaskError(
            _("%(unit)s leads the task, so it cannot also be one of its partners."),
            unit=data.lead_unit.name,
        )
    known = set(
        Target.objects.filter(programme=programme, pk__in=data.target_ids).values_list(
            "pk", flat=True
        )
    )
    if missing := [str(pk) for pk in data.target_ids if pk not in known]:
        raise TaskError(
            _("The targets %(ids)s are not targets of this programme."), ids=", ".join(missing)
        )
    data.title = title
    return data


def _task_fields(data: TaskInput) -> dict[str, object]:
    deadline = data.deadline
    return {
        "title": data.title,
        "description": data.description.strip(),
        "lead_unit": data.lead_unit,
        "deadline_kind": deadline.kind,
        "deadline_year": deadline.year,
        "deadline_quarter": deadline.quarter,
        "deadline_date": deadline.day,
        "due_on": deadline.due_on,
        "evidence_required": data.evidence_required,
        "text": data.text,
        "text_start": data.text_start,
        "text_end": data.text_end,
    }


def create_tasks(actor: Actor, programme: Programme, items: Iterable[TaskInput]) -> list[Task]:
    """Create tasks (typed by an officer, or proposals accepted on the review page): all or none."""
    require_manage_tasks(actor, programme)
    return _create(actor, programme, [check_task(programme, data) for data in items])


def _create(actor: Actor, programme: Programme, checked: list[TaskInput]) -> list[Task]:
    created: list[Task] = []
    with transaction.atomic():
        for data in checked:
            task = Task.objects.create(
                programme=programme, source_line=data.source_line, **_task_fields(data)
            )
            task.partners.set(data.partners)
            task.targets.set(data.target_ids)
            created.append(task)
        AuditEvent.objects.bulk_create(
            _audit(actor, "task", t.pk, "task_created", new=t.title) for t in created
        )
    return created


def _described(data: TaskInput) -> dict[str, str]:
    """A task's editable fields as the audit trail records them (names, labels, ids)."""
    return {
        "title": data.title,
        "description": data.description.strip(),
        "lead_unit": data.lead_unit.name,
        "partners": ", ".join(sorted(p.name for p in data.partners)),
        "deadline": str(data.deadline.label),
        "evidence_required": str(data.evidence_required),
        "targets": ", ".join(str(pk) for pk in sorted(data.target_ids)),
    }


def task_input_of(task: Task) -> TaskInput:
    """A stored task as the input that would store it again: the starting point of an edit."""
    return TaskInput(
        title=task.title,
        lead_unit=task.lead_unit,
        deadline=task.deadline,
        description=task.description,
        partners=list(task.partners.all()),
        target_ids=list(task.targets.values_list("pk", flat=True)),
        evidence_required=task.evidence_required,
        text=task.text,
        text_start=task.text_start,
        text_end=task.text_end,
        source_line=task.source_line,
    )


def update_task(actor: Actor, task: Task, data: TaskInput, *, action: str = "task_changed") -> Task:
    """Change a task's title, description, lead, partners, deadline, evidence rule or targets, with
    the same checks as creating it; one audit event names every changed field, old and new. The
    source sentence and its offsets stay those of the document."""
    require_manage_tasks(actor, task.programme)
    data = check_task(task.programme, data)
    with transaction.atomic():
        task = (
            Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
        )
        before = _described(task_input_of(task))
        after = _described(data)
        changes = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        if not changes:
            return task
        fields = _task_fields(data)
        for name in ("text", "text_start", "text_end"):
            fields.pop(name)
        for name, value in fields.items():
            setattr(task, name, value)
        task.save(update_fields=list(fields))
        task.partners.set(data.partners)
        task.targets.set(data.target_ids)
        # One field: its old and new values; several: each named, and all in `changes`.
        single = len(changes) == 1
        event = _audit(
            actor,
            "task",
            task.pk,
            action,
            field=",".join(changes)[:80],
            old="; ".join(v[0] if single else f"{k}: {v[0]}" for k, v in changes.items()),
            new="; ".join(v[1] if single else f"{k}: {v[1]}" for k, v in changes.items()),
        )
        event.changes = changes
        event.save()
    return task


def assign_task(
    actor: Actor, task: Task, lead_unit: OrgUnit, partners: Sequence[OrgUnit] = ()
) -> Task:
    """Give a task to another lead agency (and partners); the change is audited."""
    data = task_input_of(task)
    data.lead_unit, data.partners = lead_unit, list(partners)
    return update_task(actor, task, data, action="task_assigned")


def _checked_file(
    task: Task, data: ProgressInput, *, has_other_evidence: bool
) -> evidence.EvidenceFile | None:
    """The file of evidence, checked, and whether "done" has the evidence its task requires."""
    if data.evidence_file is not None and data.status != ProgressStatus.DONE:
        raise TaskError(_("A file of evidence goes with “done”: choose “done”, or send no file."))
    file = evidence.check_evidence(data.evidence_file) if data.evidence_file else None
    done = data.status == ProgressStatus.DONE
    if done and task.evidence_required and not has_other_evidence and file is None:
        raise TaskError(
            _(
                "“Done” needs evidence for this task: give the number of the document that "
                "completes it, a link to it, or the file."
            )
        )
    return file


def _check_progress(
    task: Task, data: ProgressInput, today: datetime.date
) -> tuple[ProgressInput, evidence.EvidenceFile | None]:
    as_of = data.as_of or today
    if as_of > today:
        raise TaskError(
            _("Progress can be reported up to today, not for %(day)s."),
            day=as_of.strftime("%d/%m/%Y"),
        )
    if as_of < task.programme.issued_on:
        raise TaskError(
            _("%(day)s is before the programme's date %(issued)s."),
            day=as_of.strftime("%d/%m/%Y"),
            issued=task.programme.issued_on.strftime("%d/%m/%Y"),
        )
    if data.status not in ProgressStatus.values:
        raise TaskError(
            _(
                "“%(status)s” is not a task status: choose not started, in progress, done or blocked."
            ),
            status=data.status,
        )
    percent = data.percent
    if data.status == ProgressStatus.IN_PROGRESS:
        if percent is None or not 0 <= percent <= 99:
            raise TaskError(
                _(
                    "A task in progress needs how much of it is done: a percentage from 0 to 99 "
                    "(at 100%% it is done)."
                )
            )
    else:
        percent = {str(ProgressStatus.DONE): 100, str(ProgressStatus.NOT_STARTED): 0}.get(
            data.status
        )
    number, url = " ".join(data.evidence_number.split()), data.evidence_url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise TaskError(
                _("“%(url)s” is not a web link: it must start with https:// or http://."), url=url
            ) from None
    file = _checked_file(task, data, has_other_evidence=bool(number or url))
    reason = " ".join(data.blocked_reason.split())
    if data.status == ProgressStatus.BLOCKED and len(reason) < 5:
        raise TaskError(_("A blocked task needs a reason: what stands in the way, in a few words."))
    checked = ProgressInput(
        status=data.status,
        percent=percent,
        evidence_number=number[:100],
        evidence_url=url,
        blocked_reason=reason if data.status == ProgressStatus.BLOCKED else "",
        note=data.note.strip(),
        as_of=as_of,
    )
    return checked, file


def report_progress(
    actor: Actor, task: Task, data: ProgressInput, *, illustrative: bool = False
) -> TaskProgress:
    """The lead agency reports its task's state; it counts once an approver approves it."""
    require_report_for(actor.user, task.lead_unit)
    checked, file = _check_progress(task, data, timezone.localdate())
    assert checked.as_of is not None  # noqa: S101 - set by _check_progress
    key = evidence.store(file) if file else ""
    try:
        return _store_progress(actor, task, checked, file, key, illustrative=illustrative)
    except BaseException:
        evidence.discard(key)  # the row was not stored, so neither is its file
        raise


def _store_progress(
    actor: Actor,
    task: Task,
    checked: ProgressInput,
    file: evidence.EvidenceFile | None,
    key: str,
    *,
    illustrative: bool,
) -> TaskProgress:
    assert checked.as_of is not None  # noqa: S101 - set by _check_progress
    quarter = (checked.as_of.month - 1) // 3 + 1
    with transaction.atomic():
        progress = TaskProgress.objects.create(
            task=task,
            period_code=period_code("quarterly", checked.as_of.year, quarter),
            as_of=checked.as_of,
            status=checked.status,
            percent=checked.percent,
            evidence_number=checked.evidence_number,
            evidence_url=checked.evidence_url,
            evidence_file=key,
            evidence_file_name=file.name if file else "",
            evidence_file_kind=file.kind if file else "",
            evidence_file_sha256=file.sha256 if file else "",
            blocked_reason=checked.blocked_reason,
            note=checked.note,
            is_illustrative=illustrative,
            reporter=_user(actor),
        )
        _audit(
            actor,
            "task",
            task.pk,
            "task_progress_reported",
            field="status",
            new=" ".join(
                str(part)
                for part in (
                    checked.status,
                    checked.percent if checked.percent is not None else "",
                    f"{file.name} sha256:{file.sha256}" if file else "",
                )
                if part != ""
            ),
            reason=checked.blocked_reason,
        ).save()
    return progress


def require_view_task(user: AbstractBaseUser | AnonymousUser, task: Task) -> None:
    """A task is seen by its lead unit's people and by those who may follow its programme."""
    if not can_view_unit(user, task.lead_unit):
        require_view_programme(user, task.programme.org_unit)


def evidence_for_download(actor: Actor, progress: TaskProgress) -> Path:
    """The kept file of a progress report, for someone who may see its task; each download is
    audited (who, from where, which file)."""
    require_view_task(actor.user, progress.task)
    path = evidence.stored_path(progress.evidence_file)
    if path is None:
        raise TaskError(_("This progress report has no file of evidence."))
    _audit(
        actor,
        "task",
        progress.task_id,
        "task_evidence_downloaded",
        field="evidence_file",
        new=f"{progress.evidence_file_name} sha256:{progress.evidence_file_sha256}",
    ).save()
    return path


class TaskBatchError(TaskError):
    """Some rows of a batch of progress reports cannot be stored; `errors` names them by task."""

    def __init__(self, errors: dict[int, UserFacingError]) -> None:
        self.errors = errors
        super().__init__(_("%(count)s rows have a problem; nothing was sent."), count=len(errors))


def report_progress_many(
    actor: Actor, rows: Sequence[tuple[Task, ProgressInput]]
) -> list[TaskProgress]:
    """Several tasks' progress at once (the table of a unit's tasks): every row is checked first,
    and a bad row stops the whole batch, named beside its task, so nobody has to find out which
    of their rows were stored."""
    today = timezone.localdate()
    errors: dict[int, UserFacingError] = {}
    for task, data in rows:
        require_report_for(actor.user, task.lead_unit)
        try:
            _check_progress(task, data, today)
        except UserFacingError as error:
            errors[task.pk] = error
    if errors:
        raise TaskBatchError(errors)
    with transaction.atomic():
        return [report_progress(actor, task, data) for task, data in rows]


def needs_another_approver(user: AbstractBaseUser | AnonymousUser, progress: TaskProgress) -> bool:
    """Four eyes (`LOTRINH_TASK_APPROVER_MUST_DIFFER`, on by default): the same rule as figures'."""
    return needs_second_person(
        user, progress.reporter_id, required=settings.LOTRINH_TASK_APPROVER_MUST_DIFFER
    )


def _decide(actor: Actor, progress: TaskProgress, state: str, reason: str) -> TaskProgress:
    require_approve_for(actor.user, progress.task.lead_unit)
    with transaction.atomic():
        progress = (
            TaskProgress.objects.select_for_update(of=("self",))
            .select_related("task", "task__lead_unit")
            .get(pk=progress.pk)
        )
        if progress.state != ApprovalState.SUBMITTED:
            raise TaskError(
                _(
                    "This progress report is already %(state)s: only a submitted one can be decided."
                ),
                state=progress.get_state_display().lower(),
            )
        if state == ApprovalState.APPROVED and needs_another_approver(actor.user, progress):
            raise TaskError(
                _(
                    "You reported this progress, so another approver must approve it: a second "
                    "person checks every task's progress."
                )
            )
        progress.state = state
        progress.decided_by = _user(actor)
        progress.decided_at = timezone.now()
        progress.return_reason = reason
        progress.save(update_fields=["state", "decided_by", "decided_at", "return_reason"])
        _audit(
            actor,
            "task",
            progress.task_id,
            f"task_progress_{state}",
            field="state",
            old=ApprovalState.SUBMITTED,
            new=state,
            reason=reason,
        ).save()
        if progress.reporter_id:
            message = (
                gettext("Your progress on the task “%(task)s” was approved.")
                if state == ApprovalState.APPROVED
                else gettext("Your progress on the task “%(task)s” was returned: %(reason)s")
            )
            Notification.objects.create(
                user_id=progress.reporter_id,
                text=(message % {"task": progress.task.title[:300], "reason": reason})[:500],
            )
        transaction.on_commit(lambda: progress_decided.send(sender=TaskProgress, progress=progress))
    return progress


def approve_progress(actor: Actor, progress: TaskProgress) -> TaskProgress:
    return _decide(actor, progress, ApprovalState.APPROVED, "")


def return_progress(actor: Actor, progress: TaskProgress, reason: str) -> TaskProgress:
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise TaskError(_("Please give a reason (at least a few words)."))
    return _decide(actor, progress, ApprovalState.RETURNED, reason)


def reassign_through_crosswalk(actor: Actor, programme: Programme) -> list[Task]:
    """Move the tasks of units that ended on 30/06/2025 to their successors (an abolished district
    to its province, with the communes that carry its territory today as partners; a renamed
    department to the one that took over its work), keeping the unit the document named in
    `reassigned_from`. `queries.planned_reassignments` shows the same moves beforehand."""
    require_manage_tasks(actor, programme)
    return _reassign(actor, programme)


def _reassign(actor: Actor, programme: Programme) -> list[Task]:
    moved: list[Task] = []
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).filter(programme=programme)
        for plan in planned_reassignments(locked):
            task, old = plan.task, plan.task.lead_unit
            task.reassigned_from, task.lead_unit = old, plan.lead
            task.save(update_fields=["reassigned_from", "lead_unit"])
            if plan.communes:
                task.partners.add(*plan.communes)
            communes = ", ".join(c.name for c in plan.communes)
            _audit(
                actor,
                "task",
                task.pk,
                "task_reassigned",
                field="lead_unit",
                old=old.name,
                new=f"{plan.lead.name}; {communes}" if communes else plan.lead.name,
                reason=gettext("reorganisation of 01/07/2025"),
            ).save()
            moved.append(task)
    return moved


SYSTEM = Actor(AnonymousUser(), None, "system")


def load_programme_tasks(programme: Programme, path: Path) -> int:
    """Load a programme's reviewed tasks file (for `lotrinh load-tasks` and the demo, which need
    no permission, as loading programmes needs none): the lead and partners are agencies of the
    programme's province, added when missing; lines already loaded are kept. All or nothing."""
    records = read_tasks(path, programme.document_text)
    with transaction.atomic():
        loaded = set(Task.objects.filter(programme=programme).values_list("source_line", flat=True))
        agencies = {u.name: u for u in OrgUnit.objects.filter(parent=programme.org_unit)}

        def agency(name: str) -> OrgUnit:
            if name not in agencies:
                agencies[name] = add_agency(programme.org_unit, name)
            return agencies[name]

        items = [
            TaskInput(
                title=r.title,
                lead_unit=agency(r.lead),
                deadline=r.deadline,
                partners=[agency(name) for name in r.partners],
                evidence_required=r.evidence_required,
                text=r.text,
                text_start=r.start,
                text_end=r.end,
                source_line=r.line,
            )
            for r in records
            if r.line not in loaded
        ]
        created = _create(SYSTEM, programme, [check_task(programme, i) for i in items])
        if timezone.localdate() >= REFORM_DATE:
            _reassign(SYSTEM, programme)
    return len(created)


def load_sample_tasks() -> int:
    """The reviewed tasks of the five sample programmes (`NAME.tasks.jsonl` beside each manifest)."""
    count = 0
    for manifest in SAMPLE_PROGRAMMES:
        path = tasks_file_for(manifest)
        code = tomllib.loads(manifest.read_text(encoding="utf-8"))["code"]
        programme = Programme.objects.filter(code=code).select_related("org_unit").first()
        if path.exists() and programme is not None:
            count += load_programme_tasks(programme, path)
    return count
