"""Reminders before and after the deadline, by e-mail and in the app, once per day; and the
approvers' digests of submitted reports."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lotrinh.reporting.models import Notification, Report
from lotrinh.reporting.periods import period_label
from lotrinh.reporting.queries import due_date
from lotrinh.reporting.reminders import DIGEST_KEY_PREFIX, send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreported(reporter, regime, open_period, commune):
    Report.objects.filter(regime=regime, period=open_period, org_unit=commune).delete()
    reporter.user.email = "xa@example.invalid"
    reporter.user.save()
    return due_date(regime, open_period, commune)


def test_a_reporter_is_reminded_before_the_deadline_by_mail_and_in_the_app(
    reporter, unreported, open_period
):
    result = send_reminders(today=unreported - datetime.timedelta(days=2))
    assert result.notifications >= 1 and result.emails >= 1
    reminder = Notification.objects.get(user=reporter.user)
    assert period_label(open_period.code) in reminder.text  # "Quý IV/2026", not "2026Q4"
    assert open_period.code not in reminder.text
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


def digests_of(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith=DIGEST_KEY_PREFIX)


def test_an_approver_gets_one_digest_of_the_reports_submitted_since_the_last_one(
    reporter, approver, regime, open_period, three_submitted
):
    approver.user.email = "tinh@example.invalid"
    approver.user.save()
    reporter.user.email = "xa@example.invalid"
    reporter.user.save()
    before = timezone.now() - datetime.timedelta(minutes=5)
    send_reminders(now=before)  # the previous digest: the three reports came after it
    mail.outbox.clear()
    result = send_reminders(now=timezone.now())
    to_approver = [m for m in mail.outbox if m.to == ["tinh@example.invalid"]]
    assert len(to_approver) == 1 and result.digests == 1
    body = to_approver[0].body
    label = period_label(open_period.code)
    assert "3 báo cáo" in to_approver[0].subject
    for unit in three_submitted:
        assert f"- {unit.name}, “{regime.name}” {label}, " in body
    digest = digests_of(approver.user).latest("created_at")
    assert digest.text.startswith("3 báo cáo") and digest.url == "/reports/approvals/"
    assert all(unit.name in digest.text for unit in three_submitted)
    assert not digests_of(reporter.user).exists()
    assert not any(
        "báo cáo đang chờ" in m.subject for m in mail.outbox if m.to == ["xa@example.invalid"]
    )


def test_a_second_run_sends_no_digest_when_nothing_new_was_submitted(approver, three_submitted):
    first = send_reminders(now=timezone.now())
    again = send_reminders(now=timezone.now())
    assert first.digests == 1 and again.digests == 0
    assert digests_of(approver.user).count() == 1


def test_the_approver_sees_the_digest_on_the_reports_page(client, approver, three_submitted):
    # A digest just before the three, so that reports submitted earlier by the shared data are
    # not named in front of them.
    send_reminders(now=timezone.now() - datetime.timedelta(minutes=5))
    Notification.objects.filter(user=approver.user).update(read_at=timezone.now())
    send_reminders(now=timezone.now())
    client.force_login(approver.user)
    page = client.get(reverse("reporting:my-reports")).content.decode()
    assert 'href="/reports/approvals/"' in page and three_submitted[0].name in page


@pytest.mark.parametrize("site_url", ["https://lotrinh.example.gov.vn", ""])
def test_the_digest_email_links_to_the_approvals_page_when_the_site_address_is_set(
    settings, approver, three_submitted, site_url
):
    settings.LOTRINH_SITE_URL = site_url
    approver.user.email = "tinh@example.invalid"
    approver.user.save()
    send_reminders(now=timezone.now())
    body = next(m.body for m in mail.outbox if m.to == ["tinh@example.invalid"])
    if site_url:
        assert "Mở https://lotrinh.example.gov.vn/reports/approvals/ để duyệt" in body
    else:  # no address to link to: the e-mail names the page
        assert "http" not in body and "Báo cáo chờ phê duyệt" in body


@pytest.mark.parametrize("site_url", ["https://lotrinh.example.gov.vn", ""])
def test_a_reminder_email_links_to_the_report_when_the_site_address_is_set(
    settings, reporter, unreported, regime, open_period, commune, site_url
):
    settings.LOTRINH_SITE_URL = site_url
    send_reminders(today=unreported - datetime.timedelta(days=2))
    body = next(m.body for m in mail.outbox if m.to == ["xa@example.invalid"])
    report_url = f"/reports/{regime.code}/{open_period.code}/{commune.structure}/{commune.code}/"
    if site_url:
        assert f"Mở báo cáo: https://lotrinh.example.gov.vn{report_url}" in body
    else:
        assert "http" not in body


def test_the_background_reminders_are_tried_again_after_a_failure(monkeypatch):
    from django.core.management import call_command

    from lotrinh.reporting import tasks

    attempts = []

    def fail_once(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("mail server unreachable")
        return send_reminders(**kwargs)

    monkeypatch.setattr(tasks, "send_reminders", fail_once)
    call_command("send_reminders", "--background", stdout=io.StringIO())
    assert len(attempts) == 2  # the immediate backend of the tests runs the retry at once
