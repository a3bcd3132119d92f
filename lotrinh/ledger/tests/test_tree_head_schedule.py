"""Signed tree heads follow the ledger on their own: one task per burst of appends, no sooner than
the interval after the previous head, so /ledger/sth.json is never older than the interval."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotrinh.ledger import merkle, receipts, services
from lotrinh.ledger.models import Log, TreeHead
from lotrinh.ledger.queries import with_stored_nodes
from lotrinh.reporting import services as reporting
from lotrinh.reporting.models import Report, Status

from .conftest import EXPLAINED, GOOD

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker(monkeypatch):
    """Run the due tasks with the real worker (`lotrinh db-worker --batch`), its connection
    housekeeping off (inside the test's transaction it would close the connection)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _submitted_reports(count: int) -> list[Report]:
    reports = list(
        Report.objects.filter(status=Status.SUBMITTED, org_unit__path__startswith="2025/52/")
        .select_related("org_unit")
        .order_by("pk")[:count]
    )
    assert len(reports) == count
    return reports


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="sign_tree_head_task"))


def _published_size(client) -> int:
    return int(client.get(reverse("ledger:sth")).json()["tree_size"])


def test_with_tasks_run_at_once_the_published_head_always_covers_the_whole_ledger(
    client, reporter, regime, open_period, commune
):
    report = reporting.open_report(reporter, regime, open_period, commune)
    reporting.save_values(reporter, report, dict(GOOD), EXPLAINED)
    reporting.submit_report(reporter, report)
    assert _published_size(client) == services.current_size()
    assert Log.objects.get().head_wanted_since is None  # the request was fulfilled


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_LEDGER_STH_INTERVAL_SECONDS=0)
def test_a_burst_of_appends_queues_one_signing_that_covers_all_of_them(
    client, approver, run_worker
):
    before = services.current_size()
    for report in _submitted_reports(5):
        reporting.approve_report(approver, report)
    assert len(_queued()) == 1  # not five
    assert Log.objects.get().head_wanted_since is not None

    run_worker()
    published = client.get(reverse("ledger:sth")).json()
    assert published["tree_size"] == before + 5 == services.current_size()
    assert receipts.verify_tree_head(published, services.public_key_bytes())
    assert Log.objects.get().head_wanted_since is None
    size = services.current_size()
    root = with_stored_nodes(lambda nodes: merkle.root(nodes, size))
    assert base64.b64decode(published["sha256_root_hash"]) == root

    # The next append asks for the next head.
    reporting.return_report(approver, _submitted_reports(1)[0], "Xem lại số liệu.")
    assert len(_queued()) == 2


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_LEDGER_STH_INTERVAL_SECONDS=300)
def test_the_next_head_waits_for_the_interval_after_the_previous_one(approver):
    earlier, later = _submitted_reports(2)
    # A head signed just now, after an append (the shared data's own head may be older than the
    # interval, and then the next one is rightly due at once).
    reporting.approve_report(approver, earlier)
    first = services.sign_awaited_tree_head()
    DBTaskResult.objects.all().delete()
    reporting.approve_report(approver, later)
    (queued,) = _queued()
    signed = datetime.datetime.fromtimestamp(first.timestamp / 1000, tz=datetime.UTC)
    assert queued.run_after is not None
    assert abs(queued.run_after - (signed + datetime.timedelta(seconds=300))).total_seconds() < 1


def test_after_a_quiet_spell_the_head_is_due_at_once():
    now = timezone.now()
    old = TreeHead(timestamp=int((now - datetime.timedelta(hours=2)).timestamp() * 1000))
    assert services.next_head_due(now, old) == now
    assert services.next_head_due(now, None) == now
    recent = TreeHead(timestamp=int(now.timestamp() * 1000))
    with override_settings(LOTRINH_LEDGER_STH_INTERVAL_SECONDS=60):
        assert 59 < (services.next_head_due(now, recent) - now).total_seconds() <= 60


@override_settings(TASKS=DATABASE_TASKS)
def test_a_request_whose_task_was_lost_is_queued_again(approver):
    reports = _submitted_reports(2)
    reporting.approve_report(approver, reports[0])
    DBTaskResult.objects.all().delete()  # the queue emptied by hand
    reporting.approve_report(approver, reports[1])
    assert _queued() == []  # still awaited: not queued twice
    Log.objects.update(head_wanted_since=timezone.now() - datetime.timedelta(hours=1))
    reporting.reopen_report(approver, reports[1], "Mở lại để sửa.")
    assert len(_queued()) == 1
