"""Reminders and digests, by e-mail (Django's e-mail framework) and as in-app notifications.

Reporters are reminded before and after deadlines; each (unit, period, kind, day) is reminded
once, so running the command several times a day, or from several workers, does not flood anyone.
Approvers get one digest listing the reports submitted to them since their previous digest, never
one message per report.

"Once" is kept by the database, not by reading before writing: the runs take turns (`in_turn`: a
transaction-scoped advisory lock on PostgreSQL; on SQLite the transaction itself, begun
IMMEDIATE, holds the write lock), so a run started while another is storing its messages waits
and then finds them stored; and the unique key on `Notification.dedupe_key` refuses a second copy
of any message, whatever wrote the first. The e-mails go after the messages are committed, and
only those of the messages this run stored: a run that dies between the two has recorded
messages whose e-mails are never sent, rather than e-mails sent twice.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotrinh.access.models import Membership, Role
from lotrinh.access.permissions import approving_users
from lotrinh.reporting.models import Notification, Period, Report, ReportingRegime, Status
from lotrinh.reporting.pages import reports_to_approve
from lotrinh.reporting.periods import period_label
from lotrinh.reporting.queries import due_date, expected_units

Email = tuple[str, str, str, list[str]]  # subject, body, sender, recipients (send_mass_mail)

# A digest's key holds the moment it covers up to; the next digest starts from there.
DIGEST_KEY_PREFIX = "submitted-digest"
FIRST_DIGEST_COVERS = datetime.timedelta(days=1)
NAMED_IN_APP = 5  # a notification is one line of at most 500 characters
NAMED_BY_EMAIL = 200
# The advisory lock the reminder runs take turns on (PostgreSQL's locks are named by a number).
TURN_LOCK = zlib.crc32(b"lotrinh.reporting.reminders")


@dataclass(frozen=True)
class ReminderResult:
    notifications: int
    emails: int
    digests: int = 0
    tasks: int = 0  # of the notifications, those about tasks (lotrinh.workplan.reminders)


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
            "period": period_label(period.code),
            "unit": unit_name,
            "due": due.strftime("%d/%m/%Y"),
        }


@contextmanager
def in_turn() -> Iterator[None]:
    """A transaction that one reminder run at a time holds: a second run waits at the start
    until the first has committed, then reads what it stored."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TURN_LOCK])
        yield


def send_reminders(
    today: datetime.date | None = None, now: datetime.datetime | None = None
) -> ReminderResult:
    """Remind reporters of reports not yet submitted, and send each approver the digest of the
    reports submitted to them since their previous one (see _digests)."""
    from lotrinh.workplan.reminders import task_reminders  # tasks build on reporting, not back

    with in_turn():
        today = today or timezone.localdate()
        notifications, emails = _deadline_reminders(today)
        digests, digest_emails = _digests(now or timezone.now())
        tasks, task_emails = task_reminders(today)
        Notification.objects.bulk_create(notifications + digests + tasks)
    sent = send_emails(emails + digest_emails + task_emails)
    return ReminderResult(
        len(notifications) + len(digests) + len(tasks), sent, len(digests), len(tasks)
    )


def send_emails(emails: list[Email]) -> int:
    """Send the e-mails in one connection (when e-mail is enabled); how many were sent."""
    if not emails or not settings.EMAIL_ENABLED:
        return 0
    return int(send_mass_mail(emails, fail_silently=False))


def _deadline_reminders(today: datetime.date) -> tuple[list[Notification], list[Email]]:
    """The reminders of every unit whose report of a recent period is not yet submitted."""
    notifications: list[Notification] = []
    emails: list[Email] = []
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
                url = (
                    f"/reports/{regime.code}/{period.code}/"
                    f"{membership.org_unit.structure}/{membership.org_unit.code}/"
                )
                notifications.append(
                    Notification(user=membership.user, text=text, dedupe_key=key, url=url)
                )
                if membership.user.email:
                    emails.append(
                        (
                            text,
                            _reminder_body(text, url),
                            settings.DEFAULT_FROM_EMAIL,
                            [membership.user.email],
                        )
                    )
    return notifications, emails


def site_link(path: str) -> str:
    """The full address of a page for an e-mail, or "" when LOTRINH_SITE_URL is not set."""
    return settings.LOTRINH_SITE_URL + path if settings.LOTRINH_SITE_URL else ""


def _reminder_body(text: str, url: str) -> str:
    link = site_link(url)
    if not link:
        return text
    with translation.override(settings.LANGUAGE_CODE):
        return text + "\n\n" + _("Open the report: %(link)s") % {"link": link}


def _digest_key(user_id: int, until: datetime.datetime) -> str:
    return f"{DIGEST_KEY_PREFIX}:{user_id}:{until.isoformat()}"


def _previous_digest_until(user_id: int) -> datetime.datetime | None:
    """The moment the user's latest digest covered up to, read back from its key."""
    key = (
        Notification.objects.filter(
            user_id=user_id, dedupe_key__startswith=f"{DIGEST_KEY_PREFIX}:{user_id}:"
        )
        .order_by("-created_at", "-pk")
        .values_list("dedupe_key", flat=True)
        .first()
    )
    return datetime.datetime.fromisoformat(key.split(":", 2)[2]) if key else None


def _digests(now: datetime.datetime) -> tuple[list[Notification], list[Email]]:
    """For each approver, one notification (and one e-mail if they have an address) naming the
    reports awaiting their approval that were submitted since their previous digest: the reports
    their approvals page lists (pages.reports_to_approve)."""
    notifications: list[Notification] = []
    emails: list[Email] = []
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("reporting:approvals")
        for user in approving_users():
            since = _previous_digest_until(user.pk) or now - FIRST_DIGEST_COVERS
            pending = reports_to_approve(user).filter(submitted_at__gt=since, submitted_at__lte=now)
            named = list(pending.order_by("submitted_at", "org_unit__path")[:NAMED_BY_EMAIL])
            if not named:
                continue
            count = pending.count() if len(named) == NAMED_BY_EMAIL else len(named)
            text = _digest_text(named[:NAMED_IN_APP], count)
            notifications.append(
                Notification(
                    user=user, text=text[:500], url=url, dedupe_key=_digest_key(user.pk, now)
                )
            )
            if user.email:
                emails.append(_digest_email(user, named, count, site_link(url)))
    return notifications, emails


def _digest_text(named: list[Report], count: int) -> str:
    names = "; ".join(
        _("%(unit)s (%(period)s)")
        % {"unit": report.org_unit.name, "period": period_label(report.period.code)}
        for report in named
    )
    if count > len(named):
        names += " " + _("and %(more)s more.") % {"more": count - len(named)}
    return ngettext(
        "%(count)s report awaits your approval: %(reports)s",
        "%(count)s reports await your approval: %(reports)s",
        count,
    ) % {"count": count, "reports": names}


def _email_line(report: Report) -> str:
    submitted = timezone.localtime(report.submitted_at) if report.submitted_at else None
    return "- " + _("%(unit)s, “%(regime)s” %(period)s, submitted on %(day)s") % {
        "unit": report.org_unit.name,
        "regime": report.regime.name,
        "period": period_label(report.period.code),
        "day": submitted.strftime("%d/%m/%Y %H:%M") if submitted else "—",
    }


def _digest_email(user: User, named: list[Report], count: int, link: str) -> Email:
    subject = ngettext(
        "Lộ Trình: %(count)s report awaits your approval",
        "Lộ Trình: %(count)s reports await your approval",
        count,
    ) % {"count": count}
    lines = [
        _("These reports were submitted since the previous message and await your approval:"),
        "",
        *(_email_line(report) for report in named),
    ]
    if count > len(named):
        lines.append(_("and %(more)s more.") % {"more": count - len(named)})
    lines += [
        "",
        _("Open %(link)s to approve or return them.") % {"link": link}
        if link
        else _("Open Reports, then “Reports to approve”, in Lộ Trình to approve or return them."),
    ]
    return subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email]
