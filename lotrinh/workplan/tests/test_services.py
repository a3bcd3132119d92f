"""Creating, assigning, reporting and approving tasks: permission, validation, audit, nothing half-stored."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from lotrinh.access.models import Membership, Role
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.models import Notification
from lotrinh.reporting.services import Actor
from lotrinh.workplan.deadlines import parse_deadline
from lotrinh.workplan.models import ApprovalState, Task, TaskProgress
from lotrinh.workplan.queries import planned_reassignments
from lotrinh.workplan.services import (
    ProgressInput,
    TaskError,
    TaskInput,
    approve_progress,
    assign_task,
    create_tasks,
    reassign_through_crosswalk,
    report_progress,
    return_progress,
    task_input_of,
    update_task,
)

pytestmark = pytest.mark.django_db


def messages(error: TaskError) -> tuple[str, str]:
    vietnamese, english = error.bilingual().split("\n")
    return vietnamese, english


def test_an_officer_creates_a_task_and_it_is_audited(task, officer, department):
    assert (task.lead_unit, task.due_on) == (department, datetime.date(2020, 12, 31))
    event = AuditEvent.objects.get(target_type="task", target_id=task.pk, action="task_created")
    assert (event.actor, event.ip_address) == (officer.user, "10.0.0.9")


def test_a_deadline_before_the_programme_is_refused_and_nothing_is_stored(
    officer, programme, department
):
    good = TaskInput(title="Nhiệm vụ hợp lệ", lead_unit=department, deadline=parse_deadline("2025"))
    early = TaskInput(
        title="Nhiệm vụ sai hạn", lead_unit=department, deadline=parse_deadline("quý I/2019")
    )
    with pytest.raises(TaskError) as error:
        create_tasks(officer, programme, [good, early])
    vietnamese, english = messages(error.value)
    assert "quý I/2019" in vietnamese and "30/09/2020" in vietnamese
    assert "before the programme's date" in english
    assert not Task.objects.filter(programme=programme).exists()


def test_an_agency_outside_the_province_is_refused(officer, programme):
    elsewhere = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="01")
    with pytest.raises(TaskError) as error:
        create_tasks(
            officer,
            programme,
            [TaskInput(title="Nhiệm vụ", lead_unit=elsewhere, deadline=parse_deadline("2025"))],
        )
    vietnamese, english = messages(error.value)
    assert elsewhere.name in vietnamese and "is not in" in english


def test_a_unit_of_the_province_it_merged_into_may_lead(officer, programme, dak_lak):
    task = create_tasks(
        officer,
        programme,
        [TaskInput(title="Nhiệm vụ", lead_unit=dak_lak, deadline=parse_deadline("2026"))],
    )[0]
    assert task.lead_unit == dak_lak


def test_only_the_programme_office_creates_tasks(reporter, programme, department):
    with pytest.raises(PermissionDenied):
        create_tasks(
            reporter,
            programme,
            [TaskInput(title="Nhiệm vụ", lead_unit=department, deadline=parse_deadline("2025"))],
        )


def test_assigning_moves_the_task_and_audits_old_and_new(task, officer, dak_lak, department):
    other = OrgUnit.objects.get(parent=dak_lak, name="Sở Nội vụ")
    assign_task(officer, task, other, [department])
    task.refresh_from_db()
    assert task.lead_unit == other and list(task.partners.all()) == [department]
    event = AuditEvent.objects.get(target_id=task.pk, action="task_assigned")
    assert event.changes == {
        "lead_unit": [department.name, other.name],
        "partners": ["", department.name],
    }
    assert event.old_value == f"lead_unit: {department.name}; partners: "


def test_an_officer_edits_a_task_and_one_event_names_each_changed_field(task, officer):
    data = task_input_of(task)
    data.title, data.deadline = "Ban hành danh sách sáng kiến", parse_deadline("30/06/2021")
    update_task(officer, task, data)
    task.refresh_from_db()
    assert (task.title, task.due_on) == ("Ban hành danh sách sáng kiến", datetime.date(2021, 6, 30))
    event = AuditEvent.objects.get(target_id=task.pk, action="task_changed")
    assert event.changes == {
        "title": ["Xây dựng và ban hành danh sách sáng kiến chuyển đổi số ưu tiên", task.title],
        "deadline": ["quý IV/2020", "30/06/2021"],
    }
    assert (event.actor, event.ip_address) == (officer.user, "10.0.0.9")


def test_an_edit_with_a_bad_deadline_or_agency_is_refused_and_nothing_changes(task, officer):
    elsewhere = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="01")
    for change in (
        {"deadline": parse_deadline("quý I/2019")},
        {"lead_unit": elsewhere},
        {"title": "   "},
    ):
        data = task_input_of(task)
        for name, value in change.items():
            setattr(data, name, value)
        with pytest.raises(TaskError) as error:
            update_task(officer, task, data)
        vietnamese, english = messages(error.value)
        assert vietnamese and english and vietnamese != english
    task.refresh_from_db()
    assert (task.title, task.due_on, task.lead_unit.name) == (
        "Xây dựng và ban hành danh sách sáng kiến chuyển đổi số ưu tiên",
        datetime.date(2020, 12, 31),
        "Sở Khoa học và Công nghệ",
    )
    assert not AuditEvent.objects.filter(target_id=task.pk, action="task_changed").exists()


def test_an_edit_that_changes_nothing_records_nothing(task, officer):
    update_task(officer, task, task_input_of(task))
    assert not AuditEvent.objects.filter(target_id=task.pk, action="task_changed").exists()


def test_only_the_programme_office_edits_tasks(task, reporter):
    data = task_input_of(task)
    data.title = "Đổi tên"
    with pytest.raises(PermissionDenied):
        update_task(reporter, task, data)
    task.refresh_from_db()
    assert task.title != "Đổi tên"


def test_the_lead_reports_progress_and_it_counts_once_approved(task, reporter, officer):
    progress = report_progress(reporter, task, ProgressInput("in_progress", percent=40))
    assert (progress.state, progress.percent, progress.period_code[4]) == (
        ApprovalState.SUBMITTED,
        40,
        "Q",
    )
    approve_progress(officer, progress)
    progress.refresh_from_db()
    assert progress.state == ApprovalState.APPROVED and progress.decided_by == officer.user
    assert Notification.objects.filter(user=reporter.user, text__contains=task.title).exists()
    actions = set(
        AuditEvent.objects.filter(target_type="task", target_id=task.pk).values_list(
            "action", flat=True
        )
    )
    assert {"task_progress_reported", "task_progress_approved"} <= actions


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (ProgressInput("done"), "needs evidence"),
        (ProgressInput("in_progress"), "percentage from 0 to 99"),
        (ProgressInput("in_progress", percent=120), "percentage from 0 to 99"),
        (ProgressInput("blocked", blocked_reason=" "), "needs a reason"),
        (ProgressInput("done", evidence_url="javascript:alert(1)"), "is not a web link"),
        (ProgressInput("finished"), "is not a task status"),
        (ProgressInput("not_started", as_of=datetime.date(2019, 1, 1)), "before the programme"),
    ],
)
def test_bad_progress_is_refused_with_a_clear_message_and_not_stored(task, reporter, data, english):
    with pytest.raises(TaskError) as error:
        report_progress(reporter, task, data)
    vietnamese, said = messages(error.value)
    assert english in said and vietnamese != said
    assert not TaskProgress.objects.filter(task=task).exists()


def test_done_with_a_document_number_is_accepted(task, reporter):
    progress = report_progress(reporter, task, ProgressInput("done", evidence_number="123/QĐ-UBND"))
    assert (progress.percent, progress.evidence_number) == (100, "123/QĐ-UBND")


def test_done_without_evidence_is_accepted_where_none_is_required(task, reporter):
    Task.objects.filter(pk=task.pk).update(evidence_required=False)
    task.refresh_from_db()
    assert report_progress(reporter, task, ProgressInput("done")).status == "done"


def test_another_unit_may_not_report_for_the_lead(task, officer, dak_lak):
    from lotrinh.access.models import Membership, Role

    other = OrgUnit.objects.get(parent=dak_lak, name="Sở Nội vụ")
    Membership.objects.filter(user=officer.user).delete()
    Membership.objects.create(user=officer.user, org_unit=other, role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        report_progress(officer, task, ProgressInput("not_started"))


def test_a_reporter_may_not_approve_and_a_decided_report_is_not_decided_again(
    task, reporter, officer
):
    progress = report_progress(
        reporter, task, ProgressInput("blocked", blocked_reason="Thiếu kinh phí")
    )
    with pytest.raises(PermissionDenied):
        approve_progress(reporter, progress)
    return_progress(officer, progress, "Ghi rõ nguyên nhân và đề xuất")
    with pytest.raises(TaskError):
        approve_progress(officer, progress)
    progress.refresh_from_db()
    assert progress.state == ApprovalState.RETURNED


def test_tasks_of_a_renamed_department_move_to_its_successor(
    task, officer, legacy_department, dak_lak
):
    assign_task(officer, task, legacy_department)
    moved = reassign_through_crosswalk(officer, task.programme)
    task.refresh_from_db()
    assert moved == [task]
    # Information and communications joined science and technology on 01/07/2025.
    assert (task.lead_unit.parent, task.lead_unit.name) == (dak_lak, "Sở Khoa học và Công nghệ")
    assert task.reassigned_from == legacy_department
    assert reassign_through_crosswalk(officer, task.programme) == []  # nothing left to move


def test_whoever_reported_progress_may_not_approve_it(task, officer, department):
    """Four eyes, on by default: an approver of the department who reported may not approve."""
    approver = _second_approver(department)
    progress = report_progress(approver, task, ProgressInput("in_progress", percent=20))
    with pytest.raises(TaskError) as error:
        approve_progress(approver, progress)
    vietnamese, english = messages(error.value)
    assert "another approver must approve" in english and vietnamese != english
    progress.refresh_from_db()
    assert progress.state == ApprovalState.SUBMITTED
    assert not AuditEvent.objects.filter(action="task_progress_approved").exists()
    approve_progress(officer, progress)
    assert TaskProgress.objects.get(pk=progress.pk).state == ApprovalState.APPROVED


def test_without_four_eyes_the_reporter_approves_their_own_progress(task, department, settings):
    settings.LOTRINH_TASK_APPROVER_MUST_DIFFER = False
    approver = _second_approver(department)
    progress = report_progress(approver, task, ProgressInput("in_progress", percent=20))
    assert approve_progress(approver, progress).state == ApprovalState.APPROVED


def test_returning_ones_own_progress_is_allowed_under_four_eyes(task, department):
    approver = _second_approver(department)
    progress = report_progress(approver, task, ProgressInput("in_progress", percent=20))
    assert return_progress(approver, progress, "Nhập nhầm phần trăm").state == "returned"


def _second_approver(unit: OrgUnit) -> Actor:
    user = User.objects.create_user("department_head", password="x")  # noqa: S106 - test password
    Membership.objects.create(user=user, org_unit=unit, role=Role.APPROVER)
    return Actor(user, "10.0.0.7", "web")


def test_an_abolished_districts_task_goes_to_the_province_with_its_communes_as_partners(
    officer, programme, dak_lak
):
    district = (
        OrgUnit.objects.filter(parent=programme.org_unit, tier=Tier.DISTRICT)
        .order_by("code")
        .first()
    )
    assert district is not None
    [task] = create_tasks(
        officer,
        programme,
        [TaskInput(title="Số hóa hồ sơ", lead_unit=district, deadline=parse_deadline("2025"))],
    )
    [plan] = planned_reassignments(Task.objects.filter(pk=task.pk))
    communes = plan.communes
    assert plan.lead == dak_lak and communes
    assert all(c.tier == Tier.COMMUNE and c.parent == dak_lak for c in communes)
    assert reassign_through_crosswalk(officer, programme) == [task]
    task.refresh_from_db()
    assert (task.lead_unit, task.reassigned_from) == (dak_lak, district)
    assert set(task.partners.all()) == set(communes)
    event = AuditEvent.objects.get(target_id=task.pk, action="task_reassigned")
    assert event.old_value == district.name and communes[0].name in event.new_value
