"""Reminders of tasks due soon and overdue go to the lead unit's reporters, once each."""

import datetime

import pytest

from lotrinh.reporting.models import Notification
from lotrinh.workplan.reminders import remind_tasks
from lotrinh.workplan.services import ProgressInput, approve_progress, report_progress

pytestmark = pytest.mark.django_db


def test_due_soon_then_overdue_each_reminded_once(task, reporter):
    assert remind_tasks(datetime.date(2020, 11, 1)) == 0  # two months before the deadline
    assert remind_tasks(datetime.date(2020, 12, 28)) == 1
    assert remind_tasks(datetime.date(2020, 12, 29)) == 0  # already reminded
    assert remind_tasks(datetime.date(2021, 1, 2)) == 1
    texts = list(Notification.objects.filter(user=reporter.user).values_list("text", flat=True))
    assert any("đến hạn vào 31/12/2020" in t for t in texts)
    assert any("chưa hoàn thành" in t for t in texts)


def test_a_done_task_is_not_reminded(task, reporter, officer):
    progress = report_progress(reporter, task, ProgressInput("done", evidence_number="1/QĐ"))
    approve_progress(officer, progress)
    later = datetime.date.today() + datetime.timedelta(days=400)  # noqa: DTZ011
    assert remind_tasks(later) == 0
