"""Idempotency keys on the reporting API: a retried write is done once and answered the same."""

# The reporting fixtures are imported so that pytest finds them here: importing them is using them.
# ruff: noqa: F401, F811

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from lotrinh.api.auth import issue_token
from lotrinh.api.idempotency import ABANDONED_AFTER, KEY_TTL, request_fingerprint
from lotrinh.api.models import IdempotencyKey
from lotrinh.core.models import AuditEvent
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.tests.conftest import (  # fixtures shared with the services' tests
    GOOD,
    approver,
    commune,
    gia_lai,
    open_period,
    regime,
    reporter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_url(regime, open_period, commune) -> str:
    Report.objects.filter(regime=regime, org_unit=commune).delete()
    return f"/api/v1/reports/{regime.code}/{open_period.code}/{commune.structure}/{commune.code}"


@pytest.fixture
def system(reporter) -> dict[str, str]:
    """The headers of a system calling with the reporter's API token."""
    return {"Authorization": f"Bearer {issue_token(reporter.user, 'one-door')[1]}"}


def put(
    client: Client, url: str, body: dict[str, Any], headers: dict[str, str], key: str = ""
) -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return client.put(
        f"{url}/values", body, content_type="application/json", headers=headers | extra
    )


def post(client: Client, url: str, headers: dict[str, str], key: str = "") -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(url, {}, content_type="application/json", headers=headers | extra)


def the_report(url: str) -> Report | None:
    """The report a reporting URL addresses, if it exists yet."""
    regime, period, structure, code = url.split("/")[-4:]
    return Report.objects.filter(
        regime__code=regime, period__code=period, org_unit__structure=structure, org_unit__code=code
    ).first()


def audit_count(report_url: str) -> int:
    report = the_report(report_url)
    assert report is not None
    return AuditEvent.objects.filter(target_type="report", target_id=report.pk).count()


def test_a_token_write_without_a_key_is_refused_and_changes_nothing(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    response = put(client, report_url, {"values": GOOD}, system)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail_en"]
    assert the_report(report_url) is None
    assert post(client, f"{report_url}/submit", system).status_code == 400


def test_a_session_write_may_omit_the_key(client: Client, reporter, report_url: str) -> None:
    client.force_login(reporter.user)
    assert put(client, report_url, {"values": GOOD}, {}).status_code == 200
    assert IdempotencyKey.objects.count() == 0


def test_a_retried_save_returns_the_same_response_and_is_done_once(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    body = {"values": GOOD, "comments": {"tong_so_tthc": "Theo hệ thống một cửa."}}
    first = put(client, report_url, body, system, key="save-1")
    assert first.status_code == 200, first.content
    events = audit_count(report_url)
    assert events == 2  # the figures saved together, and the comment
    # The figures change meanwhile; the retry must still not write anything.
    put(client, report_url, {"values": {"tong_so_tthc": "115"}}, system, key="save-2")
    reordered = {"comments": body["comments"], "values": dict(reversed(list(GOOD.items())))}
    again = put(client, report_url, reordered, system, key="save-1")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert audit_count(report_url) == events + 1
    assert IdempotencyKey.objects.get(key="save-1").response_status == 200


def test_a_retried_submit_answers_200_again_and_submits_once(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    put(client, report_url, {"values": GOOD}, system, key="save")
    first = post(client, f"{report_url}/submit", system, key="submit")
    again = post(client, f"{report_url}/submit", system, key="submit")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert AuditEvent.objects.filter(action="submitted").count() == 1
    assert post(client, f"{report_url}/submit", system, key="submit-new").status_code == 400


def test_the_same_key_with_a_different_body_is_refused_with_422(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    put(client, report_url, {"values": GOOD}, system, key="k")
    events = audit_count(report_url)
    response = put(client, report_url, {"values": GOOD | {"tong_so_tthc": "111"}}, system, key="k")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "detail_en"} and "different request" in body["detail_en"]
    assert audit_count(report_url) == events


def test_the_same_key_on_another_operation_is_refused_with_422(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    put(client, report_url, {"values": GOOD}, system, key="k")
    assert post(client, f"{report_url}/submit", system, key="k").status_code == 422


def test_a_refused_write_is_answered_the_same_way_on_retry(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    put(client, report_url, {"values": GOOD | {"ho_so_cong_viec_dien_tu": "301"}}, system, "s")
    first = post(client, f"{report_url}/submit", system, key="submit")
    again = post(client, f"{report_url}/submit", system, key="submit")
    assert first.status_code == again.status_code == 422
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"


def test_keys_belong_to_one_user(
    client: Client, system: dict[str, str], approver, report_url: str
) -> None:
    put(client, report_url, {"values": GOOD}, system, key="shared")
    other = {"Authorization": f"Bearer {issue_token(approver.user, 'x')[1]}"}
    response = put(client, report_url, {"values": {"tong_so_tthc": "120"}}, other, key="shared")
    assert response.status_code == 200 and not response.has_header("Idempotent-Replayed")
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


@pytest.mark.parametrize("key", ["x" * 256, "khóa-có-dấu"])
def test_a_malformed_key_is_refused(
    client: Client, system: dict[str, str], report_url: str, key: str
) -> None:
    assert put(client, report_url, {"values": GOOD}, system, key=key).status_code == 400


def _in_flight(reporter, report_url: str, body: dict[str, Any], started: datetime.datetime) -> None:
    """A key claimed by a request that has not finished (same method, path and body)."""
    request = RequestFactory().put(f"{report_url}/values", body, content_type="application/json")
    IdempotencyKey.objects.create(
        user=reporter.user,
        key="busy",
        method="PUT",
        path=request.path,
        fingerprint=request_fingerprint(request),
        created_at=started,
        started_at=started,
    )


def test_a_key_still_in_progress_answers_409(
    client: Client, system: dict[str, str], reporter, report_url: str
) -> None:
    body = {"values": GOOD}
    _in_flight(reporter, report_url, body, timezone.now())
    response = put(client, report_url, body, system, key="busy")
    assert response.status_code == 409 and "still being processed" in response.json()["detail_en"]
    assert the_report(report_url) is None


def test_an_abandoned_key_is_taken_over_and_the_write_done(
    client: Client, system: dict[str, str], reporter, report_url: str
) -> None:
    body = {"values": GOOD}
    _in_flight(reporter, report_url, body, timezone.now() - ABANDONED_AFTER * 2)
    assert put(client, report_url, body, system, key="busy").status_code == 200
    assert IdempotencyKey.objects.get(key="busy").response_status == 200


def test_an_expired_key_is_forgotten_and_may_be_used_again(
    client: Client, system: dict[str, str], report_url: str
) -> None:
    put(client, report_url, {"values": GOOD}, system, key="old")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - KEY_TTL - datetime.timedelta(minutes=1)
    )
    response = put(client, report_url, {"values": {"tong_so_tthc": "99"}}, system, key="old")
    assert response.status_code == 200 and not response.has_header("Idempotent-Replayed")
    assert IdempotencyKey.objects.filter(key="old").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_retries_with_one_key_write_once(reporter, report_url: str) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; concurrent claims are tested on PostgreSQL.")
    headers = {"Authorization": f"Bearer {issue_token(reporter.user, 'x')[1]}"}
    statuses: list[int] = []

    def save() -> None:
        try:
            statuses.append(
                put(Client(), report_url, {"values": GOOD}, headers, "same").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 409} and 200 in statuses
    report = the_report(report_url)
    assert report is not None and report.status == Status.DRAFT
    [saved] = AuditEvent.objects.filter(target_id=report.pk, action="values_changed")
    assert len(saved.changes) == len(GOOD)  # one save, applied once, carrying every figure
    assert IdempotencyKey.objects.filter(key="same").count() == 1
