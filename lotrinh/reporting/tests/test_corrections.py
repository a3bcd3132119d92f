"""A reporter's corrections: figures kept as typed until corrected, and the reply to a return."""

import pytest
from django.utils import translation

from lotrinh.core.audit import KEPT_AS_TYPED
from lotrinh.core.models import AuditEvent
from lotrinh.reporting.errors import ReportError, ReportInvalidError
from lotrinh.reporting.models import DraftText, Report, Status
from lotrinh.reporting.pages import status_history
from lotrinh.reporting.services import (
    approve_report,
    open_report,
    return_report,
    save_values,
    submit_report,
    validate_report,
)
from lotrinh.reporting.tests.conftest import GOOD

pytestmark = pytest.mark.django_db

REASON = "Số hồ sơ trực tuyến chưa khớp với hệ thống một cửa."
REPLY = "Số liệu đã đối chiếu với hệ thống một cửa ngày 05/10: đúng."


@pytest.fixture
def report(reporter, regime, open_period, commune):
    # A clean slate: no earlier reports, so the unit's history raises no outlier warnings.
    Report.objects.filter(regime=regime, org_unit=commune).delete()
    return open_report(reporter, regime, open_period, commune)


@pytest.fixture
def returned(reporter, approver, report):
    save_values(reporter, report, GOOD)
    submit_report(reporter, report)
    return return_report(approver, report, REASON)


def kept(report):
    return dict(report.draft_texts.values_list("data_element__code", "text"))


def issue_codes(report):
    return {(i.field, i.code) for i in validate_report(report).issues if i.code != "required"}


def test_unreadable_figures_are_kept_as_typed_with_their_errors(reporter, report):
    result = save_values(reporter, report, {"tong_ho_so_cong_viec": "abc", "tong_so_tthc": "-3"})
    assert sorted(result.kept_as_typed) == ["tong_ho_so_cong_viec", "tong_so_tthc"]
    assert kept(report) == {"tong_ho_so_cong_viec": "abc", "tong_so_tthc": "-3"}
    assert not report.values.exists()  # no figure was stored
    assert issue_codes(report) == {
        ("tong_ho_so_cong_viec", "not_a_number"),
        ("tong_so_tthc", "negative"),
    }
    events = AuditEvent.objects.filter(target_id=report.pk, action=KEPT_AS_TYPED)
    assert sorted((e.field, e.new_value) for e in events) == [
        ("tong_ho_so_cong_viec", "abc"),
        ("tong_so_tthc", "-3"),
    ]


def test_a_corrected_figure_is_stored_and_no_longer_kept_as_typed(reporter, report):
    save_values(reporter, report, {"tong_so_tthc": "-3"})
    result = save_values(reporter, report, {"tong_so_tthc": "3"})
    assert result.corrected == ["tong_so_tthc"] and result.kept_as_typed == []
    assert kept(report) == {}
    assert report.values.get(data_element__code="tong_so_tthc").value == 3


def test_typing_back_the_stored_figure_also_clears_what_was_kept(reporter, report):
    save_values(reporter, report, GOOD)
    save_values(reporter, report, {"tong_so_tthc": "một trăm"})
    result = save_values(reporter, report, {"tong_so_tthc": "110"})
    assert result.changed == [] and result.corrected == ["tong_so_tthc"]
    assert not DraftText.objects.filter(report=report).exists()


def test_a_figure_kept_as_typed_blocks_submission_and_keeps_the_figure_before(reporter, report):
    save_values(reporter, report, GOOD)
    save_values(reporter, report, {"tong_so_tthc": "abc"})
    assert report.values.get(data_element__code="tong_so_tthc").value == 110
    with pytest.raises(ReportInvalidError) as refused:
        submit_report(reporter, report)
    assert [(i.field, i.code) for i in refused.value.issues] == [("tong_so_tthc", "not_a_number")]
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT


def test_a_returned_report_sent_back_unchanged_without_a_reply_is_refused(reporter, returned):
    with pytest.raises(ReportError, match="nothing in it has changed"):
        submit_report(reporter, returned)
    assert Report.objects.get(pk=returned.pk).status == Status.RETURNED


def test_a_reply_lets_an_unchanged_returned_report_through_and_is_recorded(reporter, returned):
    assert save_values(reporter, returned, {}, reply=f"  {REPLY} ").reply_changed
    submitted = submit_report(reporter, returned).report
    assert submitted.status == Status.SUBMITTED and submitted.reply == REPLY
    event = AuditEvent.objects.filter(target_id=returned.pk, action="submitted").latest("pk")
    assert event.reason == REPLY


def test_a_changed_figure_lets_a_returned_report_through_without_a_reply(reporter, returned):
    save_values(reporter, returned, {"ho_so_tthc_truc_tuyen": "118"})
    assert submit_report(reporter, returned).report.status == Status.SUBMITTED


def test_a_new_return_waits_for_a_new_reply(reporter, approver, returned):
    save_values(reporter, returned, {}, reply=REPLY)
    submit_report(reporter, returned)
    again = return_report(approver, returned, "Vẫn chưa khớp, đề nghị kiểm tra lại.")
    assert again.reply == ""
    with pytest.raises(ReportError, match="nothing in it has changed"):
        submit_report(reporter, again)


def test_only_a_returned_report_takes_a_reply(reporter, report):
    with pytest.raises(ReportError, match="Only a returned report"):
        save_values(reporter, report, GOOD, reply=REPLY)
    assert not report.values.exists()  # the whole save was refused


def test_the_status_history_is_the_conversation_with_translated_steps(reporter, approver, returned):
    save_values(reporter, returned, {}, reply=REPLY)
    submit_report(reporter, returned)
    approve_report(approver, returned)
    with translation.override("vi"):
        steps = [(s.label, s.reason) for s in status_history(returned)]
    assert steps == [
        ("Đã phê duyệt", ""),
        ("Đã gửi", REPLY),
        ("Bị trả lại", REASON),
        ("Đã gửi", ""),
    ]
