"""Pages with charts, the target review and the API docs work under the Content-Security-Policy:
the browser reports no violation and the charts are drawn."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_extraction import RESOLUTION

pytestmark = pytest.mark.browser

LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error collected."""
    page.add_init_script(LISTEN)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.console_errors = errors
    return page


def violations(page) -> list[str]:
    found = page.evaluate("window.cspViolations")
    return found + [e for e in page.console_errors if "Content Security Policy" in e]


def log_in(page, site_url: str) -> None:
    page.goto(site_url + "/accounts/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("lotrinh-demo")
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(site_url + "/")


def test_the_progress_dashboard_draws_its_charts_without_a_policy_violation(watched, site_url):
    log_in(watched, site_url)
    response = watched.goto(site_url + "/programmes/binh-dinh-05-nq-tu/progress/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(watched.locator("#summary .chart svg")).to_have_count(1)
    card = watched.locator("article.target-card").first
    card.scroll_into_view_if_needed()
    expect(card.locator(".chart svg")).to_be_visible()
    assert violations(watched) == []


def test_the_map_draws_without_a_policy_violation(watched, site_url):
    watched.goto(
        site_url + "/indicators/ho-so-cong-viec-truc-tuyen/map/?structure=legacy&view=tiles"
    )
    expect(watched.locator("div.tilemap svg")).to_have_count(1)
    assert violations(watched) == []


def test_the_extraction_review_works_without_a_policy_violation(watched, site_url):
    log_in(watched, site_url)
    watched.goto(site_url + "/extract/")
    watched.locator("textarea[name=text]").fill(RESOLUTION)
    watched.locator("form.extract-source button[type=submit]").click()
    expect(watched.locator("tr.proposal")).to_have_count(3)
    watched.locator("tr.proposal").nth(1).locator("a.number").click()
    expect(watched.locator("mark#src-2")).to_have_class(re.compile("active"))
    assert violations(watched) == []


def test_the_api_docs_render_without_a_policy_violation(watched, site_url):
    watched.goto(site_url + "/api/v1/docs")
    expect(watched.locator(".swagger-ui .info .title")).to_contain_text("Lộ Trình API")
    assert violations(watched) == []


def test_the_watcher_sees_a_violation(watched):
    """The checks above would notice: an inline script under the same policy is reported."""
    page_with_inline_script = "<!doctype html><p>x</p><script>document.title = 'ran'</script>"
    watched.route(
        "http://policy.invalid/",
        lambda route: route.fulfill(
            body=page_with_inline_script,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
        ),
    )
    watched.goto("http://policy.invalid/")
    assert watched.title() != "ran"
    assert any("script-src" in v for v in violations(watched))
