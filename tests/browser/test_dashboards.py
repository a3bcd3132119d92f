"""Dashboards and maps draw real charts (ECharts served by our own server) in a browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def log_in(page, site_url: str) -> None:
    page.goto(site_url + "/admin/login/?next=/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "lotrinh-demo")
    page.locator("input[type=submit]").click()
    page.wait_for_url(site_url + "/")


def test_the_programme_dashboard_draws_a_chart_per_target(page, site_url):
    log_in(page, site_url)
    page.goto(site_url + "/programmes/binh-dinh-05-nq-tu/progress/")
    expect(page.locator("article.target-card")).to_have_count(37)
    expect(page.locator("#summary .chart svg")).to_have_count(1)
    first_card = page.locator("article.target-card").first
    first_card.scroll_into_view_if_needed()
    expect(first_card.locator("span.status")).to_be_visible()
    expect(page.locator("article.target-card .chart svg").first).to_be_visible()
    page.select_option("select[name=status]", "achieved")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("article.target-card span.status.achieved").first).to_be_visible()


def test_the_tile_map_shows_every_province(page, site_url):
    page.goto(site_url + "/indicators/ho-so-cong-viec-truc-tuyen/map/?structure=legacy&view=tiles")
    chart = page.locator("div.tilemap svg")
    expect(chart).to_have_count(1)
    expect(chart.locator("text").first).to_be_attached()
    # A name longer than its tile wraps onto two lines (how far depends on the fonts installed).
    shown = "".join(chart.locator("text").all_text_contents()).replace(" ", "")
    assert shown.count("BìnhĐịnh") == 1


def test_a_phone_can_read_the_dashboard(phone, site_url):
    log_in(phone, site_url)
    phone.goto(site_url + "/programmes/bac-giang-111-nq-tu/progress/")
    expect(phone.locator("article.target-card").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380


def test_a_phone_shows_each_targets_status_trend_from_the_demos_kept_history(phone, site_url):
    log_in(phone, site_url)
    phone.goto(site_url + "/programmes/bac-giang-111-nq-tu/progress/")
    expect(phone.locator("p.changes-summary")).to_contain_text("So với kỳ trước")
    trend = phone.locator("article.target-card ol.status-trend").first
    trend.scroll_into_view_if_needed()
    expect(trend).to_be_visible()
    expect(trend.locator("li")).to_have_count(9)  # eight kept quarter ends, then now
    expect(trend.locator("li").last).to_contain_text("Nay")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380


def test_a_deployments_own_boundaries_draw_a_choropleth(page, site_url):
    from tests.browser.conftest import ROOT

    if not (ROOT.parent / "shared" / "geo" / "vn-provinces-34.geojson").is_file():
        pytest.skip("No boundary files beside the project (a deployment supplies its own).")
    page.goto(site_url + "/indicators/ho-so-cong-viec-truc-tuyen/map/")
    expect(page.locator("div.choropleth svg path").first).to_be_visible(timeout=15000)
    assert page.locator("div.choropleth svg path").count() >= 34
