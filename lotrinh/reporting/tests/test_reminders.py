"""Reminders before and after the deadline, by e-mail and in the app, once per day."""

import datetime

import pytest
from django.core import mail

from lotrinh.reporting.models import Notification, Report
from lotrinh.reporting.queries import due_date
from lotrinh.reporting.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreported(reporter, regime, open_period, commune):
    Report.objects.filter(regime=regime, period=open_period, org_unit=commune).delete()
    reporter.user.email = "xa@example.invalid"
    reporter.user.save()
    return due_date(regime, open_period, commune)


def test_a_reporter_is_reminded_before_the_deadline_by_mail_and_in_the_app(reporter, unreported):
    result = send_reminders(today=unreported - datetime.timedelta(days=2))
    assert result.notifications >= 1 and result.emails >= 1
    assert Notification.objects.filter(
        user=reporter.user, text__contains=unreported.strftime("%d/%m/%Y")
    ).exists()
    assert any(m.to == ["xa@example.invalid"] for m in mail.outbox)


def test_reminders_are_sent_once_a_day(reporter, unreported):
    day = unreported - datetime.timedelta(days=1)
    send_reminders(today=day)
    again = send_reminders(today=day)
    assert not Notification.objects.filter(user=reporter.user).count() > 1
    assert again.notifications == 0


def test_overdue_reports_are_reminded_every_few_days(reporter, unreported):
    assert send_reminders(today=unreported + datetime.timedelta(days=3)).notifications >= 1
    assert send_reminders(today=unreported + datetime.timedelta(days=4)).notifications == 0


def test_no_reminder_long_before_the_deadline(reporter, unreported):
    assert send_reminders(today=unreported - datetime.timedelta(days=20)).notifications == 0
