"""The tasks API: the list with each task's state, the completion summary, progress and approval."""

import pytest
from django.test import Client

from lotrinh.workplan.models import ApprovalState, TaskProgress

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
