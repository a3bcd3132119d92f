"""Large downloads are prepared in the background, for their user only, one heavy job at a time."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from lotrinh.access.models import Membership, Role
from lotrinh.core.concurrency import heavy_request
from lotrinh.core.models import PreparedFile, PreparedState
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PROGRESS = "/programmes/binh-dinh-05-nq-tu/progress/"


def viewer(client, name: str):
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"),
        role=Role.VIEWER,
    )
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def free_slots():
    yield
    caches["shared"].clear()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the queued tasks with the real worker (`lotrinh db-worker --batch`), its connection
    housekeeping off: inside the test's transaction it would close the connection."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_small_download_is_sent_at_once(client):
    viewer(client, "lanh_dao")
    response = client.get(PROGRESS, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not PreparedFile.objects.exists()


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_BACKGROUND_ROWS=10)
def test_a_large_download_is_prepared_by_the_worker_for_its_user_only(client, run_worker):
    with override_settings(LOTRINH_BACKGROUND_ROWS=10_000):
        viewer(client, "lanh_dao")
        immediate = client.get(PROGRESS, {"format": "csv", "pillar": "economy"}).content

    response = client.get(PROGRESS, {"format": "csv", "pillar": "economy"})
    prepared = PreparedFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/downloads/{prepared.pk}/"
    page = client.get(response["Location"])
    assert "Đang xử lý…" in page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert client.get(f"/downloads/{prepared.pk}/file")["Content-Type"].startswith("text/html")
    assert DBTaskResult.objects.filter(task_path__endswith="prepare_file").count() == 1

    run_worker()

    prepared.refresh_from_db()
    assert prepared.state == PreparedState.READY
    page = client.get(f"/downloads/{prepared.pk}/").content.decode()
    assert "refresh" not in page and f"/downloads/{prepared.pk}/file" in page
    download = client.get(f"/downloads/{prepared.pk}/file")
    assert (
        download["Content-Disposition"] == 'attachment; filename="binh-dinh-05-nq-tu-progress.csv"'
    )
    assert table(download.content) == table(immediate) and len(table(immediate)) > 2

    # Another user, even one who may see the programme, does not learn the download exists.
    viewer(client, "nguoi_khac")
    assert client.get(f"/downloads/{prepared.pk}/").status_code == 404
    assert client.get(f"/downloads/{prepared.pk}/file").status_code == 404


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_BACKGROUND_ROWS=10)
def test_a_second_heavy_job_is_refused_until_the_first_has_finished(client, run_worker):
    viewer(client, "lanh_dao")
    assert client.get(PROGRESS, {"format": "csv"}).status_code == 302

    refused = client.get("/programmes/binh-dinh-05-nq-tu/coverage/", {"format": "csv"})
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Bạn đang có một lượt trích xuất, nhập số liệu hoặc tải tệp lớn" in text
    assert "You already have an extraction, import or large download being prepared" in text
    assert PreparedFile.objects.count() == 1  # nothing kept for the refused one

    run_worker()  # the first one finishes and frees the slot
    assert (
        client.get("/programmes/binh-dinh-05-nq-tu/coverage/", {"format": "csv"}).status_code == 302
    )
    assert PreparedFile.objects.count() == 2


@override_settings(LOTRINH_BACKGROUND_ROWS=10)
def test_a_large_download_is_refused_while_an_extraction_holds_the_slot(client):
    user = viewer(client, "lanh_dao")
    with heavy_request(user.pk, hold_seconds=60):
        assert client.get(PROGRESS, {"format": "csv"}).status_code == 429
    assert not PreparedFile.objects.exists()


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_BACKGROUND_ROWS=10)
def test_a_user_who_lost_the_right_before_the_worker_ran_gets_no_file(client, run_worker):
    user = viewer(client, "lanh_dao")
    assert client.get(PROGRESS, {"format": "csv"}).status_code == 302
    Membership.objects.filter(user=user).delete()

    run_worker()

    prepared = PreparedFile.objects.get()
    assert prepared.state == PreparedState.FAILED and bytes(prepared.content) == b""
    assert "Không tạo được tệp" in client.get(f"/downloads/{prepared.pk}/").content.decode()


@override_settings(LOTRINH_BACKGROUND_ROWS=10, LOTRINH_BACKGROUND_KEEP_HOURS=24)
def test_a_prepared_download_older_than_the_keeping_time_is_deleted_by_the_next_one(client):
    import datetime

    from django.utils import timezone

    user = viewer(client, "lanh_dao")
    old = PreparedFile.objects.create(owner=user, title="x", producer="x", language="vi")
    PreparedFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    kept = PreparedFile.objects.create(owner=user, title="y", producer="y", language="vi")
    assert client.get(PROGRESS, {"format": "csv"}).status_code == 302
    assert not PreparedFile.objects.filter(pk=old.pk).exists()
    assert PreparedFile.objects.filter(pk=kept.pk).exists() and PreparedFile.objects.count() == 2
