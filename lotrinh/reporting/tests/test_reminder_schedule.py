"""The daily reminders run by the task worker's schedule reach each person once: two tasks for
the same day's run (two workers, a restart) make one run, whether one after the other or at the
same moment; the command run the same day after it sends nothing more, and run at the same moment
as it sends nothing twice."""

import datetime
import io
import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lotrinh.core.models import ScheduledJob
from lotrinh.core.schedule import keep_scheduled, run_scheduled
from lotrinh.reporting import reminders
from lotrinh.reporting.models import Notification, Report

pytestmark = pytest.mark.django_db

# Every unreported report is reminded today, whatever today is: "soon" from 1,000 days before the
# deadline, "overdue" every day after it.
EVERY_DAY = {"LOTRINH_REMINDER_DAYS_BEFORE": 1000, "LOTRINH_REMINDER_REPEAT_DAYS": 1}
ON = {
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    "LOTRINH_SCHEDULE": True,
    **EVERY_DAY,
}


@pytest.fixture
def run_worker(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def unreported(reporter, regime, open_period, commune):
    Report.objects.filter(regime=regime, period=open_period, org_unit=commune).delete()
    reporter.user.email = "xa@example.invalid"
    reporter.user.save()
    return reporter.user


def mails_to(address: str) -> list[str]:
    return [str(message.subject) for message in mail.outbox if message.to == [address]]


@override_settings(**ON)
def test_two_tasks_for_the_same_days_run_send_each_reminder_once(unreported, run_worker):
    keep_scheduled(now=timezone.now() - datetime.timedelta(days=1))  # today's run is due
    due = ScheduledJob.objects.get(name="reminders").next_run_at
    run_scheduled.using(run_after=due).enqueue("reminders", due.isoformat())  # a second worker's
    run_worker()

    made = [
        result.return_value
        for result in DBTaskResult.objects.filter(
            task_path__endswith="run_scheduled", status=TaskResultStatus.SUCCESSFUL
        )
        if result.args_kwargs["args"][0] == "reminders"
    ]
    assert sorted(outcome["ran"] for outcome in made) == [False, True]
    subjects = mails_to(unreported.email)
    assert subjects  # the reporter was reminded …
    assert len(subjects) == len(set(subjects))  # … once for each report
    assert len(subjects) == Notification.objects.filter(user=unreported).count()

    # The command run by hand (or from a cron left in place) the same day adds nothing.
    call_command("send_reminders", stdout=io.StringIO())
    assert mails_to(unreported.email) == subjects
    # The next run is tomorrow's at the reminder hour, and it is queued.
    row = ScheduledJob.objects.get(name="reminders")
    assert timezone.localtime(row.next_run_at).hour == 7
    assert timezone.now() < row.next_run_at <= timezone.now() + datetime.timedelta(days=1)
    assert DBTaskResult.objects.get(pk=row.task_id).status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_workers_running_the_same_days_run_at_once_send_each_reminder_once(unreported):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL.")
    outcomes: list[bool] = []
    with override_settings(**ON):
        keep_scheduled(now=timezone.now() - datetime.timedelta(days=1))
        due = ScheduledJob.objects.get(name="reminders").next_run_at.isoformat()
        start = threading.Barrier(4)

        def work() -> None:
            try:
                start.wait()
                outcomes.append(run_scheduled.call("reminders", due)["ran"])
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == [False, False, False, True]
    subjects = mails_to(unreported.email)
    assert subjects and len(subjects) == len(set(subjects))
    assert len(subjects) == Notification.objects.filter(user=unreported).count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduled_run_and_crons_command_at_the_same_moment_send_each_message_once(
    unreported, approver, three_submitted, monkeypatch
):
    """The worker's run of the day and `lotrinh send-reminders` from a cron left in place start
    together. Each waits between reading what was sent and storing what it sends, so that
    reading before writing would let both send everything: one copy of each reminder, digest
    and e-mail must come out, and both runs end well."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the turns are exercised on PostgreSQL.")
    approver.user.email = "tinh@example.invalid"
    approver.user.save()
    read = reminders._digests

    def slow_digests(now: datetime.datetime) -> tuple[list[Notification], list[reminders.Email]]:
        found = read(now)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(reminders, "_digests", slow_digests)
    ended: dict[str, object] = {}
    with override_settings(**ON):
        keep_scheduled(now=timezone.now() - datetime.timedelta(days=1))
        due = ScheduledJob.objects.get(name="reminders").next_run_at.isoformat()
        start = threading.Barrier(2)

        def scheduled() -> object:
            return run_scheduled.call("reminders", due)["ran"]

        def cron() -> object:
            out = io.StringIO()
            call_command("send_reminders", stdout=out)
            return out.getvalue()

        def work(name: str, run: Callable[[], object]) -> None:
            try:
                start.wait()
                ended[name] = run()
            except Exception as error:  # noqa: BLE001 - the test reports it
                ended[name] = error
            finally:
                connection.close()

        threads = [
            threading.Thread(target=work, args=(name, run))
            for name, run in (("scheduled", scheduled), ("cron", cron))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert ended["scheduled"] is True, ended
    assert isinstance(ended["cron"], str), ended  # the command ended and said what it sent

    subjects = mails_to(unreported.email)
    assert subjects and len(subjects) == len(set(subjects))
    assert len(subjects) == Notification.objects.filter(user=unreported).count()
    digests = mails_to("tinh@example.invalid")
    assert len(digests) == 1 and "báo cáo đang chờ" in digests[0]
    assert (
        Notification.objects.filter(
            user=approver.user, dedupe_key__startswith=reminders.DIGEST_KEY_PREFIX
        ).count()
        == 1
    )
    keys = Notification.objects.exclude(dedupe_key="").values_list("dedupe_key", flat=True)
    assert len(keys) == len(set(keys))
