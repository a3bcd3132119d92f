"""The task pages as people use them: accept proposed tasks, report from a phone or a table,
approve, and see an overdue task turn its agency red."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.workplan.deadlines import parse_deadline
from lotrinh.workplan.models import ApprovalState, Task, TaskProgress
from lotrinh.workplan.services import ProgressInput, TaskInput, create_tasks, report_progress

pytestmark = pytest.mark.django_db


def client_of(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_an_officer_accepts_a_proposed_task_with_its_agency_and_deadline(
    officer, programme, department
):
    client = client_of(officer)
    page = client.get(reverse("workplan:programme-propose", args=[programme.code]))
    assert page.status_code == 200
    rows = page.context["rows"]
    index = next(r["index"] for r in rows if r["proposal"].deadline_text == "quý IV/2020")
    response = client.post(
        reverse("workplan:programme-propose", args=[programme.code]),
        {
            "accept": [str(index)],
            f"title-{index}": "Ban hành danh sách sáng kiến chuyển đổi số ưu tiên",
            f"lead-{index}": str(department.pk),
            f"deadline-{index}": "quý IV/2020",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(programme=programme)
    assert (task.lead_unit, task.due_on) == (department, datetime.date(2020, 12, 31))
    assert "quý IV/2020" in programme.document_text[task.text_start : task.text_end]


def test_a_deadline_before_the_programme_is_refused_on_the_page_in_both_languages(
    officer, programme, department
):
    response = client_of(officer).post(
        reverse("workplan:programme-propose", args=[programme.code]),
        {"accept": ["0"], "lead-0": str(department.pk), "deadline-0": "quý I/2019"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "sớm hơn ngày ban hành chương trình" in text
    assert "is before the programme&#x27;s date" in text
    assert not Task.objects.filter(programme=programme).exists()


def test_the_reporter_marks_progress_from_a_phone_and_done_needs_evidence(task, reporter, officer):
    client = client_of(reporter)
    page = client.get(reverse("workplan:task-detail", args=[task.pk]))
    assert page.status_code == 200 and 'name="status"' in page.content.decode()
    url = reverse("workplan:task-report", args=[task.pk])
    refused = client.post(url, {"status": "done"})
    assert refused.status_code == 400
    assert "cần minh chứng" in refused.content.decode()
    assert not TaskProgress.objects.filter(task=task).exists()
    assert client.post(url, {"status": "done", "evidence_number": "45/KH-UBND"}).status_code == 302
    progress = TaskProgress.objects.get(task=task)
    approved = client_of(officer).post(
        reverse("workplan:progress-decide", args=[progress.pk]), {"action": "approve"}
    )
    assert approved.status_code == 302
    progress.refresh_from_db()
    assert progress.state == ApprovalState.APPROVED


def test_a_table_of_tasks_is_sent_all_or_nothing(task, reporter, officer, programme, department):
    other = create_tasks(
        officer,
        programme,
        [TaskInput(title="Nhiệm vụ hai", lead_unit=department, deadline=parse_deadline("2026"))],
    )[0]
    client = client_of(reporter)
    bad = client.post(
        reverse("workplan:my-tasks"),
        {
            f"t{task.pk}-status": "in_progress",
            f"t{task.pk}-percent": "40",
            f"t{other.pk}-status": "blocked",
        },
    )
    assert bad.status_code == 400 and "cần ghi lý do" in bad.content.decode()
    assert not TaskProgress.objects.exists()
    good = client.post(
        reverse("workplan:my-tasks"),
        {
            f"t{task.pk}-status": "in_progress",
            f"t{task.pk}-percent": "40",
            f"t{other.pk}-status": "blocked",
            f"t{other.pk}-blocked_reason": "Chưa có kinh phí",
        },
    )
    assert good.status_code == 302 and TaskProgress.objects.count() == 2


def test_an_overdue_task_shows_red_for_its_agency_and_province(task, officer, department, dak_lak):
    page = client_of(officer).get(reverse("workplan:task-map"), {"province": dak_lak.code})
    assert page.status_code == 200
    province_row = next(r for r in page.context["provinces"] if r["unit"] == dak_lak)
    agency_row = next(r for r in page.context["detail"] if r["unit"] == department)
    assert (province_row["light"], agency_row["light"]) == ("red", "red")
    tile = next(t for t in page.context["tiles"] if t["code"] == dak_lak.code)
    assert tile["light"] == "red"
    assert len(page.context["tiles"]) == 34
    listing = client_of(officer).get(
        reverse("workplan:programme-tasks", args=[task.programme.code])
    )
    assert listing.status_code == 200 and task.title in listing.content.decode()


def test_who_is_behind_lists_the_agency_of_an_overdue_task(task, officer, department):
    page = client_of(officer).get(reverse("dashboards:behind"))
    rows = page.context["task_units"]
    assert [(r["unit"], r["counts"].overdue, r["light"]) for r in rows] == [(department, 1, "red")]
    assert "Cơ quan, xã có nhiệm vụ quá hạn" in page.content.decode()
    csv = client_of(officer).get(reverse("dashboards:behind"), {"format": "csv"})
    assert department.name in csv.content.decode()


def test_a_lead_agency_outside_the_province_is_refused_on_the_page(officer, programme):
    from lotrinh.orgunits.models import OrgUnit, Structure, Tier

    ha_noi = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="01")
    response = client_of(officer).post(
        reverse("workplan:programme-propose", args=[programme.code]),
        {"accept": ["0"], "lead-0": str(ha_noi.pk), "deadline-0": "2025"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"{ha_noi.name} không thuộc" in text and "is not in" in text
    assert not Task.objects.filter(programme=programme).exists()


def test_an_officer_types_a_task_by_hand_and_it_is_audited(officer, programme, department, dak_lak):
    client = client_of(officer)
    page = client.get(reverse("workplan:task-create", args=[programme.code]))
    assert page.status_code == 200
    partner = dak_lak.children.get(name="Sở Nội vụ")
    response = client.post(
        reverse("workplan:task-create", args=[programme.code]),
        {
            "title": "Tổ chức hội nghị sơ kết chuyển đổi số",
            "lead": str(department.pk),
            "partners": [str(partner.pk)],
            "deadline": "30/06/2021",
            "evidence_required": "on",
        },
    )
    task = Task.objects.get(programme=programme)
    assert response.status_code == 302 and response["Location"].endswith(f"/tasks/{task.pk}/")
    assert (task.lead_unit, task.due_on, list(task.partners.all())) == (
        department,
        datetime.date(2021, 6, 30),
        [partner],
    )
    assert AuditEvent.objects.filter(target_id=task.pk, action="task_created").count() == 1


@pytest.mark.parametrize(
    ("change", "vietnamese", "english"),
    [
        ({"deadline": "quý I/2019"}, "sớm hơn ngày ban hành chương trình", "before the programme"),
        ({"lead": ""}, "Hãy chọn cơ quan chủ trì", "Choose the lead agency"),
        ({"deadline": "sớm nhất có thể"}, "Không đọc được thời hạn", "cannot be read"),
    ],
)
def test_a_bad_task_typed_by_hand_is_refused_in_both_languages_and_nothing_is_stored(
    officer, programme, department, change, vietnamese, english
):
    body = {"title": "Nhiệm vụ", "lead": str(department.pk), "deadline": "2025", **change}
    response = client_of(officer).post(reverse("workplan:task-create", args=[programme.code]), body)
    assert response.status_code == 400
    text = response.content.decode().replace("&#x27;", "'")
    assert vietnamese in text and english in text
    assert not Task.objects.filter(programme=programme).exists()
    assert not AuditEvent.objects.filter(target_type="task").exists()


def test_an_agency_of_another_province_is_refused_on_the_page(officer, programme):
    elsewhere = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="01")
    response = client_of(officer).post(
        reverse("workplan:task-create", args=[programme.code]),
        {"title": "Nhiệm vụ", "lead": str(elsewhere.pk), "deadline": "2025"},
    )
    assert response.status_code == 400
    assert "Hà Nội" in response.content.decode()
    assert not Task.objects.filter(programme=programme).exists()


def test_an_officer_edits_a_task_and_the_reporter_may_not(task, officer, reporter, department):
    page = client_of(officer).get(reverse("workplan:task-edit", args=[task.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["deadline"] == "quý IV/2020"
    body = {
        "title": "Ban hành danh sách sáng kiến",
        "lead": str(department.pk),
        "deadline": "quý II/2021",
    }
    assert (
        client_of(reporter).post(reverse("workplan:task-edit", args=[task.pk]), body).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.title.startswith("Xây dựng")
    response = client_of(officer).post(reverse("workplan:task-edit", args=[task.pk]), body)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_on, task.evidence_required) == (
        "Ban hành danh sách sáng kiến",
        datetime.date(2021, 6, 30),
        False,
    )
    event = AuditEvent.objects.get(target_id=task.pk, action="task_changed")
    assert set(event.changes) == {"title", "deadline", "evidence_required"}


def test_an_approver_does_not_see_their_own_progress_to_approve(task, officer, department):
    report_progress(officer, task, ProgressInput("in_progress", percent=30))
    client = client_of(officer)
    assert client.get(reverse("workplan:my-tasks")).context["waiting"] == []
    page = client.get(reverse("workplan:task-detail", args=[task.pk])).content.decode()
    assert "another-approver" in page and 'value="approve"' not in page


def test_the_officer_sees_the_moves_of_01_07_2025_before_confirming(
    officer, programme, legacy_department
):
    [task] = create_tasks(
        officer,
        programme,
        [
            TaskInput(
                title="Nhiệm vụ cũ", lead_unit=legacy_department, deadline=parse_deadline("2025")
            )
        ],
    )
    client = client_of(officer)
    address = reverse("workplan:programme-reassign", args=[programme.code])
    page = client.get(address).content.decode()
    assert "Sở Thông tin và Truyền thông" in page and "Sở Khoa học và Công nghệ" in page
    task.refresh_from_db()
    assert task.lead_unit == legacy_department  # seeing the plan moves nothing
    assert client.post(address).status_code == 302
    task.refresh_from_db()
    assert (task.lead_unit.name, task.reassigned_from) == (
        "Sở Khoa học và Công nghệ",
        legacy_department,
    )


def test_the_map_shows_each_commune_of_the_province_in_the_colour_of_its_tasks(
    officer, programme, dak_lak
):
    communes = OrgUnit.objects.filter(parent=dak_lak, tier=Tier.COMMUNE, latitude__isnull=False)
    commune = communes.order_by("code").first()
    create_tasks(
        officer,
        programme,
        [TaskInput(title="Phổ cập kỹ năng số", lead_unit=commune, deadline=parse_deadline("2021"))],
    )
    page = client_of(officer).get(reverse("workplan:task-map"), {"province": dak_lak.code})
    tiles = page.context["communes"]
    assert len(tiles) == communes.count()
    assert len({(t["column"], t["row"]) for t in tiles}) == len(tiles)  # one square each
    assert all(t["column"] <= page.context["commune_columns"] for t in tiles)
    lit = [t for t in tiles if t["light"] != "none"]
    assert [(t["full_name"], t["light"]) for t in lit] == [(commune.name, "red")]
    assert 'id="commune-map"' in page.content.decode()


def test_editing_a_task_keeps_partners_that_are_not_departments(task, officer, dak_lak):
    commune = OrgUnit.objects.filter(parent=dak_lak, tier=Tier.COMMUNE).order_by("code").first()
    task.partners.add(commune)
    client = client_of(officer)
    page = client.get(reverse("workplan:task-edit", args=[task.pk]))
    form = page.context["form"]
    body = {
        "title": form.initial["title"],
        "lead": str(form.initial["lead"]),
        "partners": [str(pk) for pk in form.initial["partners"]],
        "deadline": "quý II/2021",
        "evidence_required": "on",
    }
    assert f'value="{commune.pk}"' in page.content.decode()
    assert client.post(reverse("workplan:task-edit", args=[task.pk]), body).status_code == 302
    assert list(task.partners.all()) == [commune]
