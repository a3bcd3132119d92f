"""From plan to form in a real browser: an officer plans four targets without a source — one of
them needing a new data element in the catalogue — applies the change to the forms, a commune's
reporter finds the communes' new fields (and not the departments') in the next period's form, and
a published rank entered by the officer changes its target's status; the coverage page on a phone.

The demo plans every target, so the test first takes away the sources of four of Phú Yên's
targets (through the plan's service) and the catalogue element of one of them, and creates an
officer of Đắk Lắk, which plans Phú Yên's programme, and a reporter of one of its communes.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from lotrinh.reporting.periods import period_containing
from tests.browser.conftest import ROOT
from tests.browser.test_reporting import PASSWORD, log_in

pytestmark = pytest.mark.browser

PROGRAMME = "phu-yen-1728-qd-ubnd"
RATIO = "ho-gia-dinh-phu-bang-rong"  # households with broadband: communes report both figures
FIGURE = "so-trung-tam-du-lieu-tinh"  # the province's data centres: a department reports it
RANK = "xep-hang-chinh-quyen-dien-tu-so"  # the e-government rank, published nationally
BARE = "so-chuyen-gia-cds-duoc-dao-tao"  # experts trained: its catalogue element is taken away
COMMUNE_FIELDS = ("ho_gia_dinh_co_bang_rong", "tong_ho_gia_dinh")
DEPARTMENT_FIELDS = ("so_trung_tam_du_lieu_tinh", "so_chuyen_gia_cds_da_dao_tao")
NEW_FIELDS = (*COMMUNE_FIELDS, *DEPARTMENT_FIELDS)

_PREPARE = f"""
from django.contrib.auth import get_user_model
from lotrinh.access.models import Membership, Role
from lotrinh.indicators.models import Indicator
from lotrinh.monitoring.services import SourceInput, set_source
from lotrinh.orgunits.models import OrgUnit, Tier
province = OrgUnit.objects.get(structure="2025", tier=Tier.PROVINCE, code="66")
for code in {[RATIO, FIGURE, RANK, BARE]!r}:
    set_source(None, Indicator.objects.get(code=code), province, SourceInput(kind="none"))
Indicator.objects.filter(code={BARE!r}).update(reported_as=None)
commune = OrgUnit.objects.filter(parent=province, tier=Tier.COMMUNE).order_by("code").first()
for name, unit, role in (("ke_hoach_dl", province, Role.OFFICER), ("xa_dl", commune, Role.REPORTER)):
    user, created = get_user_model().objects.get_or_create(username=name)
    user.set_password({PASSWORD!r})
    user.save()
    Membership.objects.get_or_create(user=user, org_unit=unit, role=role)
print(commune.code)
"""


@pytest.fixture(scope="module")
def commune_code(site_env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "shell", "-c", _PREPARE],
        env=site_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def _next_quarter() -> str:
    now = period_containing("quarterly", datetime.date.today(), 15)  # noqa: DTZ011
    return period_containing("quarterly", now.cutoff_to + datetime.timedelta(days=1), 15).code


def _row(page: Page, indicator: str):
    return page.locator(f'#coverage tr:has(input[value="{indicator}"])').first


def test_an_officer_plans_three_targets_and_a_reporter_sees_the_new_fields(
    page: Page, site_url: str, commune_code: str
) -> None:
    log_in(page, site_url, "ke_hoach_dl", "/reports/")
    page.goto(f"{site_url}/programmes/{PROGRAMME}/")
    page.locator("#coverage-link").click()
    expect(page.locator("#coverage")).to_be_visible()
    for indicator in (RATIO, FIGURE, RANK, BARE):
        expect(_row(page, indicator)).to_contain_text("Chưa có nguồn")
    rank_status = _row(page, RANK).locator("td").last.inner_text()
    for indicator in (RATIO, FIGURE, RANK, BARE):
        _row(page, indicator).locator("input[type=checkbox]").check()
    page.locator("#plan-form button").click()

    # Lộ Trình's proposal: the ratio from the communes, the figure from departments, the rank
    # published; the officer names who publishes the rank and shows the change.
    expect(page.locator(f'select[name="how-{RATIO}"]')).to_have_value("commune")
    expect(page.locator(f'select[name="how-{FIGURE}"]')).to_have_value("agency")
    expect(page.locator(f'select[name="how-{RANK}"]')).to_have_value("published")
    page.locator(f'input[name="publisher-{RANK}"]').fill("Bộ Thông tin và Truyền thông")
    page.locator(f'input[name="reference-{RANK}"]').fill("https://dti.gov.vn")
    page.locator("#first-period").fill(_next_quarter())
    # The trained experts have no element in the catalogue: a department reports them, as a new
    # element; the code Lộ Trình proposes is taken, so the officer names another.
    expect(page.locator(f'select[name="how-{BARE}"]')).to_have_value("published")
    page.locator(f'select[name="how-{BARE}"]').select_option("agency")
    page.locator("#change-form button[type=submit]").click()
    code_box = page.locator(f'input[name="value-code-{BARE}"]')
    expect(code_box).to_have_value("so_chuyen_gia_cds_duoc_dao_tao")
    expect(page.locator("#change-errors")).to_contain_text("đã được dùng")
    code_box.fill("so_chuyen_gia_cds_da_dao_tao")
    page.locator(f'input[name="value-name-{BARE}"]').fill("Số chuyên gia chuyển đổi số đã đào tạo")
    page.locator(f'input[name="value-unit-{BARE}"]').fill("người")
    page.locator("#change-form button[type=submit]").click()
    diff = page.locator("#diff")
    for code in NEW_FIELDS:
        expect(diff.locator(f'tr.added[data-code="{code}"]')).to_be_visible()
    expect(diff.locator(".rules-added")).to_contain_text(
        "ho_gia_dinh_co_bang_rong <= tong_ho_gia_dinh"
    )
    new_row = diff.locator('tr.added[data-code="so_chuyen_gia_cds_da_dao_tao"]')
    expect(new_row.locator(".new-in-catalogue")).to_be_visible()
    expect(diff.locator('tr.added[data-code="tong_ho_gia_dinh"] .reporters')).to_have_text("Xã")
    page.locator("#apply-form button").click()

    expect(page).to_have_url(re.compile(rf"/programmes/{PROGRAMME}/coverage/$"))
    expect(_row(page, RATIO)).to_contain_text("Xã")
    expect(_row(page, RANK)).to_contain_text("Bộ Thông tin và Truyền thông")

    # The published rank is entered; its target's status changes.
    _row(page, RANK).get_by_role("link", name="Nhập số liệu").click()
    phu_yen = page.locator("#id_province option", has_text="Phú Yên").get_attribute("value")
    page.locator("#id_province").select_option(phu_yen)
    page.locator("#id_year").fill("2025")
    page.locator("#id_period").fill("2025")
    page.locator("#id_value").fill("25")
    page.locator("#id_source_url").fill("https://dti.gov.vn/xep-hang-2025")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{PROGRAMME}/coverage/$"))
    expect(_row(page, RANK).locator("td").last).not_to_have_text(rank_status)

    # The commune's reporter finds the communes' new fields in the next period's form, not the
    # departments' ones, and none of them in this one's.
    browser = page.context.browser
    assert browser is not None
    reporter_context = browser.new_context(locale="vi-VN")
    reporter = reporter_context.new_page()
    next_form = f"/reports/cds-dinh-ky-quy/{_next_quarter()}/2025/{commune_code}/"
    log_in(reporter, site_url, "xa_dl", next_form)
    for code in COMMUNE_FIELDS:
        expect(reporter.locator(f"#f-{code}")).to_be_visible()
    for code in DEPARTMENT_FIELDS:
        expect(reporter.locator(f"#f-{code}")).to_have_count(0)
    current = period_containing("quarterly", datetime.date.today(), 15).code  # noqa: DTZ011
    reporter.goto(f"{site_url}/reports/cds-dinh-ky-quy/{current}/2025/{commune_code}/")
    expect(reporter.locator("#f-tong_ho_so_cong_viec")).to_be_visible()
    expect(reporter.locator("#f-ho_gia_dinh_co_bang_rong")).to_have_count(0)
    reporter_context.close()


def test_the_coverage_page_works_on_a_phone(browser, site_url: str, commune_code: str) -> None:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    log_in(phone, site_url, "ke_hoach_dl", f"/programmes/{PROGRAMME}/coverage/")
    expect(phone.locator("#coverage")).to_be_visible()
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, page_width  # the page itself never scrolls sideways
    box = phone.locator("#plan-form button").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] >= 24
    phone.locator("#coverage input[type=checkbox]").first.check()
    phone.locator("#plan-form button").click()
    expect(phone.locator("#change-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
