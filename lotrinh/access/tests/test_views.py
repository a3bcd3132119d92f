"""Signing in and resetting a password, as an attacker would try them: guessing and flooding."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "đúng-mật-khẩu-2025"


@pytest.fixture(autouse=True)
def fresh_counters():
    caches["shared"].clear()


@pytest.fixture
def officer():
    return User.objects.create_user("canbo", email="canbo@example.invalid", password=PASSWORD)


def log_in(client, password, language=""):
    return client.post(f"{language}/accounts/login/", {"username": "canbo", "password": password})


def test_five_wrong_passwords_lock_the_user_name_out_even_with_the_right_password(client, officer):
    answers = [log_in(client, f"sai-{n}") for n in range(5)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # the form again, with its error
    assert answers[4].status_code == 429
    refused = log_in(client, PASSWORD)
    assert refused.status_code == 429
    assert "15 phút" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    english = log_in(client, PASSWORD, "/en")
    assert "blocked for 15 minutes" in english.content.decode()


def test_the_right_password_works_again_once_the_lock_expires(client, officer):
    for n in range(5):
        log_in(client, f"sai-{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert log_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_lock_holds_only_for_the_guessers_address(client, officer):
    for n in range(5):
        log_in(client, f"sai-{n}")
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    response = elsewhere.post("/accounts/login/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302


def test_a_reset_request_without_smtp_prints_and_logs_nothing(
    client, officer, settings, capsys, caplog
):
    settings.EMAIL_BACKEND = base.EMAIL_BACKEND  # what a server without LOTRINH_EMAIL_HOST uses
    client.post(reverse("password_reset"), {"email": officer.email})
    printed = capsys.readouterr()
    for output in (printed.out, printed.err, caplog.text):
        assert "/reset/" not in output and officer.email not in output


def test_without_smtp_the_reset_page_says_to_ask_an_administrator(client, officer, settings):
    settings.EMAIL_BACKEND, settings.EMAIL_ENABLED = base.EMAIL_BACKEND, base.EMAIL_ENABLED
    assert "quản trị viên" in client.get(reverse("password_reset")).content.decode()
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 503
    assert len(mail.outbox) == 0


def test_the_login_page_leads_to_the_reset_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Quên mật khẩu?" in page


def test_the_sixth_reset_request_within_the_hour_is_refused(client, officer):
    answers = [client.post(reverse("password_reset"), {"email": officer.email}) for _ in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    assert "Quá nhiều lần thử" in answers[5].content.decode()


def test_reset_requests_for_one_address_are_limited_from_any_client(client, officer):
    answers = [
        client.post(reverse("password_reset"), {"email": officer.email}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(6)
    ]
    assert answers[5].status_code == 429
    assert len(mail.outbox) == 5
