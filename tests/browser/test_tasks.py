"""The tasks walk: an officer accepts a proposed task and assigns it, a department's reporter marks
progress on a phone, the approver approves, and the task, past its deadline, shows red for its
agency on the map and in "who is behind". Bad input is refused with a message in both languages.

Logs in as the demo users that `lotrinh demo` creates: tinh_demo (programme officer and approver
for Tỉnh Gia Lai) and so_demo (reporter for Gia Lai's Sở Khoa học và Công nghệ).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "lotrinh-demo"  # noqa: S105 - the printed demo password
PROGRAMME = "binh-dinh-05-nq-tu"
TITLE = "Ban hành kế hoạch tuyên truyền chuyển đổi số (kiểm thử trình duyệt)"


def log_in(page: Page, site_url: str, username: str, next_path: str) -> None:
    page.goto(f"{site_url}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


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


def test_a_task_is_accepted_reported_from_a_phone_approved_and_shows_red(
    site_url, desktop, phone_390
):
    officer = desktop
    log_in(officer, site_url, "tinh_demo", f"/tasks/programme/{PROGRAMME}/propose/")
    card = officer.locator("article.task-card").first
    card.locator("input[name=accept]").check()
    card.locator("input[name^=title-]").fill(TITLE)
    card.locator("select[name^=lead-]").select_option(label="Sở Khoa học và Công nghệ (Gia Lai)")
    # A deadline before the programme's date (20/09/2021) is refused, in both languages.
    card.locator("input[name^=deadline-]").fill("quý I/2019")
    officer.locator("form button[type=submit]").last.click()
    error = officer.locator("#propose-error")
    expect(error).to_contain_text("sớm hơn ngày ban hành chương trình 20/09/2021")
    expect(error).to_contain_text("before the programme's date 20/09/2021")
    # A deadline already past: the task is overdue as soon as it is assigned.
    card = officer.locator("article.task-card").first
    card.locator("input[name=accept]").check()
    card.locator("input[name^=title-]").fill(TITLE)
    card.locator("select[name^=lead-]").select_option(label="Sở Khoa học và Công nghệ (Gia Lai)")
    card.locator("input[name^=deadline-]").fill("quý I/2026")
    officer.locator("form button[type=submit]").last.click()
    expect(officer).to_have_url(re.compile(rf"/tasks/programme/{PROGRAMME}/$"))
    expect(officer.locator("#tasks")).to_contain_text(TITLE)

    reporter = phone_390
    log_in(reporter, site_url, "so_demo", "/tasks/")
    reporter.get_by_role("link", name=TITLE).click()
    reporter.locator("#id_status").select_option("done")
    reporter.get_by_role("button", name="Gửi để phê duyệt", exact=True).click()
    expect(reporter.locator("#task-error")).to_contain_text("cần minh chứng")
    expect(reporter.locator("#task-error")).to_contain_text("needs evidence")
    reporter.locator("#id_status").select_option("in_progress")
    reporter.locator("#id_percent").fill("40")
    reporter.get_by_role("button", name="Gửi để phê duyệt", exact=True).click()
    expect(reporter.locator("#history")).to_contain_text("Đã gửi")
    # The form fits the phone: nothing wider than the screen.
    width = reporter.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    officer.goto(f"{site_url}/tasks/")
    officer.locator("#waiting").get_by_role("link", name=TITLE).click()
    officer.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(officer.locator("#history")).to_contain_text("Đã phê duyệt")
    expect(officer.locator("main")).to_contain_text("quá hạn")

    officer.goto(f"{site_url}/tasks/map/?province=52")
    row = officer.locator("#unit-lights tr", has_text="Sở Khoa học và Công nghệ")
    expect(row.locator(".light")).to_have_text("chậm")
    expect(officer.locator(".task-tiles a[title^='Gia Lai']")).to_have_class(re.compile("red"))
    officer.goto(f"{site_url}/behind/")
    expect(officer.locator("#tasks-behind")).to_contain_text("Sở Khoa học và Công nghệ")
