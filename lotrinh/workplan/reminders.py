"""Reminders to the lead unit's reporters, in the app and by e-mail: a task due within a week,
and a task overdue.

Each reminder is sent once per task, kind, deadline and person (`Notification.dedupe_key`, unique),
by `lotrinh remind-tasks` or by `lotrinh send-reminders` (which includes them), so running either
or both every day, even at the same moment (they take turns: `reporting.reminders.in_turn`), never
repeats one; a changed deadline reminds again. The e-mail goes with the
notification, through the figures' reminders' mechanism (`reporting.reminders.send_emails`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lotrinh.access.models import Membership, Role
from lotrinh.reporting.models import Notification
from lotrinh.reporting.reminders import Email, ReminderResult, in_turn, send_emails, site_link
from lotrinh.workplan.models import Task
from lotrinh.workplan.queries import with_state

DUE_SOON_DAYS = 7
MAX_TASKS = 5000  # one run's work stays bounded; the rest are reminded the next day


def remind_tasks(today: datetime.date | None = None) -> ReminderResult:
    """Create the reminders not yet sent and e-mail them; how many of each."""
    with in_turn():
        notifications, emails = task_reminders(today or timezone.localdate())
        Notification.objects.bulk_create(notifications)
    return ReminderResult(len(notifications), send_emails(emails), tasks=len(notifications))


def task_reminders(today: datetime.date) -> tuple[list[Notification], list[Email]]:
    """The reminders of open tasks due within a week or overdue not yet sent, with their e-mails
    to the reporters who have an address; nothing is stored here."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_tasks = (
        with_state(Task.objects.filter(due_on__isnull=False, due_on__lte=soon), today)
        .filter(Q(is_done=False))
        .select_related("lead_unit")[:MAX_TASKS]
    )
    reporters: dict[int, list[int]] = {}
    for unit_id, user_id in (
        Membership.objects.filter(role=Role.REPORTER, org_unit__led_tasks__due_on__lte=soon)
        .values_list("org_unit_id", "user_id")
        .distinct()
    ):
        reporters.setdefault(unit_id, []).append(user_id)
    wanted: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE):
        for task in open_tasks:
            assert task.due_on is not None  # noqa: S101 - filtered above
            kind = "overdue" if task.due_on < today else "due"
            text = (
                gettext("The task “%(task)s” was due on %(day)s and is not done.")
                if kind == "overdue"
                else gettext("The task “%(task)s” is due on %(day)s.")
            ) % {"task": task.title[:300], "day": task.due_on.strftime("%d/%m/%Y")}
            url = reverse("workplan:task-detail", args=[task.pk])
            for user_id in reporters.get(task.lead_unit_id, []):
                key = f"task:{task.pk}:{kind}:{task.due_on.isoformat()}:{user_id}"
                wanted.append(
                    Notification(user_id=user_id, text=text[:500], url=url, dedupe_key=key)
                )
    sent = set(
        Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in wanted]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [n for n in wanted if n.dedupe_key not in sent]
    addresses = dict(
        User.objects.filter(pk__in={n.user_id for n in new})
        .exclude(email="")
        .values_list("pk", "email")
    )
    return new, [_email(n, addresses[n.user_id]) for n in new if n.user_id in addresses]


def _email(notification: Notification, address: str) -> Email:
    body = notification.text
    if link := site_link(notification.url):
        with translation.override(settings.LANGUAGE_CODE):
            body += "\n\n" + gettext("Open the task: %(link)s") % {"link": link}
    return notification.text, body, settings.DEFAULT_FROM_EMAIL, [address]
