"""`lotrinh tasks`: what the background queue holds — queued, running and failed tasks, the timed
jobs with their next and last runs, and the programmes waiting for their re-assessment;
`--requeue` queues those programmes again, any timed job that has lost its queued run, and any
timed run that started and never finished (its worker killed)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lotrinh.assessment.models import PendingRefresh
from lotrinh.assessment.refresh import STALE_MARK, request_refresh
from lotrinh.core.models import ScheduledJob
from lotrinh.core.schedule import active, is_lost, keep_scheduled, run_lost_again

LISTED = 20


class Command(BaseCommand):
    help = (
        "List queued, running and failed background tasks and the programmes awaiting "
        "re-assessment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--requeue",
            action="store_true",
            help=(
                "Queue a re-assessment for every programme still marked as waiting, the next "
                "run of every timed job that has none, and again every timed run that started "
                "long ago and never finished."
            ),
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["requeue"]:
            marks = list(PendingRefresh.objects.values_list("programme_id", flat=True))
            # Ageing the marks lets request_refresh queue them even though they are recent.
            PendingRefresh.objects.update(marked_at=timezone.now() - STALE_MARK)
            self.stdout.write(f"requeued: {request_refresh(marks)}")
            again = run_lost_again() if active() else []
            self.stdout.write(f"lost timed runs queued again: {', '.join(again) or 'none'}")
            self.stdout.write(f"timed jobs queued: {', '.join(keep_scheduled()) or 'none'}")
        self.stdout.write(f"backend: {settings.TASKS['default']['BACKEND']}")
        counts = dict(
            DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        self.stdout.write(
            "tasks: " + ", ".join(f"{s.value}={counts.get(s.value, 0)}" for s in TaskResultStatus)
        )
        self._list("queued or running", [TaskResultStatus.READY, TaskResultStatus.RUNNING])
        self._list("failed", [TaskResultStatus.FAILED])
        self._schedule()
        waiting = PendingRefresh.objects.select_related("programme").order_by("marked_at")
        self.stdout.write(f"programmes awaiting re-assessment: {waiting.count()}")
        for mark in waiting[:LISTED]:
            self.stdout.write(f"  {mark.programme.code}  since {mark.marked_at:%Y-%m-%d %H:%M:%S}")

    def _schedule(self) -> None:
        on = "on" if active() else "off (LOTRINH_SCHEDULE, or a task backend that cannot wait)"
        self.stdout.write(f"timed jobs: {on}")
        rows = list(ScheduledJob.objects.order_by("name"))
        statuses = {
            str(pk): status
            for pk, status in DBTaskResult.objects.filter(
                pk__in=[row.task_id for row in rows if row.task_id]
            ).values_list("id", "status")
        }
        now = timezone.now()
        for row in rows:
            status = statuses.get(row.task_id)
            self.stdout.write(
                f"  {row.name}  next {_local(row.next_run_at)}  task {row.task_id or '-'}"
                f" ({status or 'not queued'})  last started {_local(row.last_started_at)}"
                f"  last succeeded {_local(row.last_succeeded_at)}"
            )
            if row.run_in_progress is None:
                continue
            if is_lost(row, now):
                self.stdout.write(
                    f"    LOST: the run of {_local(row.run_in_progress)} started"
                    f" {_local(row.last_started_at)} and never finished; a worker starting, or"
                    " the next run taken, runs it again"
                )
            else:
                self.stdout.write(
                    f"    running: the run of {_local(row.run_in_progress)},"
                    f" started {_local(row.last_started_at)}"
                )

    def _list(self, title: str, statuses: list[TaskResultStatus]) -> None:
        rows = DBTaskResult.objects.filter(status__in=statuses).order_by("-enqueued_at")
        self.stdout.write(f"{title}: {rows.count()}")
        for row in rows[:LISTED]:
            error = f"  {row.exception_class_path}" if row.exception_class_path else ""
            self.stdout.write(
                f"  {row.id}  {row.task_path}  {row.status}  enqueued {row.enqueued_at:%Y-%m-%d %H:%M:%S}"
                f"  args {row.args_kwargs}{error}"
            )


def _local(moment: datetime.datetime | None) -> str:
    return "-" if moment is None else f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"
