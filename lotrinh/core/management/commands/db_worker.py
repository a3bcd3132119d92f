"""`lotrinh db-worker`: django-tasks-db's worker, which first queues the timed jobs that have no
queued run (lotrinh.core.schedule), so the reminders and clean-ups need no cron. Every worker
does this when it starts, the one `lotrinh serve` embeds too; however many start, each job keeps
one queued run."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from lotrinh.core.schedule import keep_scheduled

logger = logging.getLogger(__name__)


class Command(DatabaseWorker):
    help = (
        "Run a database background worker; it first queues the next run of each timed job "
        "(reminders, clean-ups) that has none, unless LOTRINH_SCHEDULE is off."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = keep_scheduled()
        if queued:
            logger.info("Scheduled jobs queued: %s", ", ".join(queued))
        super().handle(*args, **options)
