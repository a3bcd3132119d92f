"""A long document is read by the background worker; its review page is its user's alone."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from lotrinh.core.models import PreparedFile, PreparedState
from lotrinh.extraction.tests.test_bounds import dense_text

pytestmark = pytest.mark.django_db
START = "/en/extract/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def free_slots():
    yield
    caches["shared"].clear()


def proposed_rows(page: str) -> list[str]:
    return re.findall(r'name="t-\d+-name" value="([^"]*)"', page)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_long_document_is_read_by_the_worker_and_reviewed_as_a_short_one(
    client, django_user_model, monkeypatch
):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    user = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(user)
    text = dense_text(3_000)
    at_once = client.post(START, {"text": text})
    assert at_once.status_code == 200 and proposed_rows(at_once.content.decode())

    with override_settings(LOTRINH_BACKGROUND_CHARACTERS=1_000):
        queued = client.post(START, {"text": text})
        prepared = PreparedFile.objects.get()
        assert queued.status_code == 302 and queued["Location"].endswith(
            f"/downloads/{prepared.pk}/"
        )
        waiting = client.get(queued["Location"]).content.decode()
        assert "Being prepared…" in waiting and 'http-equiv="refresh"' in waiting
        # The same user's second long document waits for the first.
        assert client.post(START, {"text": text}).status_code == 429

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    prepared.refresh_from_db()
    assert prepared.state == PreparedState.READY
    review = client.get(queued["Location"], follow=True)
    assert review.redirect_chain[-1][0].endswith(f"/extract/read/{prepared.pk}/")
    assert proposed_rows(review.content.decode()) == proposed_rows(at_once.content.decode())

    client.force_login(django_user_model.objects.create_superuser("khac", password="x"))
    assert client.get(f"/en/extract/read/{prepared.pk}/").status_code == 404
