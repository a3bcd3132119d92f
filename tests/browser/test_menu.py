"""The site menu on a phone: collapsed behind a button, opened with a tap, and per role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reporting import log_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone_390(browser):
    context = browser.new_context(
        locale="vi-VN",
        viewport={"width": WIDTH, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


def test_on_a_phone_the_menu_is_one_short_row_and_opens_with_a_tap(phone_390, site_url):
    log_in(phone_390, site_url, "xa_demo", "/reports/")
    header = phone_390.locator("body > header").bounding_box()
    assert header is not None and header["height"] < 0.15 * HEIGHT, header
    assert phone_390.evaluate("document.documentElement.scrollWidth") <= WIDTH
    menu = phone_390.locator("#site-menu")
    expect(menu).to_be_hidden()
    button = phone_390.locator("#menu-button")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.tap()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Báo cáo", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Chương trình")).to_be_visible()
    # A commune reporter is not offered the target extractor or the API documentation.
    expect(phone_390.get_by_role("link", name="API")).to_have_count(0)
    expect(phone_390.get_by_role("link", name=re.compile("Trích xuất"))).to_have_count(0)
    assert phone_390.evaluate("document.documentElement.scrollWidth") <= WIDTH
    menu.get_by_role("link", name="Chương trình").tap()
    expect(phone_390).to_have_url(re.compile(r"/programmes/$"))
    expect(phone_390.locator("#site-menu")).to_be_hidden()


def test_on_a_computer_the_whole_menu_shows_without_a_button(page, site_url):
    log_in(page, site_url, "admin", "/reports/")
    expect(page.locator("#menu-button")).to_be_hidden()
    menu = page.locator("#site-menu")
    expect(menu.get_by_role("link", name="Trích xuất mục tiêu")).to_be_visible()
    expect(menu.get_by_role("link", name="API")).to_be_visible()
