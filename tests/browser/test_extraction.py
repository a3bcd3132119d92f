"""A person pastes a resolution, reviews the proposed targets and saves them into a new programme."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RESOLUTION = """NGHỊ QUYẾT
Về chuyển đổi số tỉnh đến năm 2030

I. MỤC TIÊU ĐẾN NĂM 2025
- Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 90%.
- Kinh tế số chiếm tỷ trọng 20% GRDP của tỉnh.
- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.

II. TỔ CHỨC THỰC HIỆN
Các sở, ngành, địa phương tổ chức thực hiện Nghị quyết này.
"""


def _log_in(page, site_url: str) -> None:
    page.goto(site_url + "/extract/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("lotrinh-demo")
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(r"/extract/$"))


def test_paste_review_accept_and_see_the_new_programme(page, site_url):
    _log_in(page, site_url)
    page.locator("textarea[name=text]").fill(RESOLUTION)
    page.locator("form.extract-source button[type=submit]").click()

    rows = page.locator("tr.proposal")
    expect(rows).to_have_count(3)
    expect(page.locator(".review-document mark")).to_have_count(3)

    # Each row says why it was proposed: here the year comes from the heading above.
    first_why = rows.nth(0).locator("details.why")
    first_why.locator("summary").click()
    expect(first_why).to_contain_text("2025")
    expect(first_why.locator("li")).to_have_count(4)  # what, year, tier ("cấp tỉnh"), confidence

    # A row's number leads to its sentence, which is highlighted in the document.
    rows.nth(1).locator("a.number").click()
    source = page.locator("mark#src-2")
    expect(source).to_contain_text("20% GRDP")
    expect(source).to_have_class(re.compile("active"))
    expect(source).to_be_in_viewport()

    # Enter in a field does not send the page; "r" on a tick box rejects and moves on.
    page.locator("input[name='t-0-unit']").press("Enter")
    expect(rows).to_have_count(3)
    accept_second = page.locator("input[name='t-1-accept']")
    accept_second.focus()
    accept_second.press("r")
    expect(accept_second).not_to_be_checked()
    expect(page.locator("input[name='t-2-accept']")).to_be_focused()
    expect(page.locator("input[name='t-0-accept']")).to_be_checked()

    page.locator("input[name=number]").fill("99-NQ/TU")
    page.locator("input[name=title]").fill("Nghị quyết thử nghiệm về chuyển đổi số")
    page.locator("input[name=issuer]").fill("Ban Thường vụ Tỉnh ủy")
    page.locator("input[name=issued_on]").fill("2024-03-01")
    page.locator("select[name=province]").select_option(label="Tỉnh Gia Lai")
    page.locator("input[name=code]").fill("thu-nghiem-99-nq-tu")
    page.locator("button[name=save]").click()

    expect(page).to_have_url(re.compile(r"/programmes/thu-nghiem-99-nq-tu/$"))
    expect(page.locator("h1")).to_contain_text("99-NQ/TU")
    expect(page.locator("table.targets tbody tr")).to_have_count(2)
    expect(page.locator("#document mark")).to_have_count(2)
    expect(page.locator("#pillar-economy")).to_have_count(0)  # the rejected GRDP target
