"""The tasks API: the list with each task's state, the completion summary, progress and approval."""

import datetime

import pytest
from django.test import Client

from lotrinh.core.models import AuditEvent
from lotrinh.workplan.models import ApprovalState, Task, TaskProgress

pytestmark = pytest.mark.django_db


def client_of(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_the_list_and_summary_give_each_task_its_state(task, officer, programme):
    client = client_of(officer)
    listed = client.get(f"/api/v1/programmes/{programme.code}/tasks", {"as_of": "2021-01-01"})
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert (item["title"], item["deadline"], item["overdue"], item["status"]) == (
        task.title,
        "quý IV/2020",
        True,
        "not_started",
    )
    assert item["lead"]["name"] == "Sở Khoa học và Công nghệ"
    summary = client.get(
        f"/api/v1/programmes/{programme.code}/tasks/summary", {"as_of": "2020-11-01"}
    ).json()
    assert (summary["total"], summary["done"], summary["overdue"]) == (1, 0, 0)


def test_progress_is_reported_and_approved_and_bad_input_is_explained(task, reporter, officer):
    reporter_client = client_of(reporter)
    refused = reporter_client.post(
        f"/api/v1/tasks/{task.pk}/progress", {"status": "done"}, content_type="application/json"
    )
    assert refused.status_code == 400
    body = refused.json()
    assert "minh chứng" in body["detail"] and "evidence" in body["detail_en"]
    sent = reporter_client.post(
        f"/api/v1/tasks/{task.pk}/progress",
        {"status": "in_progress", "percent": 30},
        content_type="application/json",
    )
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    progress_id = sent.json()["id"]
    assert reporter_client.post(f"/api/v1/tasks/progress/{progress_id}/approve").status_code == 403
    approved = client_of(officer).post(f"/api/v1/tasks/progress/{progress_id}/approve")
    assert approved.status_code == 200
    assert TaskProgress.objects.get(pk=progress_id).state == ApprovalState.APPROVED


def test_an_officer_creates_and_edits_a_task_through_the_api(officer, programme, department):
    client = client_of(officer)
    lead = f"{department.structure}/{department.code}"
    created = client.post(
        f"/api/v1/programmes/{programme.code}/tasks",
        {"title": "Tổ chức hội nghị sơ kết", "lead": lead, "deadline": "quý II/2021"},
        content_type="application/json",
    )
    assert created.status_code == 200, created.content
    task = Task.objects.get(pk=created.json()["id"])
    assert (created.json()["deadline"], task.due_on) == ("quý II/2021", datetime.date(2021, 6, 30))
    changed = client.put(
        f"/api/v1/tasks/{task.pk}",
        {"title": "Tổ chức hội nghị tổng kết", "lead": lead, "deadline": "2022"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Tổ chức hội nghị tổng kết"
    event = AuditEvent.objects.get(target_id=task.pk, action="task_changed")
    assert set(event.changes) == {"title", "deadline"}


@pytest.mark.parametrize(
    ("change", "english"),
    [
        ({"deadline": "quý I/2019"}, "before the programme's date"),
        ({"lead": "2025/01"}, "is not in"),
        ({"lead": "2025/no-such-unit"}, "No unit is"),
    ],
)
def test_a_bad_task_is_refused_by_the_api_and_nothing_is_stored(
    officer, programme, department, change, english
):
    body = {"title": "Nhiệm vụ", "lead": f"2025/{department.code}", "deadline": "2025", **change}
    refused = client_of(officer).post(
        f"/api/v1/programmes/{programme.code}/tasks", body, content_type="application/json"
    )
    assert refused.status_code == 400
    assert english in refused.json()["detail_en"] and refused.json()["detail"]
    assert not Task.objects.filter(programme=programme).exists()
