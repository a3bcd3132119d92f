"""Reminders before and after deadlines: e-mail (Django's e-mail framework) and in-app notifications.

Each (unit, period, kind, day) is reminded once, so running the command several times a day, or
from several workers, does not flood anyone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotrinh.access.models import Membership, Role
from lotrinh.reporting.models import Notification, Period, Report, ReportingRegime, Status
from lotrinh.reporting.queries import due_date, expected_units


@dataclass(frozen=True)
class ReminderResult:
    notifications: int
    emails: int


def _kind(due: datetime.date, today: datetime.date) -> str | None:
    """'soon' within the days before the deadline, 'overdue' every few days after it."""
    days_left = (due - today).days
    if 0 <= days_left <= settings.LOTRINH_REMINDER_DAYS_BEFORE:
        return "soon"
    if days_left < 0 and (-days_left) % max(1, settings.LOTRINH_REMINDER_REPEAT_DAYS) == 0:
        return "overdue"
    return None


def _message(
    kind: str, regime: ReportingRegime, period: Period, unit_name: str, due: datetime.date
) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = (
            _("Reminder: the report “%(regime)s” %(period)s of %(unit)s is due on %(due)s.")
            if kind == "soon"
            else _("Overdue: the report “%(regime)s” %(period)s of %(unit)s was due on %(due)s.")
        )
        return text % {
            "regime": regime.name,
            "period": period.code,
            "unit": unit_name,
            "due": due.strftime("%d/%m/%Y"),
        }


def send_reminders(today: datetime.date | None = None) -> ReminderResult:
    """Remind the reporters of every unit whose report of a recent period is not yet submitted."""
    today = today or timezone.localdate()
    notifications: list[Notification] = []
    emails: list[tuple[str, str, str, list[str]]] = []
    recent = today - datetime.timedelta(days=90)
    for regime in ReportingRegime.objects.filter(is_active=True):
        for period in regime.periods.filter(
            cutoff_to__gte=recent, cutoff_from__lte=today, is_locked=False
        ):
            done = set(
                Report.objects.filter(
                    regime=regime, period=period, status__in=[Status.SUBMITTED, Status.APPROVED]
                ).values_list("org_unit_id", flat=True)
            )
            reporters = Membership.objects.filter(
                role=Role.REPORTER, org_unit__in=expected_units(regime, period).exclude(pk__in=done)
            ).select_related("user", "org_unit")
            for membership in reporters:
                due = due_date(regime, period, membership.org_unit)
                kind = _kind(due, today)
                if kind is None:
                    continue
                key = f"{kind}:{regime.code}:{period.code}:{membership.org_unit_id}:{membership.user_id}:{today}"
                if Notification.objects.filter(dedupe_key=key).exists():
                    continue
                text = _message(kind, regime, period, membership.org_unit.name, due)
                notifications.append(
                    Notification(
                        user=membership.user,
                        text=text,
                        dedupe_key=key,
                        url=f"/reports/{regime.code}/{period.code}/"
                        f"{membership.org_unit.structure}/{membership.org_unit.code}/",
                    )
                )
                if membership.user.email:
                    emails.append(
                        (text, text, settings.DEFAULT_FROM_EMAIL, [membership.user.email])
                    )
    Notification.objects.bulk_create(notifications)
    sent = send_mass_mail(emails, fail_silently=False) if emails and settings.EMAIL_ENABLED else 0
    return ReminderResult(len(notifications), sent)
