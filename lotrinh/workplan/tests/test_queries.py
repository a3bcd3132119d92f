"""A task's state on a day, overdue and at risk, counts per agency and a programme's completion."""

import datetime

import pytest
from django.utils import timezone

from lotrinh.workplan.models import Task
from lotrinh.workplan.queries import completion_summary, counts_by_lead, with_state
from lotrinh.workplan.services import ProgressInput, approve_progress, report_progress

pytestmark = pytest.mark.django_db


def state(task, day):
    return with_state(Task.objects.filter(pk=task.pk), day).get()


def test_a_task_past_its_deadline_and_not_done_is_overdue(task):
    assert state(task, datetime.date(2020, 12, 31)).is_overdue is False
    assert state(task, datetime.date(2021, 1, 1)).is_overdue is True


def test_a_task_due_soon_is_at_risk(task, settings):
    settings.LOTRINH_TASK_AT_RISK_DAYS = 30
    assert state(task, datetime.date(2020, 12, 15)).is_at_risk is True
    assert state(task, datetime.date(2020, 10, 1)).is_at_risk is False


def test_only_approved_progress_counts_and_done_is_not_overdue(task, reporter, officer):
    progress = report_progress(reporter, task, ProgressInput("done", evidence_number="12/KH-STTTT"))
    late = timezone.localdate() + datetime.timedelta(days=1)
    assert state(task, late).is_overdue is True  # submitted, not yet approved
    approve_progress(officer, progress)
    after = state(task, late)
    assert (after.state_status, after.is_overdue, after.is_done) == ("done", False, True)
    assert progress.as_of == timezone.localdate()
    before = state(task, progress.as_of - datetime.timedelta(days=1))
    assert before.state_status == "not_started"  # the report describes today, not before


def test_completion_summary_and_counts_by_agency(task, reporter, officer, department):
    summary = completion_summary(task.programme, datetime.date(2021, 1, 1))
    assert (summary.total, summary.done, summary.overdue) == (1, 0, 1)
    counts = counts_by_lead(
        Task.objects.filter(programme=task.programme), datetime.date(2021, 1, 1)
    )
    assert counts[department.pk].overdue == 1


def test_a_yearly_task_is_never_overdue_nor_due_soon(task):
    Task.objects.filter(pk=task.pk).update(deadline_kind="yearly", due_on=None)
    later = state(task, datetime.date(2030, 1, 1))
    assert (later.is_overdue, later.is_at_risk) == (False, False)
