"""The reporting workflow: draft → submitted → approved, or returned → resubmitted; audit; conflicts."""

import datetime
import threading

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation

from lotrinh.core.audit import per_figure
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.errors import ReportConflictError, ReportError, ReportInvalidError
from lotrinh.reporting.models import DataValue, Notification, Period, Report, Status
from lotrinh.reporting.queries import completeness
from lotrinh.reporting.services import (
    Actor,
    approve_report,
    open_report,
    reopen_report,
    return_report,
    save_values,
    submit_report,
)
from lotrinh.reporting.signals import values_written
from lotrinh.reporting.tests.conftest import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(reporter, regime, open_period, commune):
    # A clean slate: no earlier reports, so the unit's history raises no outlier warnings.
    Report.objects.filter(regime=regime, org_unit=commune).delete()
    return open_report(reporter, regime, open_period, commune)


def stored(report):
    return {dv.data_element.code: dv.value for dv in report.values.select_related("data_element")}


def test_a_reporter_saves_a_draft_and_every_change_is_audited(reporter, report):
    result = save_values(reporter, report, GOOD)
    assert sorted(result.changed) == sorted(GOOD) and result.issues == []
    assert stored(result.report)["tong_ho_so_cong_viec"] == 300
    [event] = per_figure(AuditEvent.objects.filter(target_id=report.pk), "tong_ho_so_cong_viec")
    assert (event.actor, event.ip_address, event.old_value, event.new_value) == (
        reporter.user,
        "10.0.0.7",
        "",
        "300",
    )


def test_a_save_is_one_audit_event_carrying_every_changed_figure_as_an_import_writes_it(
    reporter, report
):
    save_values(reporter, report, GOOD)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "310"})
    first, second = AuditEvent.objects.filter(target_id=report.pk).order_by("pk")
    assert (first.action, first.field, second.action) == ("values_changed", "", "values_changed")
    assert first.changes == {code: ["", value] for code, value in GOOD.items()}
    assert second.changes == {"tong_ho_so_cong_viec": ["300", "310"]}


def test_saving_the_same_figures_again_changes_nothing(reporter, report):
    first = save_values(reporter, report, GOOD).report
    again = save_values(reporter, first, GOOD)
    assert again.changed == [] and again.report.version == first.version


def test_unreadable_figures_are_not_stored_and_come_back_as_issues(reporter, report):
    result = save_values(
        reporter, report, {"tong_ho_so_cong_viec": "ba trăm", "tong_so_tthc": "-4"}
    )
    assert {(i.field, i.code) for i in result.issues} == {
        ("tong_ho_so_cong_viec", "not_a_number"),
        ("tong_so_tthc", "negative"),
    }
    assert stored(result.report) == {}


def test_a_figure_not_on_the_form_is_refused(reporter, report):
    with pytest.raises(ReportError, match="so_ma"):
        save_values(reporter, report, {"so_ma": "1"})


def test_numerator_above_denominator_blocks_submission(reporter, report):
    save_values(reporter, report, GOOD | {"ho_so_cong_viec_dien_tu": "301"})
    with pytest.raises(ReportInvalidError) as caught:
        submit_report(reporter, report)
    assert {i.field for i in caught.value.issues} == {
        "ho_so_cong_viec_dien_tu",
        "tong_ho_so_cong_viec",
    }
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT


def test_a_warning_needs_an_explanation_before_submission(reporter, report):
    save_values(
        reporter, report, GOOD | {"tong_ho_so_cong_viec": "5", "ho_so_cong_viec_dien_tu": "4"}
    )
    with pytest.raises(ReportInvalidError):
        submit_report(reporter, report)
    save_values(
        reporter, report, {}, {"tong_ho_so_cong_viec": "Xã mới sáp nhập, ít hồ sơ trong quý."}
    )
    assert submit_report(reporter, report).report.status == Status.SUBMITTED


def test_full_workflow_submit_return_resubmit_approve_reopen(reporter, approver, report):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    returned = return_report(
        approver, report, "Số hồ sơ trực tuyến chưa khớp với hệ thống một cửa."
    )
    assert returned.status == Status.RETURNED
    assert Notification.objects.filter(user=reporter.user, text__contains="chưa khớp").exists()
    save_values(reporter, report, {"ho_so_tthc_truc_tuyen": "118"})
    submit_report(reporter, report)
    approved = approve_report(approver, report)
    assert approved.status == Status.APPROVED and approved.is_locked
    with pytest.raises(ReportError):
        save_values(reporter, approved, {"tong_so_tthc": "111"})
    reopened = reopen_report(approver, approved, "Điều chỉnh số liệu theo kết luận kiểm tra.")
    assert reopened.status == Status.RETURNED
    statuses = list(
        AuditEvent.objects.filter(target_id=report.pk, field="status")
        .order_by("pk")
        .values_list("new_value", flat=True)
    )
    assert statuses == ["submitted", "returned", "submitted", "approved", "returned"]
    history = per_figure(
        AuditEvent.objects.filter(target_id=report.pk).order_by("pk"), "ho_so_tthc_truc_tuyen"
    )
    assert [(e.old_value, e.new_value) for e in history] == [("", "120"), ("120", "118")]


def test_a_report_cannot_be_submitted_twice(reporter, report):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    with pytest.raises(ReportError, match="already|đã"):
        submit_report(reporter, report)


def test_returning_needs_a_reason(reporter, approver, report):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    with pytest.raises(ReportError):
        return_report(approver, report, "  ")


def test_reporters_cannot_approve_and_cannot_report_for_another_unit(
    reporter, report, regime, open_period, commune
):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    with pytest.raises(PermissionDenied):
        approve_report(reporter, report)
    neighbour = (
        OrgUnit.objects.filter(parent=commune.parent, tier=Tier.COMMUNE)
        .exclude(pk=commune.pk)
        .first()
    )
    with pytest.raises(PermissionDenied):
        open_report(reporter, regime, open_period, neighbour)


def test_an_approver_of_another_province_cannot_approve(reporter, report):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    outsider = User.objects.create_user("khac", password="x")
    from lotrinh.access.models import Membership, Role

    Membership.objects.create(
        user=outsider,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="24"),
        role=Role.APPROVER,
    )
    with pytest.raises(PermissionDenied):
        approve_report(Actor(outsider), report)


def test_the_approver_who_submitted_a_report_may_not_approve_it(approver, report):
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    with pytest.raises(ReportError) as caught:
        approve_report(approver, report)
    assert "another approver" in caught.value.text("en")
    assert "người phê duyệt khác" in caught.value.text("vi")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert not AuditEvent.objects.filter(target_id=report.pk, action="approved").exists()


def test_a_regime_without_four_eyes_lets_the_submitter_approve(approver, report, regime):
    regime.approver_must_differ = False
    regime.save(update_fields=["approver_must_differ"])
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    assert approve_report(approver, report).status == Status.APPROVED


def test_another_approver_approves_what_an_approver_submitted(approver, report, gia_lai):
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    colleague = User.objects.create_user("tinh2", password="x")
    from lotrinh.access.models import Membership, Role

    Membership.objects.create(user=colleague, org_unit=gia_lai, role=Role.APPROVER)
    assert approve_report(Actor(colleague), report).status == Status.APPROVED


def test_a_save_from_an_older_version_is_refused_and_told_what_changed(reporter, report):
    opened_version = report.version
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300"}, base_version=opened_version)
    with pytest.raises(ReportConflictError) as caught:
        save_values(reporter, report, {"tong_ho_so_cong_viec": "310"}, base_version=opened_version)
    assert caught.value.changed == {"tong_ho_so_cong_viec": 300}
    assert stored(Report.objects.get(pk=report.pk))["tong_ho_so_cong_viec"] == 300


def test_the_form_s_retry_saves_over_its_own_earlier_autosave_only(reporter, report):
    opened_version = report.version
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300"}, base_version=opened_version)
    # The same figure sent again from the opened version: only the user's own change is in between.
    result = save_values(
        reporter,
        report,
        {"tong_ho_so_cong_viec": "300", "tong_so_tthc": "110"},
        base_version=opened_version,
        retry_if_only_mine=True,
    )
    assert result.changed == ["tong_so_tthc"]
    # A different figure from that version would overwrite someone's work: refused.
    with pytest.raises(ReportConflictError):
        save_values(
            reporter,
            report,
            {"tong_ho_so_cong_viec": "310"},
            base_version=opened_version,
            retry_if_only_mine=True,
        )
    assert stored(Report.objects.get(pk=report.pk)) == {
        "tong_ho_so_cong_viec": 300,
        "tong_so_tthc": 110,
    }


def test_all_or_nothing_stores_nothing_when_one_figure_cannot_be_read(reporter, report):
    events = AuditEvent.objects.count()
    with pytest.raises(ReportInvalidError) as caught:
        save_values(
            reporter,
            report,
            {"tong_ho_so_cong_viec": "300", "tong_so_tthc": "mười"},
            all_or_nothing=True,
        )
    assert [(i.field, i.code) for i in caught.value.issues] == [("tong_so_tthc", "not_a_number")]
    assert (
        caught.value.text("vi")
        == "Chưa lưu gì cả: có số liệu không đọc được. Hãy sửa lại rồi gửi lại."
    )
    refreshed = Report.objects.get(pk=report.pk)
    assert (stored(refreshed), refreshed.version, refreshed.draft_texts.count()) == ({}, 1, 0)
    assert AuditEvent.objects.count() == events


def test_a_locked_period_refuses_changes(reporter, report, open_period):
    Period.objects.filter(pk=open_period.pk).update(is_locked=True)
    with pytest.raises(ReportError) as caught:
        save_values(reporter, Report.objects.get(pk=report.pk), GOOD)
    for language in ("vi", "en"):  # each language names the period in itself, never by its code
        with translation.override(language):
            label = open_period.label
        assert label in caught.value.text(language)
        assert open_period.code not in caught.value.text(language)


def test_a_period_not_yet_open_refuses_reports(reporter, regime, commune):
    future = Period.objects.create(
        regime=regime,
        code="2099Q1",
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 3, 31),
        cutoff_from=datetime.date(2098, 12, 15),
        cutoff_to=datetime.date(2099, 3, 14),
    )
    with pytest.raises(ReportError) as caught:
        open_report(reporter, regime, future, commune)
    assert "Quý I/2099" in caught.value.text("vi") and "Q1 2099" in caught.value.text("en")


def test_a_legacy_unit_does_not_report_after_the_reform(regime, open_period):
    legacy_commune = OrgUnit.objects.get(structure=Structure.LEGACY, code="21952")
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    with pytest.raises(ReportError):
        open_report(Actor(admin), regime, open_period, legacy_commune)


def test_completeness_counts_on_time_late_pending_and_missing(regime, gia_lai):
    period = Period.objects.get(regime=regime, code="2025Q4")
    result = completeness(regime, period, within=gia_lai, today=datetime.date(2026, 11, 23))
    assert result.expected == result.on_time + result.late + result.pending + result.missing
    assert result.expected > 100 and 0 < result.missing < result.expected
    assert result.late > 0 and result.on_time > result.late
    assert len(result.overdue_units) == result.missing + result.pending


def test_illustrative_reports_follow_the_structure_of_their_period(regime):
    before = Report.objects.filter(regime=regime, period__code="2025Q2", is_illustrative=True)
    after = Report.objects.filter(regime=regime, period__code="2025Q3", is_illustrative=True)
    assert before.exists() and after.exists()
    assert set(before.values_list("org_unit__structure", flat=True)) == {Structure.LEGACY}
    assert set(after.values_list("org_unit__structure", flat=True)) == {Structure.CURRENT}
    assert DataValue.objects.filter(report__in=after).count() > 1000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submissions_make_one_submission(reporter, report):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL.")
    save_values(reporter, report, GOOD)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            submit_report(reporter, report)
            outcomes.append("ok")
        except ReportError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert AuditEvent.objects.filter(target_id=report.pk, action="submitted").count() == 1


def test_a_save_announces_its_written_figures_once_after_commit(
    reporter, report, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, report_ids, channel, **kwargs):
        heard.append((report_ids, channel))

    values_written.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            save_values(reporter, report, GOOD)
        with django_capture_on_commit_callbacks(execute=True):
            save_values(reporter, report, GOOD)  # nothing changed: nothing to announce
    finally:
        values_written.disconnect(listen)
    assert heard == [([report.pk], "web")]
