"""What a person sees in a real browser on the home, programme and unit pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_shows_the_five_programmes_in_vietnamese(page, site_url):
    page.goto(site_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    cards = page.locator(".cards article")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 5  # the extraction test may have added one to the shared demo site
    for number in ["05-NQ/TU", "01-NQ/TU", "08-NQ/TU", "1728/QĐ-UBND", "111-NQ/TU"]:
        expect(page.get_by_text(number, exact=True)).to_be_visible()
    expect(
        page.get_by_text("Tỉnh Gia Lai")
    ).to_be_visible()  # Bình Định's programme, now part of Gia Lai


def test_programme_page_groups_targets_by_pillar_and_highlights_their_source(page, site_url):
    page.goto(site_url + "/programmes/binh-dinh-05-nq-tu/")
    expect(page.locator("h1")).to_contain_text("05-NQ/TU")
    expect(page.locator("section.pillar")).to_have_count(4)
    expect(page.locator("table.targets tbody tr")).to_have_count(37)
    expect(page.locator("#pillar-economy")).to_contain_text("15–20% GRDP")  # the range target
    row = page.locator("table.targets tbody tr", has_text="Tỷ lệ hồ sơ công việc").first
    row.get_by_role("link", name=re.compile("xem|show")).click()
    expect(page).to_have_url(re.compile(r"#src-t\d+$"))
    anchor_id = page.url.rsplit("#", 1)[1]
    highlighted = page.locator(f"mark:has(#{anchor_id}), mark#{anchor_id}")
    expect(highlighted).to_contain_text("hồ sơ công việc")
    expect(highlighted).to_be_in_viewport()


def test_unit_page_shows_parents_dates_and_successors(page, site_url):
    page.goto(site_url + "/units/legacy/21952/")
    crumbs = page.locator("nav.crumbs")
    expect(crumbs).to_contain_text("Tỉnh Bình Định")
    expect(crumbs).to_contain_text("Huyện Tuy Phước")
    expect(page.locator("dl.facts")).to_contain_text("30/06/2025")
    successors = page.locator("#successors")
    expect(successors).to_contain_text("Tỉnh Gia Lai")
    successors.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Xã")
    expect(page.locator("#predecessors")).to_contain_text("Tuy Phước")


def test_searching_without_diacritics_finds_binh_dinh_as_you_type(page, site_url):
    page.goto(site_url + "/units/")
    page.get_by_role("searchbox").fill("binh dinh")
    expect(page.locator("#results")).to_contain_text("Tỉnh Bình Định")
    page.locator("#results").get_by_role("link", name="Tỉnh Bình Định").click()
    expect(page.locator("h1")).to_have_text("Tỉnh Bình Định")


def test_the_language_switch_turns_the_page_to_english_and_back(page, site_url):
    page.goto(site_url + "/programmes/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Programmes")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_pages_fit_a_phone_screen(phone, site_url):
    phone.goto(site_url + "/programmes/phu-yen-1728-qd-ubnd/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
    expect(phone.locator("section.pillar").first).to_be_visible()


def test_static_files_come_from_our_server_not_a_cdn(page, site_url):
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto(site_url + "/units/")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith(".css") for url, _ in responses) and any(
        url.endswith(".js") for url, _ in responses
    )
    assert all(url.startswith(site_url) for url, _ in responses)
    assert [(url, status) for url, status in responses if status != 200] == []
