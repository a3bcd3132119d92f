"""A commune reporter submits from a phone; the province approver returns it with a reason.

Logs in as the demo users that `lotrinh demo` creates (xa_demo reports for a Gia Lai commune whose
current quarterly report has not been started; tinh_demo approves for Tỉnh Gia Lai).
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from lotrinh.reporting.periods import period_containing, period_label

pytestmark = pytest.mark.browser

PASSWORD = "lotrinh-demo"  # noqa: S105 - the printed demo password
REASON = "Số hồ sơ trực tuyến chưa khớp với hệ thống một cửa; đề nghị rà soát."
REPLY = "Đã đối chiếu với hệ thống một cửa ngày 05/10: số hồ sơ trực tuyến là đúng."
# Figures for the fields without a previous value; they satisfy every rule.
FALLBACK = {
    "tong_ho_so_cong_viec": "300",
    "ho_so_cong_viec_dien_tu": "240",
    "tong_so_tthc": "110",
    "so_dvctt": "90",
    "so_dvctt_toan_trinh": "60",
    "tong_ho_so_tthc": "150",
    "ho_so_tthc_truc_tuyen": "120",
    "tong_hoat_dong_kiem_tra": "4",
    "hoat_dong_kiem_tra_moi_truong_so": "2",
    "tong_che_do_bao_cao": "12",
    "che_do_bao_cao_tren_httt_bao_cao": "6",
}


def log_in(page: Page, site_url: str, username: str, next_path: str) -> None:
    page.goto(f"{site_url}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def figures_like_last_time(page: Page) -> dict[str, str]:
    """Last period's figure of each field when there is one (so nothing looks like an outlier)."""
    figures = dict(FALLBACK)
    for code in FALLBACK:
        previous = page.locator(f"#f-{code} .previous .figure").inner_text().strip()
        if re.fullmatch(r"[\d.]+", previous):
            figures[code] = previous.replace(".", "")
    return figures


@pytest.fixture
def phone_390(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    yield context.new_page()
    context.close()


def open_current_report(page: Page, site_url: str) -> str:
    """Log in as the demo reporter and open the report of the current quarter; returns its path."""
    current = period_containing("quarterly", datetime.date.today(), 15).code  # noqa: DTZ011
    log_in(page, site_url, "xa_demo", "/reports/")
    page.locator(f'li.due-item a[href*="/cds-dinh-ky-quy/{current}/"]').click()
    expect(page.locator("#status")).to_be_visible()
    return page.url.removeprefix(site_url)


def test_what_a_reporter_typed_wrong_survives_a_reload_with_its_error(phone_390, site_url):
    open_current_report(phone_390, site_url)
    save_state = phone_390.locator("#save-state")
    for code, typed in [("tong_ho_so_cong_viec", "abc"), ("tong_so_tthc", "-3")]:
        phone_390.locator(f"#id-{code}").fill(typed)
        phone_390.locator(f"#id-{code}").press("Tab")
        expect(phone_390.locator(f"#m-{code} .issue.error")).to_be_visible()
        expect(save_state).to_contain_text("giữ nguyên như đã gõ")
        expect(save_state).not_to_contain_text("Đã lưu bản nháp")

    phone_390.reload()
    expect(phone_390.locator("#id-tong_ho_so_cong_viec")).to_have_value("abc")
    expect(phone_390.locator("#m-tong_ho_so_cong_viec")).to_contain_text("“abc” không phải là số.")
    expect(phone_390.locator("#id-tong_so_tthc")).to_have_value("-3")
    expect(phone_390.locator("#m-tong_so_tthc")).to_contain_text("không được là số âm")
    expect(phone_390.locator("#id-tong_so_tthc")).to_have_attribute("aria-invalid", "true")

    # Corrected, they are stored as figures and their errors go.
    for code in ["tong_ho_so_cong_viec", "tong_so_tthc"]:
        phone_390.locator(f"#id-{code}").fill(FALLBACK[code])
        phone_390.locator(f"#id-{code}").press("Tab")
        expect(phone_390.locator(f"#m-{code} .issue.error")).to_have_count(0)
    expect(save_state).to_contain_text("Đã lưu bản nháp")
    phone_390.reload()
    expect(phone_390.locator("#id-tong_so_tthc")).to_have_value(FALLBACK["tong_so_tthc"])


def test_a_reporter_submits_from_a_phone_and_the_approver_returns_it(phone, page, site_url):
    current = period_containing("quarterly", datetime.date.today(), 15).code  # noqa: DTZ011

    # The reporter, on a phone, opens the report that is due.
    log_in(phone, site_url, "xa_demo", "/reports/")
    due = phone.locator(f'li.due-item a[href*="/cds-dinh-ky-quy/{current}/"]')
    expect(due).to_be_visible()
    due.click()
    expect(phone.locator("#report-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
    figures = figures_like_last_time(phone)
    for code, value in figures.items():
        phone.locator(f"#id-{code}").fill(value)
        phone.locator(f"#id-{code}").press("Tab")  # a change: autosaved

    # One figure breaks a rule: the message appears next to it; fixing it clears it.
    too_many = str(int(figures["tong_ho_so_cong_viec"]) + 50)
    phone.locator("#id-ho_so_cong_viec_dien_tu").fill(too_many)
    phone.locator("#id-ho_so_cong_viec_dien_tu").press("Tab")
    message = phone.locator("#m-ho_so_cong_viec_dien_tu")
    expect(message).to_contain_text("không được lớn hơn tổng số hồ sơ công việc")
    phone.locator("#id-ho_so_cong_viec_dien_tu").fill(figures["ho_so_cong_viec_dien_tu"])
    phone.locator("#id-ho_so_cong_viec_dien_tu").press("Tab")
    expect(message).not_to_contain_text("không được lớn hơn")
    expect(phone.locator("#save-state")).not_to_be_empty()

    phone.locator("button[value=submit]").click()
    expect(phone.locator("#status")).to_have_class(re.compile("st-submitted"))
    report_path = phone.url.removeprefix(site_url)
    unit_name = phone.locator("h1").inner_text().split(" · ")[0]

    # The approver, on a desktop, returns it with a reason.
    log_in(page, site_url, "tinh_demo", "/reports/approvals/")
    page.locator(f'#approvals a[href="{report_path}"]').click()
    expect(page.locator("h1")).to_contain_text(unit_name)
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("button[value=return]").click()
    expect(page.locator("#status")).to_have_class(re.compile("st-returned"))
    expect(page.locator("#status")).to_contain_text(REASON)

    # The reporter sees it returned, with the reason, at the top of their list.
    phone.goto(site_url + "/reports/")
    first = phone.locator("li.due-item").first
    expect(first).to_have_class(re.compile("st-(returned|overdue)"))
    returned = phone.locator("li.due-item.st-returned", has_text=period_label(current))
    expect(returned).to_contain_text(REASON)
    expect(phone.locator("#notifications")).to_contain_text(REASON)


def test_a_returned_report_is_answered_from_a_phone_and_the_reply_is_in_its_history(
    phone_390, desktop, site_url
):
    report_path = open_current_report(phone_390, site_url)
    if "st-returned" not in (phone_390.locator("#status").get_attribute("class") or ""):
        # Run on its own: submit the report and have it returned first.
        for code, value in figures_like_last_time(phone_390).items():
            phone_390.locator(f"#id-{code}").fill(value)
            phone_390.locator(f"#id-{code}").press("Tab")
        expect(phone_390.locator("#save-state")).not_to_be_empty()
        phone_390.locator("button[value=submit]").click()
        expect(phone_390.locator("#status")).to_have_class(re.compile("st-submitted"))
        log_in(desktop, site_url, "tinh_demo", report_path)
        desktop.locator("textarea[name=reason]").fill(REASON)
        desktop.locator("button[value=return]").click()
        expect(desktop.locator("#status")).to_have_class(re.compile("st-returned"))
        phone_390.reload()

    # On a 390-px phone nothing scrolls sideways and the whole return reason can be read.
    assert phone_390.evaluate("document.scrollingElement.scrollWidth") <= 390
    reason = phone_390.locator("#status .reason")
    expect(reason).to_contain_text(REASON)
    box = reason.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert reason.evaluate("e => e.scrollWidth <= e.clientWidth")

    # Sent back unchanged without a reply, it is refused with a clear message.
    send = phone_390.get_by_role("button", name="Gửi báo cáo")
    send.click(timeout=5000)
    expect(phone_390.locator("#form-error")).to_contain_text("không có gì thay đổi")
    expect(phone_390.locator("#status")).to_have_class(re.compile("st-returned"))

    reply = phone_390.get_by_label("Giải trình gửi người duyệt")
    reply.fill(REPLY)
    reply_box = reply.bounding_box()
    assert reply_box is not None and reply_box["x"] + reply_box["width"] <= 390
    phone_390.get_by_role("button", name="Gửi báo cáo").click(timeout=5000)
    expect(phone_390.locator("#status")).to_have_class(re.compile("st-submitted"))
    history = phone_390.locator("#status-history")
    expect(history).to_contain_text(REPLY)
    assert phone_390.evaluate("document.scrollingElement.scrollWidth") <= 390

    # The approver, on a 1366-px screen, reads the conversation in Vietnamese and approves.
    desktop.goto(site_url + report_path)
    if "/accounts/login/" in desktop.url:
        log_in(desktop, site_url, "tinh_demo", report_path)
    expect(desktop.locator("#status")).to_contain_text(REPLY)
    desktop.locator("button[value=approve]").click()
    history = desktop.locator("#status-history")
    for step in ["Đã phê duyệt", "Đã gửi", "Bị trả lại"]:
        expect(history).to_contain_text(step)
    expect(history).to_contain_text(f"Giải trình gửi người duyệt: {REPLY}")
    expect(history).to_contain_text(f"Lý do: {REASON}")
    for english in ["submitted", "returned", "approved"]:
        expect(history).not_to_contain_text(english)
    assert desktop.evaluate("document.scrollingElement.scrollWidth") <= 1366
