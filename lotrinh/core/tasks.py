"""Background tasks: the one way the product queues work and tries it again after a failure.

Tasks are django-tasks tasks (the interface Django 6 ships as `django.tasks`), queued in the site's
database and run by `lotrinh db-worker` or by the worker `lotrinh serve` embeds; the test suite runs
each at once (docs/deployment.md). To run work in the background, declare it with
`@django_tasks.task()` in the app's `tasks.py` and queue it with `the_task.enqueue(…)`, with JSON
arguments, never model instances. A task that may fail for a passing reason takes an `attempt`
keyword and calls `retry_later` from its `except` block.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# Waits before each new attempt (the last one repeats): a database restart or a full disk has time
# to pass, and a task that keeps failing stops after LOTRINH_TASK_RETRIES attempts.
RETRY_DELAYS = (10, 60, 300, 1800)


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt `attempt + 1`."""
    return datetime.timedelta(seconds=RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])


def may_retry(attempt: int) -> bool:
    return attempt <= settings.LOTRINH_TASK_RETRIES


def retry_later(task: Task[Any, Any], attempt: int, *args: Any, **kwargs: Any) -> bool:
    """Queue the next attempt of a task that has just failed its `attempt`-th one, after a delay
    where the backend can wait (the database backend; the immediate one runs it now). Returns
    False once every retry is spent."""
    if not may_retry(attempt):
        logger.error("%s failed %s times; not trying again", task.name, attempt)
        return False
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + retry_delay(attempt))
    task.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
