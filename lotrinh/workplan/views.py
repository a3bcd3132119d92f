"""Task pages: a programme's tasks, the review of proposed tasks, a task with its progress, the
lead agency's report (one task on a phone, or all of its tasks in one table), approval, and the
traffic-light map. Thin: each reads through `queries` and writes through one `services` call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotrinh.access.permissions import (
    can_approve_for,
    can_manage_programme,
    can_report_for,
    can_view_programme,
    require_view_programme,
    visible_units,
)
from lotrinh.core.client import client_address
from lotrinh.core.errors import UserFacingError
from lotrinh.extraction.task_proposals import propose_tasks
from lotrinh.indicators.models import Programme, Target
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.services import Actor
from lotrinh.workplan import queries
from lotrinh.workplan.deadlines import parse_deadline, written
from lotrinh.workplan.evidence import KINDS
from lotrinh.workplan.forms import ProgressForm, TaskForm
from lotrinh.workplan.lights import LABELS
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress
from lotrinh.workplan.services import (
    ProgressInput,
    TaskBatchError,
    TaskError,
    TaskInput,
    approve_progress,
    create_tasks,
    evidence_for_download,
    needs_another_approver,
    reassign_through_crosswalk,
    report_progress,
    report_progress_many,
    require_view_task,
    return_progress,
    task_input_of,
    update_task,
)

MAX_PROPOSALS = 300  # a page of proposals stays bounded whatever the document


def _actor(request: HttpRequest) -> Actor:
    return Actor(request.user, client_address(request), "web")


def _programme(request: HttpRequest, code: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(request.user, programme.org_unit)
    return programme


def _task(request: HttpRequest, task_id: int) -> Task:
    """A task, for those who may follow its programme or see its lead unit (its reporters)."""
    task = get_object_or_404(
        Task.objects.select_related("programme", "programme__org_unit", "lead_unit"), pk=task_id
    )
    require_view_task(request.user, task)
    return task


@login_required
def programme_tasks(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    today = timezone.localdate()
    tasks = list(
        queries.with_state(
            Task.objects.filter(programme=programme).select_related(
                "lead_unit", "lead_unit__parent", "reassigned_from"
            ),
            today,
        ).prefetch_related("partners")
    )
    by_lead = queries.lights_by_lead(Task.objects.filter(programme=programme), today)
    units = OrgUnit.objects.in_bulk(list(by_lead))
    return render(
        request,
        "workplan/programme_tasks.html",
        {
            "programme": programme,
            "tasks": tasks,
            "agencies": [(units[pk], row) for pk, row in by_lead.items()],
            "summary": queries.completion_summary(programme, today),
            "labels": LABELS,
            "may_manage": can_manage_programme(request.user, programme.org_unit),
            "moved": [t for t in tasks if t.reassigned_from_id],
        },
    )


@login_required
def reassign(request: HttpRequest, code: str) -> HttpResponse:
    """The moves of 01/07/2025, shown first (task, the unit the document named, its new lead and
    the communes added as partners), then made when the officer confirms."""
    programme = _programme(request, code)
    _require_manage(request, programme)
    if request.method == "POST":
        moved = reassign_through_crosswalk(_actor(request), programme)
        messages.success(
            request,
            _("%(count)s tasks moved to the units that succeeded their agencies.")
            % {"count": len(moved)},
        )
        return redirect("workplan:programme-tasks", code=code)
    return render(
        request,
        "workplan/reassign.html",
        {
            "programme": programme,
            "plans": queries.planned_reassignments(Task.objects.filter(programme=programme)),
        },
    )


def _no_lead(title: str) -> TaskError:
    return TaskError(gettext_lazy("Choose the lead agency of the task “%(task)s”."), task=title)


def _agencies_of(programme: Programme) -> list[OrgUnit]:
    provinces = queries.programme_provinces(programme)
    return [
        unit
        for province in provinces
        for unit in [
            province,
            *province.children.filter(tier=Tier.AGENCY).select_related("parent").order_by("name"),
        ]
    ]


@login_required
def propose(request: HttpRequest, code: str) -> HttpResponse:
    """The extractor's proposed tasks beside the document; the officer picks, assigns, accepts."""
    programme = _programme(request, code)
    if not can_manage_programme(request.user, programme.org_unit):
        raise PermissionDenied(_("Only the programme's officers may accept its tasks."))
    proposals = propose_tasks(programme.document_text)[:MAX_PROPOSALS]
    agencies = _agencies_of(programme)
    error = ""
    if request.method == "POST":
        chosen = [int(i) for i in request.POST.getlist("accept") if i.isdigit()]
        try:
            items = []
            for index in chosen:
                if index >= len(proposals):
                    continue
                proposal = proposals[index]
                # Any unit may be sent; the service says why one outside the province is refused.
                lead_id = request.POST.get(f"lead-{index}", "")
                lead = (
                    OrgUnit.objects.filter(pk=int(lead_id)).first() if lead_id.isdigit() else None
                )
                if lead is None:
                    raise _no_lead(proposal.title)
                items.append(
                    TaskInput(
                        title=request.POST.get(f"title-{index}", proposal.title),
                        lead_unit=lead,
                        deadline=parse_deadline(request.POST.get(f"deadline-{index}", "")),
                        text=proposal.text,
                        text_start=proposal.start,
                        text_end=proposal.end,
                    )
                )
            created = create_tasks(_actor(request), programme, items)
        except UserFacingError as exc:
            error = exc.bilingual()
        else:
            messages.success(request, _("%(count)s tasks accepted.") % {"count": len(created)})
            return redirect("workplan:programme-tasks", code=code)
    by_name = {u.name: u for u in agencies}
    rows = [
        {
            "index": index,
            "proposal": p,
            "lead": by_name.get(p.agency)
            or by_name.get(queries.AGENCY_SUCCESSORS.get(p.agency, "")),
        }
        for index, p in enumerate(proposals)
    ]
    return render(
        request,
        "workplan/propose.html",
        {"programme": programme, "rows": rows, "agencies": agencies, "error": error},
        status=400 if error else 200,
    )


def _unit_label(unit: OrgUnit) -> str:
    if unit.tier == Tier.AGENCY and unit.parent is not None:
        return f"{unit.name} ({unit.parent.short_name or unit.parent.name})"
    return unit.name


def _task_form(
    request: HttpRequest,
    programme: Programme,
    initial: dict[str, object],
    current: Sequence[OrgUnit] = (),
) -> TaskForm:
    """The task form; `current` are the task's own lead and partners (communes added on
    01/07/2025, say), offered too so that saving the form keeps them."""
    targets = Target.objects.filter(programme=programme).order_by("source_line", "pk")
    units = _agencies_of(programme)
    units += [u for u in current if u not in units]
    return TaskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        unit_choices=[(u.pk, _unit_label(u)) for u in units],
        target_choices=[(t.pk, str(t)) for t in targets],
    )


def _task_input(form: TaskForm, base: TaskInput | None) -> TaskInput:
    """The form's task for the service (over `base`, the stored task, when editing); units are
    looked up by id whichever province they are in, so the service can say why one is refused."""
    data = form.cleaned_data
    lead = OrgUnit.objects.filter(pk=data["lead"]).first() if data["lead"] else None
    if lead is None:
        raise _no_lead(data["title"])
    fields: dict[str, Any] = {
        "title": data["title"],
        "description": data["description"],
        "lead_unit": lead,
        "partners": list(OrgUnit.objects.filter(pk__in=data["partners"])),
        "deadline": parse_deadline(data["deadline"]),
        "evidence_required": data["evidence_required"],
        "target_ids": data["targets"],
    }
    return TaskInput(**fields) if base is None else replace(base, **fields)


def _require_manage(request: HttpRequest, programme: Programme) -> None:
    if not can_manage_programme(request.user, programme.org_unit):
        raise PermissionDenied(_("Only the programme's officers may change its tasks."))


def _edit_page(
    request: HttpRequest, programme: Programme, task: Task | None, form: TaskForm, error: str
) -> HttpResponse:
    return render(
        request,
        "workplan/task_form.html",
        {"programme": programme, "task": task, "form": form, "error": error},
        status=400 if error else 200,
    )


@login_required
def task_create(request: HttpRequest, code: str) -> HttpResponse:
    """A task typed by a programme officer, checked as accepted proposals are."""
    programme = _programme(request, code)
    _require_manage(request, programme)
    form = _task_form(request, programme, {"evidence_required": True})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                task = create_tasks(_actor(request), programme, [_task_input(form, None)])[0]
            except UserFacingError as exc:
                error = exc.bilingual()
            else:
                messages.success(request, _("The task was created."))
                return redirect("workplan:task-detail", task_id=task.pk)
        else:
            error = _form_errors(form)
    return _edit_page(request, programme, None, form, error)


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    programme = task.programme
    _require_manage(request, programme)
    current = task_input_of(task)
    form = _task_form(
        request,
        programme,
        {
            "title": current.title,
            "description": current.description,
            "lead": current.lead_unit.pk,
            "partners": [p.pk for p in current.partners],
            "deadline": written(current.deadline),
            "evidence_required": current.evidence_required,
            "targets": list(current.target_ids),
        },
        [current.lead_unit, *current.partners],
    )
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                update_task(_actor(request), task, _task_input(form, current))
            except UserFacingError as exc:
                error = exc.bilingual()
            else:
                messages.success(request, _("The task was saved."))
                return redirect("workplan:task-detail", task_id=task.pk)
        else:
            error = _form_errors(form)
    return _edit_page(request, programme, task, form, error)


def _detail(request: HttpRequest, task: Task, form: ProgressForm, error: str = "") -> HttpResponse:
    today = timezone.localdate()
    state = queries.with_state(Task.objects.filter(pk=task.pk), today).get()
    progress = list(task.progress.select_related("reporter", "decided_by")[:50])
    document = task.programme.document_text
    source = None
    if task.text_start is not None and task.text_end is not None:
        before = document.rfind("\n", 0, task.text_start) + 1
        after = document.find("\n", task.text_end)
        after = len(document) if after < 0 else after
        source = (
            document[before : task.text_start],
            document[task.text_start : task.text_end],
            document[task.text_end : after],
        )
    return render(
        request,
        "workplan/task_detail.html",
        {
            "task": task,
            "state": state,
            "source": source,
            "progress": progress,
            "form": form,
            "error": error,
            "may_report": can_report_for(request.user, task.lead_unit),
            "may_approve": can_approve_for(request.user, task.lead_unit),
            "own": {p.pk for p in progress if needs_another_approver(request.user, p)},
            "may_manage": can_manage_programme(request.user, task.programme.org_unit),
            "may_view_programme": can_view_programme(request.user, task.programme.org_unit),
        },
        status=400 if error else 200,
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _detail(request, _task(request, task_id), ProgressForm())


def _progress_input(form: ProgressForm) -> ProgressInput:
    data = form.cleaned_data
    return ProgressInput(
        status=data["status"],
        percent=data["percent"],
        evidence_number=data["evidence_number"],
        evidence_url=data["evidence_url"],
        blocked_reason=data["blocked_reason"],
        note=data["note"],
        evidence_file=data.get("evidence_file"),
    )


def _form_errors(form: ProgressForm | TaskForm) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}"
        for name, errs in form.errors.items()
    )


@login_required
@require_POST
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, task, form, _form_errors(form))
    try:
        report_progress(_actor(request), task, _progress_input(form))
    except UserFacingError as exc:
        return _detail(request, task, form, exc.bilingual())
    messages.success(request, _("Progress sent for approval."))
    return redirect("workplan:task-detail", task_id=task_id)


@login_required
@require_POST
def progress_decide(request: HttpRequest, progress_id: int) -> HttpResponse:
    progress = get_object_or_404(TaskProgress.objects.select_related("task"), pk=progress_id)
    task = _task(request, progress.task_id)
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    try:
        if action == "approve":
            approve_progress(_actor(request), progress)
            messages.success(request, _("The progress was approved."))
        elif action == "return":
            return_progress(_actor(request), progress, reason)
            messages.success(request, _("The progress was returned to its agency."))
        else:
            raise Http404(_("Unknown action."))
    except UserFacingError as exc:
        return _detail(request, task, ProgressForm(), exc.bilingual())
    return redirect("workplan:task-detail", task_id=task.pk)


@login_required
def evidence_download(request: HttpRequest, progress_id: int) -> FileResponse:
    """A progress report's file of evidence, as an attachment, to those who may see its task."""
    progress = get_object_or_404(
        TaskProgress.objects.select_related("task__programme__org_unit", "task__lead_unit"),
        pk=progress_id,
    )
    try:
        path = evidence_for_download(_actor(request), progress)
    except TaskError:
        raise Http404(_("This progress report has no file of evidence.")) from None
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=progress.evidence_file_name,
        content_type=KINDS[progress.evidence_file_kind][0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The tasks the user's units lead, each with its state, and one table to report them all;
    for approvers, the progress awaiting their decision."""
    today = timezone.localdate()
    units = visible_units(request.user)
    led = [
        t
        for t in queries.with_state(
            Task.objects.filter(lead_unit__in=units).select_related("programme", "lead_unit"),
            today,
        )[:200]
        if can_report_for(request.user, t.lead_unit)
    ]
    waiting = [
        p
        for p in TaskProgress.objects.filter(
            state=ApprovalState.SUBMITTED, task__lead_unit__in=units
        ).select_related("task", "task__lead_unit", "reporter")[:200]
        if can_approve_for(request.user, p.task.lead_unit)
        and not needs_another_approver(request.user, p)
    ]
    errors: dict[int, str] = {}
    if request.method == "POST":
        errors = _report_many(request, led)
        if not errors:
            return redirect("workplan:my-tasks")
    return render(
        request,
        "workplan/my_tasks.html",
        {
            "tasks": led,
            "waiting": waiting,
            "errors": errors,
            "statuses": ProgressStatus.choices,
        },
        status=400 if errors else 200,
    )


def _report_many(request: HttpRequest, tasks: list[Task]) -> dict[int, str]:
    """The table's rows that name a status, sent together; their problems, by task."""
    errors: dict[int, str] = {}
    rows = []
    for task in tasks:
        prefix = f"t{task.pk}-"
        if not request.POST.get(prefix + "status"):
            continue
        form = ProgressForm(
            {k.removeprefix(prefix): v for k, v in request.POST.items() if k.startswith(prefix)}
        )
        if form.is_valid():
            rows.append((task, _progress_input(form)))
        else:
            errors[task.pk] = _form_errors(form)
    if errors:
        return errors
    try:
        report_progress_many(_actor(request), rows)
    except TaskBatchError as batch:
        return {pk: error.bilingual() for pk, error in batch.errors.items()}
    messages.success(
        request, _("%(count)s progress reports sent for approval.") % {"count": len(rows)}
    )
    return {}


@login_required
def task_map(request: HttpRequest) -> HttpResponse:
    """Traffic lights of the provinces and of one province's agencies and communes (the national
    monitoring map's colours), for the units the user may see."""
    today = timezone.localdate()
    units = visible_units(request.user)
    tasks = Task.objects.filter(lead_unit__in=units)
    province_rows = queries.province_lights(tasks, today)
    chosen = request.GET.get("province", "")
    province = next((row["unit"] for row in province_rows if row["unit"].code == chosen), None)
    if province is None and province_rows:
        province = province_rows[0]["unit"]
    detail = queries.unit_lights(tasks, province, today) if province else []
    columns, communes = queries.commune_tiles(detail, province) if province else (1, [])
    return render(
        request,
        "workplan/task_map.html",
        {
            "tiles": queries.province_tiles(province_rows),
            "provinces": province_rows,
            "province": province,
            "detail": detail,
            "commune_columns": columns,
            "communes": communes,
            "labels": LABELS,
            "rule": queries.light_rule(),
            "at_risk_days": queries.at_risk_days(),
            "structure": Structure.CURRENT,
            "map_url": reverse("workplan:task-map"),
        },
    )
