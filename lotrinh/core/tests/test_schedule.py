"""The timed jobs are kept by the task workers: one queued run per job whatever the number of
workers and restarts, each run queues the next, a failed run is tried again and shows, the hour
is the site's (Asia/Ho_Chi_Minh), and LOTRINH_SCHEDULE turns it all off."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lotrinh.core import schedule
from lotrinh.core.models import ScheduledJob
from lotrinh.core.schedule import JOBS, JOBS_BY_NAME, Job, keep_scheduled, next_run, run_scheduled

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ON = {"TASKS": DATABASE_TASKS, "LOTRINH_SCHEDULE": True}
UTC = datetime.UTC
REMINDERS, PREPARED = JOBS_BY_NAME["reminders"], JOBS_BY_NAME["prepared-files"]


@pytest.fixture
def run_worker(monkeypatch):
    """Start the real worker (`lotrinh db-worker --batch`: it keeps the schedule, runs the due
    tasks and stops), its connection housekeeping off: inside the test's transaction it would
    close the connection."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def runs(status: TaskResultStatus | None = None) -> list[DBTaskResult]:
    found = DBTaskResult.objects.filter(task_path__endswith="schedule.run_scheduled")
    if status is not None:
        found = found.filter(status=status)
    return list(found.order_by("enqueued_at"))


def queued_by_job() -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in runs(TaskResultStatus.READY):
        name = result.args_kwargs["args"][0]
        counts[name] = counts.get(name, 0) + 1
    return counts


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@override_settings(LOTRINH_REMINDER_HOUR=7)
def test_the_daily_run_is_at_the_hour_of_the_site_day_across_the_utc_day_boundary():
    # 23:30 UTC on 06/12 is 06:30 on 07/12 in Việt Nam (UTC+7): 07:00 that morning is 00:00 UTC.
    assert next_run(REMINDERS, at("2026-12-06T23:30:00")) == at("2026-12-07T00:00:00")
    # 16:59 UTC on 06/12 is 23:59 on 06/12 there: the next 07:00 is still 00:00 UTC on 07/12.
    assert next_run(REMINDERS, at("2026-12-06T16:59:00")) == at("2026-12-07T00:00:00")
    # At 07:00 exactly the run is taking place: the next is the following day's.
    assert next_run(REMINDERS, at("2026-12-07T00:00:00")) == at("2026-12-08T00:00:00")
    # 17:00 UTC on 07/12 is already 00:00 on 08/12 there.
    assert next_run(REMINDERS, at("2026-12-07T17:00:00")) == at("2026-12-08T00:00:00")
    # The last day of the year turns into the next year on the site's clock.
    assert next_run(REMINDERS, at("2026-12-31T18:00:00")) == at("2027-01-01T00:00:00")
    local = timezone.localtime(next_run(REMINDERS, at("2026-12-06T23:30:00")))
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 12, 7), 7, 0)
    with override_settings(LOTRINH_REMINDER_HOUR=0):
        # Midnight in Việt Nam is 17:00 UTC the day before.
        assert next_run(REMINDERS, at("2026-12-06T16:00:00")) == at("2026-12-06T17:00:00")
        assert next_run(REMINDERS, at("2026-12-06T17:00:00")) == at("2026-12-07T17:00:00")


def test_the_hourly_run_is_at_the_next_full_hour():
    assert next_run(PREPARED, at("2026-12-06T23:30:15")) == at("2026-12-07T00:00:00")
    assert next_run(PREPARED, at("2026-12-07T00:00:00")) == at("2026-12-07T01:00:00")


@override_settings(**ON)
def test_a_worker_start_queues_one_run_of_each_job_and_restarts_queue_no_more(run_worker):
    run_worker()
    assert queued_by_job() == {job.name: 1 for job in JOBS}
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    for result in runs(TaskResultStatus.READY):
        name, due = result.args_kwargs["args"]
        assert rows[name].task_id == str(result.id)
        assert rows[name].next_run_at == datetime.datetime.fromisoformat(due) == result.run_after
        assert result.run_after > timezone.now()  # nothing ran: every first run is ahead
    run_worker()  # restarted
    run_worker()  # and a second worker started beside it
    assert queued_by_job() == {job.name: 1 for job in JOBS}
    assert len(runs()) == len(JOBS)

    # A queued run lost (removed by hand) is queued again by the next worker that starts, or by
    # `lotrinh tasks --requeue`.
    DBTaskResult.objects.filter(pk=rows["reminders"].task_id).delete()
    run_worker()
    assert queued_by_job() == {job.name: 1 for job in JOBS}
    DBTaskResult.objects.filter(pk=ScheduledJob.objects.get(name="reminders").task_id).delete()
    out = io.StringIO()
    call_command("tasks", "--requeue", stdout=out)
    assert "timed jobs queued: reminders\n" in out.getvalue()
    assert queued_by_job() == {job.name: 1 for job in JOBS}
    assert ScheduledJob.objects.get(name="reminders").next_run_at == rows["reminders"].next_run_at


@override_settings(**ON)
def test_two_tasks_for_the_same_run_make_one_run_and_queue_one_next(run_worker):
    past = timezone.now() - datetime.timedelta(days=2)
    keep_scheduled(now=past)  # every job's first run is long due
    due = ScheduledJob.objects.get(name="prepared-files").next_run_at
    # The same run queued a second time, as two workers racing would.
    run_scheduled.using(run_after=due).enqueue("prepared-files", due.isoformat())
    run_worker()
    done = [
        r for r in runs(TaskResultStatus.SUCCESSFUL) if r.args_kwargs["args"][0] == PREPARED.name
    ]
    assert sorted(r.return_value["ran"] for r in done) == [False, True]
    assert queued_by_job() == {job.name: 1 for job in JOBS}
    row = ScheduledJob.objects.get(name="prepared-files")
    (following,) = [
        r for r in runs(TaskResultStatus.READY) if r.args_kwargs["args"][0] == PREPARED.name
    ]
    assert row.task_id == str(following.id) and row.next_run_at == following.run_after
    assert timezone.now() < row.next_run_at <= timezone.now() + datetime.timedelta(hours=1)
    assert row.last_started_at is not None and row.last_succeeded_at is not None
    assert row.last_succeeded_at >= row.last_started_at


@override_settings(**ON)
def test_a_failed_run_is_tried_again_shows_as_failed_and_keeps_the_next_run(
    run_worker, monkeypatch
):
    def fails() -> dict[str, int]:
        raise OSError("the disk is full")

    keep_scheduled(now=timezone.now() - datetime.timedelta(hours=3))
    monkeypatch.setitem(JOBS_BY_NAME, PREPARED.name, Job(PREPARED.name, fails, None))
    run_worker()
    (failed,) = runs(TaskResultStatus.FAILED)
    assert failed.args_kwargs["args"][0] == PREPARED.name
    assert failed.exception_class_path == "builtins.OSError"
    queued = [r for r in runs(TaskResultStatus.READY) if r.args_kwargs["args"][0] == PREPARED.name]
    following, retry = sorted(queued, key=lambda r: r.args_kwargs["kwargs"].get("attempt", 1))
    assert retry.args_kwargs["kwargs"] == {"attempt": 2, "claimed": True}
    assert retry.args_kwargs["args"] == failed.args_kwargs["args"]  # the same run, again
    row = ScheduledJob.objects.get(name=PREPARED.name)
    assert row.task_id == str(following.id) and row.next_run_at > timezone.now()
    assert row.last_succeeded_at is None

    out = io.StringIO()
    call_command("tasks", stdout=out)
    listing = out.getvalue()
    assert "failed: 1" in listing and "builtins.OSError" in listing
    assert "timed jobs: on" in listing and "prepared-files  next" in listing

    # The retry, once due and with the fault gone, makes the run without queueing another next.
    monkeypatch.setitem(JOBS_BY_NAME, PREPARED.name, PREPARED)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL and retry.return_value["ran"] is True
    assert queued_by_job()[PREPARED.name] == 1
    assert ScheduledJob.objects.get(name=PREPARED.name).last_succeeded_at is not None


@override_settings(**ON)
def test_a_changed_hour_moves_the_queued_run(run_worker):
    with override_settings(LOTRINH_REMINDER_HOUR=7):
        run_worker()
    with override_settings(LOTRINH_REMINDER_HOUR=9):
        assert keep_scheduled() == ["reminders"]
        row = ScheduledJob.objects.get(name="reminders")
        assert timezone.localtime(row.next_run_at).hour == 9
    # The 07:00 task is still queued but no longer the job's run: it does nothing.
    old = [r for r in runs(TaskResultStatus.READY) if r.args_kwargs["args"][0] == "reminders"]
    assert len(old) == 2
    stale = next(r for r in old if str(r.id) != row.task_id)
    assert not schedule.claim(
        REMINDERS, datetime.datetime.fromisoformat(stale.args_kwargs["args"][1])
    )


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_SCHEDULE=False)
def test_with_the_schedule_off_a_worker_queues_nothing_and_a_queued_run_does_nothing(run_worker):
    run_worker()
    assert runs() == [] and not ScheduledJob.objects.exists()
    # A run queued while the schedule was on does nothing and queues no next.
    due = timezone.now() - datetime.timedelta(minutes=1)
    ScheduledJob.objects.create(name="prepared-files", next_run_at=due)
    run_scheduled.enqueue("prepared-files", due.isoformat())
    run_worker()
    (done,) = runs()
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == {"ran": False}
    assert ScheduledJob.objects.get().last_started_at is None
    out = io.StringIO()
    call_command("tasks", stdout=out)
    assert "timed jobs: off" in out.getvalue()


@override_settings(LOTRINH_SCHEDULE=True)
def test_a_task_backend_that_cannot_wait_gets_no_schedule():
    # The test suite's backend runs a task as soon as it is queued: a schedule there would run
    # every day's reminders at once, one after the other.
    assert keep_scheduled() == []
    assert not ScheduledJob.objects.exists()


def counting(name: str) -> tuple[Job, list[int]]:
    """The job `name` with a run that only counts its runs."""
    made: list[int] = []

    def run() -> dict[str, int]:
        made.append(1)
        return {"made": len(made)}

    return Job(name, run, JOBS_BY_NAME[name].hour_setting), made


def killed(job: Job) -> ScheduledJob:
    """Take the job's due run as a worker does, and then do nothing: its worker was killed."""
    due = ScheduledJob.objects.get(name=job.name).next_run_at
    assert schedule.claim(job, due)
    return ScheduledJob.objects.get(name=job.name)


def listing() -> str:
    out = io.StringIO()
    call_command("tasks", stdout=out)
    return out.getvalue()


def age(name: str, by: datetime.timedelta) -> None:
    row = ScheduledJob.objects.get(name=name)
    assert row.last_started_at is not None
    ScheduledJob.objects.filter(name=name).update(last_started_at=row.last_started_at - by)


@override_settings(**ON)
def test_a_run_whose_worker_was_killed_is_run_again_by_the_next_worker_once_lost(
    run_worker, monkeypatch
):
    job, made = counting(PREPARED.name)
    monkeypatch.setitem(JOBS_BY_NAME, PREPARED.name, job)
    keep_scheduled(now=timezone.now() - datetime.timedelta(hours=3))
    row = killed(job)
    due = row.run_in_progress
    assert due is not None and row.last_started_at is not None and made == []
    assert "    running: the run of" in listing()

    # Restarted at once, the worker takes it for still running: it may be slow, not dead.
    run_worker()
    assert made == []
    assert ScheduledJob.objects.get(name=PREPARED.name).run_in_progress == due

    # Long enough after it started, it is lost: shown as such, and run again by the next worker.
    age(PREPARED.name, schedule.LOST_AFTER + datetime.timedelta(minutes=1))
    assert "    LOST: the run of" in listing()
    run_worker()
    assert made == [1]
    row = ScheduledJob.objects.get(name=PREPARED.name)
    assert row.run_in_progress is None and row.last_succeeded_at is not None
    (again,) = [r for r in runs(TaskResultStatus.SUCCESSFUL) if r.return_value.get("made")]
    assert again.args_kwargs == {
        "args": [PREPARED.name, due.isoformat()],
        "kwargs": {"claimed": True},
    }
    assert queued_by_job() == {job.name: 1 for job in JOBS}  # its next run is queued once
    run_worker()
    assert made == [1]  # and it is run once
    assert "    LOST:" not in listing() and "    running: the run" not in listing()


@override_settings(**ON)
def test_a_lost_run_is_run_again_when_another_jobs_next_run_is_taken(run_worker, monkeypatch):
    reminders, reminded = counting(REMINDERS.name)
    monkeypatch.setitem(JOBS_BY_NAME, REMINDERS.name, reminders)
    keep_scheduled(now=timezone.now() - datetime.timedelta(days=2))
    killed(reminders)
    age(REMINDERS.name, schedule.LOST_AFTER + datetime.timedelta(minutes=1))
    # The hourly job's next run, taken by a worker that has been running all along.
    due = ScheduledJob.objects.get(name=PREPARED.name).next_run_at
    assert run_scheduled.call(PREPARED.name, due.isoformat())["ran"] is True
    (queued,) = [
        r for r in runs(TaskResultStatus.READY) if r.args_kwargs["kwargs"] == {"claimed": True}
    ]
    assert queued.args_kwargs["args"][0] == REMINDERS.name
    monkeypatch.setattr(schedule, "run_lost_again", lambda now=None: [])  # only the claim's
    run_worker()
    assert reminded == [1]
    assert ScheduledJob.objects.get(name=REMINDERS.name).run_in_progress is None


@override_settings(**ON, LOTRINH_TASK_RETRIES=0)
def test_a_run_that_failed_for_good_is_failed_not_lost(run_worker, monkeypatch):
    def fails() -> dict[str, int]:
        raise OSError("the disk is full")

    monkeypatch.setitem(JOBS_BY_NAME, PREPARED.name, Job(PREPARED.name, fails, None))
    keep_scheduled(now=timezone.now() - datetime.timedelta(hours=3))
    run_worker()
    (failed,) = runs(TaskResultStatus.FAILED)
    assert failed.args_kwargs["args"][0] == PREPARED.name
    row = ScheduledJob.objects.get(name=PREPARED.name)
    assert row.run_in_progress is None  # not run again: it shows as failed in `lotrinh tasks`
    age(PREPARED.name, schedule.LOST_AFTER * 2)
    assert schedule.run_lost_again() == []


@override_settings(**ON)
def test_the_admin_shows_a_run_that_started_and_never_finished(monkeypatch):
    from django.contrib import admin
    from django.utils import translation

    from lotrinh.core.admin import ScheduledJobAdmin

    keep_scheduled(now=timezone.now() - datetime.timedelta(hours=3))
    shown = ScheduledJobAdmin(ScheduledJob, admin.site).run_state
    assert shown(ScheduledJob.objects.get(name=PREPARED.name)) == "-"
    killed(PREPARED)
    with translation.override("en"):
        assert "is running" in shown(ScheduledJob.objects.get(name=PREPARED.name))
    age(PREPARED.name, schedule.LOST_AFTER + datetime.timedelta(minutes=1))
    row = ScheduledJob.objects.get(name=PREPARED.name)
    with translation.override("en"):
        assert "started and never finished" in shown(row)
    with translation.override("vi"):
        assert "không bao giờ xong" in shown(row)
