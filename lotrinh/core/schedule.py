"""Timed jobs the product runs on its own: reminders and digests every day, clean-ups.

Each job has a `ScheduledJob` row holding its next run and the queued task that will make it. A
task worker queues whatever is missing when it starts (`lotrinh db-worker`, and the worker
`lotrinh serve` embeds, call `keep_scheduled`); each run first moves the row on to the following
time with a conditional update, queues the task of that time in the same transaction, then does
the job. Two tasks for the same time (two workers starting at once, a task queued again by hand)
cannot both run it: the second finds the row already moved and does nothing. A run that fails is
tried again (`lotrinh.core.tasks.retry_later`) and shows as failed in `lotrinh tasks` and in the
admin; the next day's run is queued whatever happens to this one. The jobs are idempotent:
reminders are sent once per (unit, period, kind, day), a digest covers the reports since the
previous one (lotrinh.reporting.reminders: the database keeps both, even against a cron's run at
the same moment).

A run whose worker is killed (a deployment, the machine out of memory) neither fails nor
succeeds: nothing would try it again. So the row records the run taken (`run_in_progress`, with
`last_started_at`) until it succeeds or its retries are spent; a run taken more than
`LOST_AFTER` ago and still unfinished is lost, and is queued again when a worker starts
(`keep_scheduled`) or when any job's next run is taken (the hourly one at the latest). A later run
of the same job takes its place instead: each job works on the moment it runs, not on its time.

With LOTRINH_SCHEDULE off, or with a task backend that cannot wait (the test suite's, which runs
each task at once), nothing is queued and a queued run does nothing: a deployment may run
`lotrinh send-reminders` and the others from cron instead.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from lotrinh.core.models import ScheduledJob
from lotrinh.core.tasks import RETRY_DELAYS, retry_later

logger = logging.getLogger(__name__)

# How long after it started a run still unfinished is taken for lost: twice the longest wait
# before a retry, during which a failed run is unfinished but will be tried again. A run that
# really lasts longer is run a second time beside it, which the jobs bear (they are idempotent).
LOST_AFTER = datetime.timedelta(seconds=2 * max(RETRY_DELAYS))


def _reminders() -> dict[str, int]:
    from lotrinh.reporting.reminders import send_reminders  # reporting builds on core

    return dataclasses.asdict(send_reminders())


def _prepared_files() -> dict[str, int]:
    from lotrinh.core.jobs import forget_old  # jobs queues tasks of its own

    return {"deleted": forget_old()}


def _task_results() -> dict[str, int]:
    call_command(
        "prune_db_task_results",
        min_age_days=settings.LOTRINH_TASK_RESULTS_KEEP_DAYS,
        verbosity=0,
    )
    return {}


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], dict[str, int]]
    # The setting naming the hour of the site's day the job runs at; None: at every full hour.
    hour_setting: str | None

    def hour(self) -> int | None:
        return None if self.hour_setting is None else int(getattr(settings, self.hour_setting))


JOBS = (
    Job("reminders", _reminders, "LOTRINH_REMINDER_HOUR"),
    Job("prepared-files", _prepared_files, None),
    Job("task-results", _task_results, "LOTRINH_HOUSEKEEPING_HOUR"),
)
JOBS_BY_NAME = {job.name: job for job in JOBS}


def next_run(job: Job, after: datetime.datetime) -> datetime.datetime:
    """The job's first time strictly after `after`: its hour of the site's day (TIME_ZONE,
    Asia/Ho_Chi_Minh), or the next full hour."""
    hour = job.hour()
    if hour is None:
        whole = after.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
        return whole + datetime.timedelta(hours=1)
    zone = timezone.get_default_timezone()
    day = timezone.localtime(after, zone).date()
    for date in (day, day + datetime.timedelta(days=1)):
        at = datetime.datetime.combine(date, datetime.time(hour), tzinfo=zone)
        if at > after:
            return at
    raise AssertionError("unreachable: tomorrow's hour is always after today's moment")


def active() -> bool:
    """Whether runs are queued: the setting is on and the task backend can wait until a time."""
    return bool(settings.LOTRINH_SCHEDULE) and run_scheduled.get_backend().supports_defer


def _queue(job: Job, due: datetime.datetime) -> str:
    queued = run_scheduled.using(run_after=due).enqueue(job.name, due.isoformat())
    return str(queued.id)


def _pending(task_id: str) -> bool:
    if not task_id:
        return False
    try:
        result = run_scheduled.get_backend().get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status == TaskResultStatus.READY


def is_lost(row: ScheduledJob, now: datetime.datetime | None = None) -> bool:
    """Whether the row's run in progress started so long ago that its worker must have died."""
    return (
        row.run_in_progress is not None
        and row.last_started_at is not None
        and row.last_started_at < (now or timezone.now()) - LOST_AFTER
    )


def run_lost_again(now: datetime.datetime | None = None) -> list[str]:
    """Queue again, to run at once, every lost run (see is_lost); returns the names of their jobs.
    Its start is moved to `now` in the same transaction, so two workers queue it once."""
    now = now or timezone.now()
    again = []
    for row in ScheduledJob.objects.filter(name__in=JOBS_BY_NAME, run_in_progress__isnull=False):
        if not is_lost(row, now):
            continue
        assert row.run_in_progress is not None  # noqa: S101 - is_lost checked it
        with transaction.atomic():
            taken = ScheduledJob.objects.filter(
                name=row.name,
                run_in_progress=row.run_in_progress,
                last_started_at=row.last_started_at,
            ).update(last_started_at=now)
            if not taken:
                continue
            run_scheduled.enqueue(row.name, row.run_in_progress.isoformat(), claimed=True)
        logger.warning(
            "scheduled job %s: the run of %s started at %s and never finished; running it again",
            row.name,
            row.run_in_progress.isoformat(),
            row.last_started_at,
        )
        again.append(row.name)
    return again


def keep_scheduled(now: datetime.datetime | None = None) -> list[str]:
    """Queue the next run of every job that has no queued run, or whose queued run is no longer
    at its hour (the setting changed); returns the names of the jobs queued. A run that is due
    and still queued is left to run; a lost run is queued again (run_lost_again)."""
    if not active():
        return []
    now = now or timezone.now()
    run_lost_again(now)
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=job.name, next_run_at=next_run(job, now)) for job in JOBS],
        ignore_conflicts=True,
    )
    queued = []
    for job in JOBS:
        with transaction.atomic():
            row = ScheduledJob.objects.select_for_update().get(name=job.name)
            due = row.next_run_at if row.next_run_at <= now else next_run(job, now)
            if due == row.next_run_at and _pending(row.task_id):
                continue
            row.next_run_at, row.task_id = due, _queue(job, due)
            row.save(update_fields=["next_run_at", "task_id"])
        queued.append(job.name)
    return queued


def claim(job: Job, due: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Take the run due at `due`: move the job on to its following time, record the run as in
    progress and queue the following run, in one transaction; then queue again any other job's
    lost run. False when another task has taken this run already (or the schedule is off): then
    this one must do nothing."""
    if not active():
        return False
    now = now or timezone.now()
    following = next_run(job, max(now, due))
    with transaction.atomic():
        # The conditional update is the lock: a second claimant of the same run waits for the
        # first's row lock (PostgreSQL) or write lock (SQLite), then finds the row moved on.
        taken = ScheduledJob.objects.filter(name=job.name, next_run_at=due).update(
            next_run_at=following, last_started_at=now, run_in_progress=due
        )
        if not taken:
            return False
        ScheduledJob.objects.filter(name=job.name).update(task_id=_queue(job, following))
    run_lost_again(now)
    return True


def _finished(name: str, due: datetime.datetime, succeeded: bool) -> None:
    """The run of `due` is over: no longer in progress (unless a later run has taken its place)
    and, if it succeeded, the job's last success."""
    ScheduledJob.objects.filter(name=name, run_in_progress=due).update(run_in_progress=None)
    if succeeded:
        ScheduledJob.objects.filter(name=name).update(last_succeeded_at=timezone.now())


@task()
def run_scheduled(name: str, due: str, attempt: int = 1, claimed: bool = False) -> dict[str, Any]:
    """Run the job `name` for its time `due` (ISO 8601) if no other task has, after queueing its
    next run. On failure the same run is tried again later (`claimed`: it is already taken, as is
    a lost run queued again)."""
    job = JOBS_BY_NAME.get(name)
    if job is None:  # a job the product no longer has
        logger.warning("scheduled job %s is unknown; not run", name)
        return {"ran": False}
    due_at = datetime.datetime.fromisoformat(due)
    try:
        if claimed:  # its start is this attempt's: until LOST_AFTER from now it is not lost
            ScheduledJob.objects.filter(name=name, run_in_progress=due_at).update(
                last_started_at=timezone.now()
            )
        else:
            if not claim(job, due_at):
                return {"ran": False}
            claimed = True
        outcome = job.run()
    except Exception:
        if not retry_later(run_scheduled, attempt, name, due, claimed=claimed) and claimed:
            _finished(name, due_at, succeeded=False)  # given up: failed, not lost
        raise
    _finished(name, due_at, succeeded=True)
    return {"ran": True, **outcome}
