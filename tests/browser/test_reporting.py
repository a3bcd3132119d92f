"""A commune reporter submits from a phone; the province approver returns it with a reason.

Logs in as the demo users that `lotrinh demo` creates (xa_demo reports for a Gia Lai commune whose
current quarterly report has not been started; tinh_demo approves for Tỉnh Gia Lai).
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from lotrinh.reporting.periods import period_containing

pytestmark = pytest.mark.browser

PASSWORD = "lotrinh-demo"  # noqa: S105 - the printed demo password
REASON = "Số hồ sơ trực tuyến chưa khớp với hệ thống một cửa; đề nghị rà soát."
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
    returned = phone.locator("li.due-item.st-returned", has_text=current)
    expect(returned).to_contain_text(REASON)
    expect(phone.locator("#notifications")).to_contain_text(REASON)
