"""Reporting's background tasks: the reminders and digests, queued by
`lotrinh send-reminders --background` and run by a task worker. (The daily run the worker keeps
scheduled is lotrinh.core.schedule's.)"""

from __future__ import annotations

from django_tasks import task

from lotrinh.core.tasks import retry_later
from lotrinh.reporting.reminders import send_reminders


@task()
def send_reminders_task(attempt: int = 1) -> dict[str, int]:
    """Send the day's reminders and digests; each is sent once a day however often this runs, so a
    failed run is simply tried again."""
    try:
        result = send_reminders()
    except Exception:
        retry_later(send_reminders_task, attempt)
        raise
    return {"notifications": result.notifications, "emails": result.emails}
