"""Reminders of tasks due soon and overdue go to the lead unit's reporters, once each."""

import datetime

import pytest
from django.core import mail

from lotrinh.reporting.models import Notification
from lotrinh.reporting.reminders import send_reminders
from lotrinh.workplan.reminders import remind_tasks
from lotrinh.workplan.services import ProgressInput, approve_progress, report_progress

pytestmark = pytest.mark.django_db


def test_due_soon_then_overdue_each_reminded_once(task, reporter):
    assert (
        remind_tasks(datetime.date(2020, 11, 1)).notifications == 0
    )  # two months before the deadline
    assert remind_tasks(datetime.date(2020, 12, 28)).notifications == 1
    assert remind_tasks(datetime.date(2020, 12, 29)).notifications == 0  # already reminded
    assert remind_tasks(datetime.date(2021, 1, 2)).notifications == 1
    texts = list(Notification.objects.filter(user=reporter.user).values_list("text", flat=True))
    assert any("đến hạn vào 31/12/2020" in t for t in texts)
    assert any("chưa hoàn thành" in t for t in texts)


def test_a_done_task_is_not_reminded(task, reporter, officer):
    progress = report_progress(reporter, task, ProgressInput("done", evidence_number="1/QĐ"))
    approve_progress(officer, progress)
    later = datetime.date.today() + datetime.timedelta(days=400)  # noqa: DTZ011
    assert remind_tasks(later).notifications == 0


def test_a_task_reminder_is_e_mailed_once_whichever_command_sends_it(task, reporter, settings):
    settings.LOTRINH_SITE_URL = "https://lotrinh.daklak.gov.vn"
    reporter.user.email = "so.khcn@daklak.gov.vn"
    reporter.user.save()
    figures = send_reminders(datetime.date(2020, 12, 28))
    assert figures.tasks == 1
    [sent] = [m for m in mail.outbox if "31/12/2020" in m.subject]
    assert sent.to == ["so.khcn@daklak.gov.vn"]
    assert f"https://lotrinh.daklak.gov.vn/tasks/{task.pk}/" in sent.body
    again = remind_tasks(datetime.date(2020, 12, 28))
    assert (again.notifications, again.emails) == (0, 0)
    assert send_reminders(datetime.date(2020, 12, 29)).tasks == 0
    assert len([m for m in mail.outbox if "31/12/2020" in m.subject]) == 1
