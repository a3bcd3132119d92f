"""The reporting pages as reporters and approvers use them, through Django's test client."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from lotrinh.access.models import Membership, Role
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.reporting.models import Notification, Report, Status
from lotrinh.reporting.pages import completeness_by_child
from lotrinh.reporting.queries import completeness
from lotrinh.reporting.services import open_report, return_report, save_values, submit_report
from lotrinh.reporting.tests.conftest import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    # reverse() prefixes URLs with the active language; a request to /en/ leaves English active.
    with translation.override("vi"):
        yield


@pytest.fixture
def clean(regime, commune):
    # No earlier reports for the commune: no previous values, no outlier warnings.
    Report.objects.filter(regime=regime, org_unit=commune).delete()


def form_url(regime, period, unit):
    return reverse(
        "reporting:report-form", args=[regime.code, period.code, unit.structure, unit.code]
    )


def decide_url(regime, period, unit):
    return reverse(
        "reporting:report-decide", args=[regime.code, period.code, unit.structure, unit.code]
    )


def report_of(regime, period, unit):
    return Report.objects.get(regime=regime, period=period, org_unit=unit)


@pytest.fixture
def submitted(clean, reporter, regime, open_period, commune):
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, GOOD)
    return submit_report(reporter, report).report


def test_anonymous_visitors_are_sent_to_the_login_page(client, regime, open_period, commune):
    for url in [reverse("reporting:my-reports"), form_url(regime, open_period, commune)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_login_page_logs_a_reporter_in(client, reporter):
    page = client.get("/accounts/login/?next=/reports/").content.decode()
    assert 'name="username"' in page
    response = client.post(
        "/accounts/login/", {"username": "xa", "password": "x", "next": "/reports/"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/"


def test_my_reports_lists_the_due_report_and_marks_notifications_read(
    client, clean, reporter, regime, open_period, commune
):
    Notification.objects.create(user=reporter.user, text="Nhắc hạn báo cáo quý.")
    client.force_login(reporter.user)
    page = client.get("/reports/").content.decode()
    assert form_url(regime, open_period, commune) in page
    assert commune.name in page and open_period.label in page
    assert "Nhắc hạn báo cáo quý." in page
    assert not Notification.objects.filter(user=reporter.user, read_at__isnull=True).exists()


def test_my_reports_puts_returned_and_overdue_reports_first_with_the_reason(
    client, reporter, approver, submitted, regime, open_period, commune
):
    client.force_login(approver.user)
    client.post(
        decide_url(regime, open_period, commune),
        {"action": "return", "reason": "Số liệu chưa khớp."},
    )
    client.force_login(reporter.user)
    page = client.get("/reports/").content.decode()
    assert "Số liệu chưa khớp." in page
    first_item = page.split('class="due-item')[1]
    assert "st-returned" in first_item or "st-overdue" in first_item


def test_the_nav_shows_the_unread_notification_count(client, reporter):
    Notification.objects.create(user=reporter.user, text="a")
    Notification.objects.create(user=reporter.user, text="b")
    client.force_login(reporter.user)
    page = client.get("/units/").content.decode()
    assert 'class="badge unread"' in page and ">2<" in page


def test_the_form_shows_sections_inputs_help_and_previous_values(
    client, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert "Hồ sơ công việc" in page and "Dịch vụ công trực tuyến" in page
    assert page.count('inputmode="decimal"') == regime.fields.count()
    assert "không tính hồ sơ mật" in page
    assert 'class="previous"' in page


def test_opening_the_form_does_not_create_a_report(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    assert client.get(form_url(regime, open_period, commune)).status_code == 200
    assert not Report.objects.filter(regime=regime, period=open_period, org_unit=commune).exists()


def test_a_reporter_cannot_open_another_units_form(
    client, reporter, regime, open_period, gia_lai, commune
):
    other = OrgUnit.objects.filter(parent=gia_lai, tier=Tier.COMMUNE).exclude(pk=commune.pk).first()
    client.force_login(reporter.user)
    response = client.get(form_url(regime, open_period, other))
    assert response.status_code == 403
    assert other.name in response.content.decode()
    response = client.post(form_url(regime, open_period, other), {"tong_ho_so_cong_viec": "1"})
    assert response.status_code == 403
    assert not Report.objects.filter(period=open_period, org_unit=other, values__value=1).exists()


def test_saving_without_javascript_keeps_the_figures_and_redirects(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    response = client.post(
        form_url(regime, open_period, commune), GOOD | {"base_version": "1", "action": "save"}
    )
    assert response.status_code == 302
    report = report_of(regime, open_period, commune)
    assert report.status == Status.DRAFT
    assert report.values.get(data_element__code="tong_ho_so_cong_viec").value == 300
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert 'value="300"' in page


def test_an_unreadable_figure_is_shown_next_to_its_field_and_kept_in_the_input(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    data = GOOD | {"tong_so_tthc": "một trăm", "base_version": "1", "action": "save"}
    page = client.post(form_url(regime, open_period, commune), data).content.decode()
    field = page.split('id="f-tong_so_tthc"')[1].split('<div class="field')[0]
    assert "không phải là số" in field or "is not a number" in field
    assert 'value="một trăm"' in field


def test_htmx_autosave_saves_one_figure_and_answers_with_its_messages(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    response = client.post(
        form_url(regime, open_period, commune),
        GOOD | {"base_version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="tong_ho_so_cong_viec",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="m-tong_ho_so_cong_viec"' in body
    assert 'id="base-version"' in body and 'value="2"' in body  # the next save's base version
    report = report_of(regime, open_period, commune)
    assert [dv.data_element.code for dv in report.values.select_related("data_element")] == [
        "tong_ho_so_cong_viec"
    ]


def test_htmx_autosave_shows_a_rule_message_next_to_the_field(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    url = form_url(regime, open_period, commune)
    client.post(url, GOOD | {"action": "save", "base_version": "1"})
    response = client.post(
        url,
        GOOD | {"ho_so_cong_viec_dien_tu": "999", "base_version": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="ho_so_cong_viec_dien_tu",
    )
    body = response.content.decode()
    assert "không được lớn hơn tổng số hồ sơ công việc" in body
    assert (
        'id="m-tong_ho_so_cong_viec" class="field-messages" aria-live="polite" hx-swap-oob="true"'
        in body
    )


def test_messages_follow_the_language_of_the_page(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    url = "/en" + form_url(regime, open_period, commune)
    client.post(url, GOOD | {"action": "save", "base_version": "1"})
    response = client.post(
        url,
        GOOD | {"ho_so_cong_viec_dien_tu": "999", "base_version": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="ho_so_cong_viec_dien_tu",
    )
    assert "Work files processed online cannot exceed all work files." in response.content.decode()


def test_a_stale_autosave_is_refused_and_shows_what_changed(
    client, clean, reporter, regime, open_period, commune
):
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, {"tong_so_tthc": "120"})  # someone else, version 1 → 2
    client.force_login(reporter.user)
    response = client.post(
        form_url(regime, open_period, commune),
        {"tong_ho_so_cong_viec": "5", "tong_so_tthc": "7", "base_version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="tong_ho_so_cong_viec",
    )
    body = response.content.decode()
    assert "Someone else saved this report" in body  # the English line of the bilingual message
    assert 'id="banner" hx-swap-oob="true"' in body and "tong_so_tthc" in body
    assert 'name="tong_so_tthc" value="120"' in body  # their figure is put back into the form
    assert not report.values.filter(data_element__code="tong_ho_so_cong_viec").exists()


def test_a_stale_full_save_keeps_my_figures_and_shows_theirs(
    client, clean, reporter, regime, open_period, commune
):
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, {"tong_so_tthc": "120"})
    client.force_login(reporter.user)
    data = GOOD | {"base_version": "1", "action": "save"}
    page = client.post(form_url(regime, open_period, commune), data).content.decode()
    assert "Someone else saved this report" in page
    assert 'name="tong_ho_so_cong_viec" value="300"' in page  # mine, kept
    assert 'name="tong_so_tthc" value="120"' in page  # theirs, shown
    assert 'id="base-version" name="base_version" value="2"' in page


def test_submitting_with_errors_shows_each_issue_next_to_its_field(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    data = GOOD | {"so_dvctt_toan_trinh": "95", "base_version": "1", "action": "submit"}
    page = client.post(form_url(regime, open_period, commune), data).content.decode()
    field = page.split('id="f-so_dvctt_toan_trinh"')[1].split('<div class="field')[0]
    assert "toàn trình không được lớn hơn" in field
    assert report_of(regime, open_period, commune).status == Status.DRAFT


def test_a_warning_shows_a_comment_box_and_an_explanation_lets_it_through(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    url = form_url(regime, open_period, commune)
    data = GOOD | {"tong_ho_so_cong_viec": "5", "ho_so_cong_viec_dien_tu": "4"}
    page = client.post(url, data | {"base_version": "1", "action": "submit"}).content.decode()
    assert 'name="comment-tong_ho_so_cong_viec"' in page
    version = report_of(regime, open_period, commune).version
    data |= {"comment-tong_ho_so_cong_viec": "Xã mới thành lập, ít hồ sơ."}
    response = client.post(url, data | {"base_version": str(version), "action": "submit"})
    assert response.status_code == 302
    assert report_of(regime, open_period, commune).status == Status.SUBMITTED


def test_a_submitted_report_is_read_only_for_its_reporter(
    client, reporter, submitted, regime, open_period, commune
):
    client.force_login(reporter.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert 'inputmode="decimal"' not in page and "readonly" in page
    assert 'name="action" value="approve"' not in page
    data = GOOD | {"tong_ho_so_cong_viec": "1", "base_version": str(submitted.version)}
    page = client.post(form_url(regime, open_period, commune), data | {"action": "save"})
    assert "cannot be changed" in page.content.decode() or "không thể" in page.content.decode()


def test_the_approvals_page_lists_submitted_reports_of_the_approvers_subtree(
    client, approver, submitted, regime, open_period, commune
):
    client.force_login(approver.user)
    page = client.get("/reports/approvals/").content.decode()
    assert form_url(regime, open_period, commune) in page


def test_reporters_cannot_open_the_approvals_page(client, reporter):
    client.force_login(reporter.user)
    assert client.get("/reports/approvals/").status_code == 403


def test_an_approver_returns_with_a_reason_then_approves_then_reopens(
    client, reporter, approver, submitted, regime, open_period, commune
):
    client.force_login(approver.user)
    url = decide_url(regime, open_period, commune)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert 'value="approve"' in page and 'value="return"' in page
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 400 and "reason" in response.content.decode().lower()
    client.post(url, {"action": "return", "reason": "Số liệu hồ sơ chưa khớp."})
    report = report_of(regime, open_period, commune)
    assert (report.status, report.return_reason) == (Status.RETURNED, "Số liệu hồ sơ chưa khớp.")
    save_values(reporter, report, {}, reply="Đã đối chiếu lại: số liệu đúng.")
    submit_report(reporter, report)
    client.post(url, {"action": "approve"})
    assert report_of(regime, open_period, commune).status == Status.APPROVED
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert 'value="reopen"' in page
    client.post(url, {"action": "reopen", "reason": "Sửa số hồ sơ trực tuyến."})
    assert report_of(regime, open_period, commune).status == Status.RETURNED


def test_a_reporter_cannot_approve_their_own_report(
    client, reporter, submitted, regime, open_period, commune
):
    client.force_login(reporter.user)
    response = client.post(decide_url(regime, open_period, commune), {"action": "approve"})
    assert response.status_code == 403
    assert report_of(regime, open_period, commune).status == Status.SUBMITTED


def test_an_approver_cannot_approve_a_report_they_submitted(
    client, clean, approver, regime, open_period, commune
):
    report = open_report(approver, regime, open_period, commune)
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    client.force_login(approver.user)
    response = client.post(decide_url(regime, open_period, commune), {"action": "approve"})
    assert response.status_code == 400
    assert "người phê duyệt khác" in response.content.decode()
    assert report_of(regime, open_period, commune).status == Status.SUBMITTED


def test_deciding_on_an_unseen_units_report_is_not_found_whether_it_exists_or_not(
    client, approver, regime, open_period
):
    """An outsider must not learn which units have started reporting from the answer."""
    other_province = OrgUnit.objects.get(structure="2025", code="24", tier=Tier.PROVINCE)
    started, not_started = OrgUnit.objects.filter(
        parent=other_province, tier=Tier.COMMUNE
    ).order_by("code")[:2]
    Report.objects.filter(regime=regime, period=open_period, org_unit=not_started).delete()
    Report.objects.get_or_create(
        regime=regime,
        period=open_period,
        org_unit=started,
        defaults={"due_on": open_period.ends_on},
    )
    client.force_login(approver.user)
    urls = [decide_url(regime, open_period, unit) for unit in (started, not_started)]
    answers = [client.post(url, {"action": "approve"}) for url in urls]
    assert [a.status_code for a in answers] == [404, 404]
    # Identical but for the address asked (in the language link) and the logout form's CSRF
    # token, which is masked afresh for every response.
    bodies = [
        re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", a.content).replace(
            url.encode(), b"URL"
        )
        for a, url in zip(answers, urls, strict=True)
    ]
    assert bodies[0] == bodies[1]


def test_the_history_page_shows_who_when_from_where_old_and_new(
    client, clean, reporter, regime, open_period, commune
):
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300"})
    save_values(reporter, report, {"tong_ho_so_cong_viec": "310"})
    client.force_login(reporter.user)
    url = reverse(
        "reporting:field-history",
        args=[
            regime.code,
            open_period.code,
            commune.structure,
            commune.code,
            "tong_ho_so_cong_viec",
        ],
    )
    page = client.get(url).content.decode()
    assert "10.0.0.7" in page and "xa" in page
    assert '<small class="muted">biểu mẫu web</small>' in page  # the channel in words, not "web"
    assert "300" in page and "310" in page
    assert page.index("310") < page.rindex("300")  # newest first
    assert AuditEvent.objects.filter(target_id=report.pk).count() == 2


def test_the_form_links_each_field_to_its_history(
    client, reporter, submitted, regime, open_period, commune
):
    client.force_login(reporter.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert "/history/tong_ho_so_cong_viec/" in page


def test_completeness_defaults_to_the_users_highest_unit_and_splits_by_child(
    client, approver, regime, open_period, gia_lai
):
    client.force_login(approver.user)
    url = reverse("reporting:completeness", args=[regime.code, open_period.code])
    response = client.get(url)
    page = response.content.decode()
    counts = completeness(regime, open_period, within=gia_lai)
    assert response.status_code == 200 and gia_lai.name in page
    assert f"<strong>{counts.expected}</strong>" in page.replace(".", "")
    assert 'id="overdue"' in page
    assert 'id="by-child"' not in page  # communes one by one would repeat the overdue list


def test_completeness_of_a_legacy_province_is_split_by_district(client, regime):
    admin = User.objects.create_superuser("quan_tri", password="x")
    client.force_login(admin)
    url = reverse("reporting:completeness", args=[regime.code, "2024Q4"])
    page = client.get(url, {"unit": "legacy:52"}).content.decode()
    assert 'id="by-child"' in page and "Huyện Tuy Phước" in page


def test_completeness_by_child_adds_up_to_the_total(regime, open_period, gia_lai):
    total = completeness(regime, open_period, within=gia_lai)
    children = completeness_by_child(regime, open_period, gia_lai)
    assert sum(c.counts.expected for c in children) == total.expected
    assert sum(c.counts.on_time for c in children) == total.on_time
    assert sum(c.counts.missing for c in children) == total.missing
    assert sum(len(c.counts.overdue_units) for c in children) == len(total.overdue_units)


def test_a_reporter_cannot_see_the_completeness_of_the_province(
    client, reporter, regime, open_period, gia_lai
):
    client.force_login(reporter.user)
    url = reverse("reporting:completeness", args=[regime.code, open_period.code])
    assert client.get(url, {"unit": f"{gia_lai.structure}:{gia_lai.code}"}).status_code == 403
    assert client.get(url).status_code == 200  # their own commune


def test_the_regime_page_shows_every_decree_09_element_and_the_periods(client, regime, open_period):
    page = client.get(reverse("reporting:regime-detail", args=[regime.code])).content.decode()
    assert "(legacy)" not in page and "(2025)" not in page  # structures in words
    for text in [
        regime.name,
        regime.receiving_unit,
        regime.sending_method,
        "Nghị định 09/2019/NĐ-CP",
        "ho_so_cong_viec_dien_tu &lt;= tong_ho_so_cong_viec",
        "không tính hồ sơ mật",
        open_period.label,
        open_period.cutoff_to.strftime("%d/%m/%Y"),
    ]:
        assert text in page, text
    assert client.get(reverse("reporting:regime-index")).status_code == 200


def test_a_viewer_sees_the_report_read_only_without_decision_buttons(
    client, submitted, regime, open_period, commune, gia_lai
):
    viewer = User.objects.create_user("xem", password="x")
    Membership.objects.create(user=viewer, org_unit=gia_lai, role=Role.VIEWER)
    client.force_login(viewer)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert "readonly" in page and 'value="approve"' not in page


def test_illustrative_reports_carry_their_badge(client, approver, regime):
    report = (
        Report.objects.filter(regime=regime, is_illustrative=True)
        .select_related("period", "org_unit")
        .first()
    )
    client.force_login(approver.user)
    page = client.get(form_url(regime, report.period, report.org_unit)).content.decode()
    assert "badge illustrative" in page


def test_last_periods_figure_is_labelled_as_the_previous_period(
    client, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    label = page.split('id="f-tong_ho_so_cong_viec"')[1].split('class="previous"')[1]
    assert label.split("<span")[0].strip(">: \n") == "Kỳ trước"
    assert "Trang trước" not in page


def test_a_figure_typed_wrong_comes_back_after_a_reload_with_its_error(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    url = form_url(regime, open_period, commune)
    client.post(url, GOOD | {"action": "save", "base_version": "1"})
    answer = client.post(
        url,
        {"tong_so_tthc": "abc", "base_version": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="tong_so_tthc",
    ).content.decode()
    assert "Đã lưu bản nháp" not in answer and "giữ nguyên như đã gõ" in answer
    field = (
        client.get(url)
        .content.decode()
        .split('id="f-tong_so_tthc"')[1]
        .split('<div class="field')[0]
    )
    assert 'value="abc"' in field and "không phải là số" in field and 'aria-invalid="true"' in field


def test_a_returned_report_takes_a_reply_shown_in_its_history(
    client, reporter, approver, submitted, regime, open_period, commune
):
    return_report(approver, submitted, "Số liệu hồ sơ chưa khớp.")
    client.force_login(reporter.user)
    url = form_url(regime, open_period, commune)
    refused = client.post(url, {"action": "submit", "base_version": "4"}).content.decode()
    assert "không có gì thay đổi" in refused
    assert report_of(regime, open_period, commune).status == Status.RETURNED
    reply = "Đã đối chiếu lại với hệ thống một cửa: số liệu đúng."
    client.post(url, {"action": "submit", "base_version": "4", "reply": reply})
    assert report_of(regime, open_period, commune).status == Status.SUBMITTED
    history = (
        client.get(url).content.decode().split('id="status-history"')[1].split("</details>")[0]
    )
    assert "Đã gửi" in history and reply in history
    assert "Bị trả lại" in history and "Số liệu hồ sơ chưa khớp." in history
    assert "submitted" not in history and "returned" not in history


def test_the_reply_is_autosaved_as_it_is_typed(
    client, reporter, approver, submitted, regime, open_period, commune
):
    return_report(approver, submitted, "Số liệu hồ sơ chưa khớp.")
    client.force_login(reporter.user)
    answer = client.post(
        form_url(regime, open_period, commune),
        {"reply": "Số liệu đúng.", "base_version": "4"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="reply",
    ).content.decode()
    assert answer.startswith('<p id="save-state"') and "Đã lưu bản nháp" in answer
    assert report_of(regime, open_period, commune).reply == "Số liệu đúng."


def test_the_approver_who_submitted_a_report_is_not_offered_the_approve_button(
    client, clean, approver, regime, open_period, commune
):
    report = open_report(approver, regime, open_period, commune)
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    approve_button = 'name="action" value="approve"'
    client.force_login(approver.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert approve_button not in page
    assert "Người khác phải phê duyệt báo cáo do chính anh/chị gửi." in page
    assert 'value="return"' in page  # returning it stays possible

    colleague = User.objects.create_user("tinh2", password="x")
    Membership.objects.create(user=colleague, org_unit=commune.parent, role=Role.APPROVER)
    client.force_login(colleague)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert approve_button in page and "anh/chị gửi" not in page

    regime.approver_must_differ = False
    regime.save(update_fields=["approver_must_differ"])
    client.force_login(approver.user)
    page = client.get(form_url(regime, open_period, commune)).content.decode()
    assert approve_button in page and "anh/chị gửi" not in page


def test_the_approvals_list_leaves_out_what_the_approver_submitted_under_four_eyes(
    clean, approver, regime, open_period, commune
):
    from lotrinh.reporting.pages import reports_to_approve

    report = open_report(approver, regime, open_period, commune)
    save_values(approver, report, GOOD)
    submit_report(approver, report)
    assert report.pk not in set(reports_to_approve(approver.user).values_list("pk", flat=True))
    regime.approver_must_differ = False
    regime.save(update_fields=["approver_must_differ"])
    assert report.pk in set(reports_to_approve(approver.user).values_list("pk", flat=True))


def test_a_partners_kept_error_stays_when_another_field_is_typed_wrong(
    client, clean, reporter, regime, open_period, commune
):
    client.force_login(reporter.user)
    url = form_url(regime, open_period, commune)
    client.post(url, GOOD | {"action": "save", "base_version": "1"})

    def type_in(code, text, version):
        return client.post(
            url,
            {code: text, "base_version": version},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TRIGGER_NAME=code,
        ).content.decode()

    type_in("tong_so_tthc", "abc", "2")
    answer = type_in("so_dvctt", "-3", "2")
    partner = answer.split('id="m-tong_so_tthc"')[1].split("</div>")[0]
    assert "không phải là số" in partner
