"""The import page: the period is picked from the chosen regime's open periods, by name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reporting import log_in

pytestmark = pytest.mark.browser


def test_choosing_a_regime_offers_its_open_periods_by_name(page, site_url):
    log_in(page, site_url, "xa_demo", "/import/")
    upload = page.locator("form[action$='/import/upload/']")
    upload.locator("select[name=regime]").select_option("cds-dinh-ky-quy")
    period = upload.locator("select[name=period]")
    expect(period.locator("option").first).to_have_text(re.compile(r"^Quý (I|II|III|IV)/20\d\d$"))
    assert period.evaluate("select => select.options.length") > 1
    assert re.fullmatch(r"20\d\dQ[1-4]", period.input_value())
