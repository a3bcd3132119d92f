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


HAND_TITLE = "Tổ chức hội nghị sơ kết chuyển đổi số (kiểm thử trình duyệt)"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_task_typed_by_hand_is_done_with_a_file_and_approved_by_a_second_person(
    site_url, desktop, phone_390
):
    officer = desktop
    log_in(officer, site_url, "tinh_demo", f"/tasks/programme/{PROGRAMME}/")
    officer.locator("#new-task").click()
    officer.locator("#id_title").fill(HAND_TITLE)
    officer.locator("#id_lead").select_option(label="Sở Khoa học và Công nghệ (Gia Lai)")
    # A deadline before the programme's date is refused in both languages, and nothing stored.
    officer.locator("#id_deadline").fill("quý I/2019")
    officer.get_by_role("button", name="Tạo nhiệm vụ").click()
    error = officer.locator("#task-form-error")
    expect(error).to_contain_text("sớm hơn ngày ban hành chương trình 20/09/2021")
    expect(error).to_contain_text("before the programme's date 20/09/2021")
    officer.locator("#id_deadline").fill("quý IV/2030")
    officer.get_by_role("button", name="Tạo nhiệm vụ").click()
    expect(officer.locator("h1")).to_have_text(HAND_TITLE)
    # The officer edits it: the deadline moves and the page says so.
    officer.locator("#edit-task").click()
    expect(officer.locator("#id_deadline")).to_have_value("quý IV/2030")
    officer.locator("#id_deadline").fill("30/06/2030")
    officer.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(officer.locator("main dl")).to_contain_text("30/06/2030")
    task_path = re.sub(r"^https?://[^/]+", "", officer.url)

    reporter = phone_390
    log_in(reporter, site_url, "so_demo", task_path)
    reporter.locator("#id_status").select_option("done")
    # A file that is not a document is refused by its content, whatever its name says.
    reporter.locator("#id_evidence_file").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}
    )
    reporter.get_by_role("button", name="Gửi để phê duyệt", exact=True).click()
    expect(reporter.locator("#task-error")).to_contain_text("không phải tệp PDF")
    expect(reporter.locator("#task-error")).to_contain_text("is not a PDF")
    expect(reporter.locator("#history")).to_contain_text("Chưa có báo cáo tiến độ")
    reporter.locator("#id_status").select_option("done")
    reporter.locator("#id_evidence_file").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    reporter.get_by_role("button", name="Gửi để phê duyệt", exact=True).click()
    expect(reporter.locator("#history .evidence-file")).to_have_text("bien-ban.pdf")
    assert reporter.evaluate("document.documentElement.scrollWidth") <= 390

    # The officer (another person) downloads the file and approves.
    officer.goto(f"{site_url}{task_path}")
    with officer.expect_download() as download:
        officer.locator("#history .evidence-file").click()
    assert download.value.suggested_filename == "bien-ban.pdf"
    officer.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(officer.locator("#history")).to_contain_text("Đã phê duyệt")

    # Four eyes: progress the officer reports themselves waits for someone else.
    officer.locator("#id_status").select_option("in_progress")
    officer.locator("#id_percent").fill("10")
    officer.get_by_role("button", name="Gửi để phê duyệt", exact=True).click()
    expect(officer.locator("#history .another-approver")).to_have_count(1)
    expect(officer.get_by_role("button", name="Phê duyệt", exact=True)).to_have_count(0)
