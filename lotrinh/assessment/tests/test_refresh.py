"""Approvals re-assess their programmes in the background, once per burst, and retry a failure."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from lotrinh.assessment import refresh
from lotrinh.assessment.models import Assessment, PendingRefresh
from lotrinh.assessment.services import assess_programme
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import Structure
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.services import Actor, approve_report

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def snapshot(programme: Programme) -> list[tuple]:
    return list(
        Assessment.objects.filter(target__programme=programme)
        .order_by("target_id", "method")
        .values_list("target_id", "status", "latest_value", "data_cutoff", "series")
    )


@pytest.fixture
def counted_assessments(monkeypatch) -> list[str]:
    """The codes of the programmes the refresh task assesses, in order."""
    calls: list[str] = []

    def counting(programme, **kwargs):
        calls.append(programme.code)
        return assess_programme(programme, **kwargs)

    monkeypatch.setattr(refresh, "assess_programme", counting)
    return calls


@pytest.fixture
def run_worker(monkeypatch):
    """Run the queued tasks with the real worker (`lotrinh db-worker --batch`). Its connection
    housekeeping is turned off: inside the test's transaction it would close the connection."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def submitted_gia_lai_reports(count: int) -> list[Report]:
    reports = list(
        Report.objects.filter(
            status=Status.SUBMITTED,
            org_unit__structure=Structure.CURRENT,
            org_unit__path__startswith="2025/52/",
        ).order_by("pk")[:count]
    )
    assert len(reports) == count
    return reports


@override_settings(TASKS=DATABASE_TASKS)
def test_twenty_approvals_queue_one_re_assessment_that_sees_all_of_them(
    django_capture_on_commit_callbacks, counted_assessments, run_worker
):
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    reports = submitted_gia_lai_reports(20)
    covering = {p.pk for p in refresh.programmes_covering(reports[0].org_unit)}
    assert covering  # Gia Lai follows Bình Định's programme
    for report in reports:
        with django_capture_on_commit_callbacks(execute=True):
            approve_report(Actor(admin), report)

    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_programme")
    assert queued.count() == len(covering)  # not 20 × the programmes
    assert set(PendingRefresh.objects.values_list("programme_id", flat=True)) == covering

    run_worker()

    assert len(counted_assessments) == len(covering)
    assert not PendingRefresh.objects.exists()
    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}
    for programme in Programme.objects.filter(pk__in=covering):
        stored = snapshot(programme)
        assess_programme(programme)  # what an assessment after the last approval says
        assert stored == snapshot(programme)


@override_settings(TASKS=DATABASE_TASKS)
def test_an_approval_during_a_run_queues_the_next_run():
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    assert refresh.request_refresh([programme.pk]) == 1
    assert refresh.request_refresh([programme.pk]) == 0  # still waiting: nothing more queued
    PendingRefresh.objects.all().delete()  # as the running task does when it starts
    assert refresh.request_refresh([programme.pk]) == 1


def test_a_failed_re_assessment_is_tried_again_and_then_succeeds(monkeypatch):
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    Assessment.objects.filter(target__programme=programme).delete()
    failures = []

    def fail_once(programme, **kwargs):
        if not failures:
            failures.append(programme.code)
            raise ConnectionError("database restarting")
        return assess_programme(programme, **kwargs)

    monkeypatch.setattr(refresh, "assess_programme", fail_once)
    refresh.request_refresh([programme.pk])  # the immediate backend runs it, and its retry

    assert failures == [programme.code]
    assert Assessment.objects.filter(target__programme=programme).count() == (
        programme.target_set.count()
    )
    assert not PendingRefresh.objects.exists()


@override_settings(LOTRINH_TASK_RETRIES=2)
def test_a_re_assessment_that_keeps_failing_stops_and_stays_marked(monkeypatch):
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    attempts = []

    def always_fail(programme, **kwargs):
        attempts.append(1)
        raise ConnectionError("database down")

    monkeypatch.setattr(refresh, "assess_programme", always_fail)
    refresh.request_refresh([programme.pk])

    assert len(attempts) == 3  # the first attempt and two retries
    assert PendingRefresh.objects.filter(programme=programme).exists()


@override_settings(TASKS=DATABASE_TASKS, LOTRINH_TASK_RETRIES=0)
def test_lotrinh_tasks_lists_failed_tasks_and_waiting_programmes(monkeypatch, run_worker):
    import io

    def always_fail(programme, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(refresh, "assess_programme", always_fail)
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    refresh.request_refresh([programme.pk])
    run_worker()

    out = io.StringIO()
    call_command("tasks", stdout=out)
    listing = out.getvalue()
    assert "tasks: READY=0, RUNNING=0, FAILED=1, SUCCESSFUL=0" in listing
    assert "refresh_programme  FAILED" in listing and "ConnectionError" in listing
    assert "programmes awaiting re-assessment: 1\n  binh-dinh-05-nq-tu" in listing

    out = io.StringIO()
    call_command("tasks", "--requeue", stdout=out)
    assert "requeued: 1" in out.getvalue() and "queued or running: 1" in out.getvalue()
