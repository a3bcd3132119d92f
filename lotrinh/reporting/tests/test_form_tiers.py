"""A field only some tiers report is on the form of those tiers' units only, for every reader; a
rule applies from a period on, like a field, and only to units whose form carries its figures."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from lotrinh.access.models import Membership, Role
from lotrinh.core.errors import UserFacingError
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.errors import ReportError
from lotrinh.reporting.integrity import check_data_values
from lotrinh.reporting.models import DataValue, FormField, Period, Report, ValidationRule
from lotrinh.reporting.queries import element_specs, form_fields, form_rules, rule_specs
from lotrinh.reporting.regimes import ensure_periods, load_regimes
from lotrinh.reporting.services import (
    Actor,
    ReportFigures,
    open_report,
    save_many,
    save_values,
    validate_report,
)
from lotrinh.reporting.tests.conftest import DEPARTMENT_FIELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_reporter(agency):
    user = User.objects.create_user("so", password="x")
    Membership.objects.create(user=user, org_unit=agency, role=Role.REPORTER)
    return Actor(user, "10.0.0.9", "web")


def _codes(fields):
    return [f.data_element.code for f in fields]


def test_a_commune_s_form_has_no_department_field_and_a_department_s_has_it(
    regime, open_period, department_field
):
    assert DEPARTMENT_FIELD not in _codes(form_fields(regime, open_period, Tier.COMMUNE))
    assert DEPARTMENT_FIELD in _codes(form_fields(regime, open_period, Tier.AGENCY))
    assert DEPARTMENT_FIELD in _codes(form_fields(regime, open_period, None))  # the whole form
    assert "tong_ho_so_cong_viec" in _codes(form_fields(regime, open_period, Tier.COMMUNE))
    assert DEPARTMENT_FIELD not in {
        s.code for s in element_specs(regime, open_period, Tier.COMMUNE)
    }


def test_required_only_of_the_tiers_that_report_it(
    regime, open_period, department_field, clean_period, reporter, commune, agency_reporter, agency
):
    commune_report = open_report(reporter, regime, open_period, commune)
    agency_report = open_report(agency_reporter, regime, open_period, agency)
    missing = {(i.field, i.code) for i in validate_report(commune_report).issues}
    assert (DEPARTMENT_FIELD, "required") not in missing
    assert (DEPARTMENT_FIELD, "required") in {
        (i.field, i.code) for i in validate_report(agency_report).issues
    }


def test_a_commune_cannot_save_a_department_figure(
    regime, open_period, department_field, clean_period, reporter, commune
):
    report = open_report(reporter, regime, open_period, commune)
    with pytest.raises(ReportError) as refused:
        save_values(reporter, report, {"tong_ho_so_cong_viec": "5", DEPARTMENT_FIELD: "2"})
    assert (
        refused.value.text("en")
        == f"These figures are not on this report's form: {DEPARTMENT_FIELD}."
    )
    assert not DataValue.objects.filter(report=report).exists()  # nothing of the save is kept


def test_a_department_saves_its_figure(
    regime, open_period, department_field, clean_period, agency_reporter, agency
):
    report = open_report(agency_reporter, regime, open_period, agency)
    save_values(agency_reporter, report, {DEPARTMENT_FIELD: "2"})
    assert DataValue.objects.get(report=report, data_element__code=DEPARTMENT_FIELD).value == 2
    assert check_data_values().off_tier == 0


def test_save_many_refuses_a_figure_of_another_tier_naming_element_unit_and_period(
    regime, open_period, department_field, clean_period, reporter, commune
):
    values = {"tong_ho_so_cong_viec": Decimal(5), DEPARTMENT_FIELD: Decimal(1)}
    batch = ReportFigures(commune.pk, None, values, dict.fromkeys(values))
    with pytest.raises(ReportError) as refused, transaction.atomic():
        save_many(reporter, regime, open_period, [batch])
    with translation.override("en"):
        label = open_period.label
    assert refused.value.text("en") == (
        f"{commune.name} does not report “{DEPARTMENT_FIELD}” for {label}: that figure is on the form "
        "of other tiers' units only."
    )
    assert "không báo cáo" in refused.value.text("vi")
    assert not Report.objects.filter(regime=regime, period=open_period, org_unit=commune).exists()


def test_check_data_counts_a_figure_held_by_a_unit_of_another_tier(
    regime, open_period, department_field, clean_period, reporter, commune
):
    report = open_report(reporter, regime, open_period, commune)
    DataValue.objects.create(report=report, data_element=department_field.data_element, value=1)
    found = check_data_values()
    assert (found.off_tier, found.off_form, found.ok) == (1, 0, False)


def test_the_commune_reporter_s_web_form_has_no_department_field(
    client, regime, open_period, department_field, reporter, commune, agency_reporter, agency
):
    def page(actor, unit):
        client.force_login(actor.user)
        url = reverse(
            "reporting:report-form", args=[regime.code, open_period.code, unit.structure, unit.code]
        )
        return client.get(url).content.decode()

    assert f'id="f-{DEPARTMENT_FIELD}"' not in page(reporter, commune)
    assert f'id="f-{DEPARTMENT_FIELD}"' in page(agency_reporter, agency)


def test_the_commune_s_autosave_of_a_department_field_is_refused(
    client, regime, open_period, department_field, clean_period, reporter, commune
):
    client.force_login(reporter.user)
    url = reverse(
        "reporting:report-form", args=[regime.code, open_period.code, "2025", commune.code]
    )
    response = client.post(
        url, {DEPARTMENT_FIELD: "3"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=DEPARTMENT_FIELD
    )
    assert response.status_code == 404
    assert not DataValue.objects.filter(data_element__code=DEPARTMENT_FIELD).exists()


def test_the_api_gives_a_unit_s_form(
    client, regime, open_period, department_field, reporter, commune
):
    client.force_login(reporter.user)
    base = f"/api/v1/regimes/{regime.code}?period={open_period.code}"
    of_commune = client.get(f"{base}&structure=2025&unit={commune.code}").json()
    whole = client.get(base).json()
    assert DEPARTMENT_FIELD not in [f["code"] for f in of_commune["fields"]]
    field = next(f for f in whole["fields"] if f["code"] == DEPARTMENT_FIELD)
    assert field["reporting_tiers"] == ["agency"]
    assert len(whole["fields"]) == len(of_commune["fields"]) + 1


def test_the_api_refuses_a_unit_the_caller_may_not_see(
    client, regime, open_period, department_field, reporter, gia_lai
):
    client.force_login(reporter.user)
    other = OrgUnit.objects.filter(tier=Tier.COMMUNE, structure="2025").exclude(
        in_subtree(gia_lai.path)
    )[0]
    answer = client.get(f"/api/v1/regimes/{regime.code}?structure=2025&unit={other.code}")
    assert answer.status_code == 403


def test_a_rule_over_a_department_field_does_not_check_a_commune(
    regime, open_period, department_field
):
    ValidationRule.objects.create(
        regime=regime,
        code="trung-tam",
        expression=f"{DEPARTMENT_FIELD} <= tong_ho_so_cong_viec",
        message_vi="a",
        message_en="b",
    )
    assert "trung-tam" not in {r.code for r in rule_specs(regime, open_period, Tier.COMMUNE)}
    assert "trung-tam" in {r.code for r in rule_specs(regime, open_period, Tier.AGENCY)}


def test_a_rule_applies_from_its_first_period_on(regime, open_period):
    ensure_periods(regime, open_period.ends_on + datetime.timedelta(days=40))
    later = Period.objects.filter(regime=regime, starts_on__gt=open_period.starts_on).first()
    ValidationRule.objects.create(
        regime=regime,
        code="tu-ky-sau",
        expression="ho_so_cong_viec_dien_tu <= tong_ho_so_cong_viec",
        message_vi="a",
        message_en="b",
        valid_from=later.starts_on,
    )
    assert "tu-ky-sau" not in {r.code for r in rule_specs(regime, open_period, None)}
    assert "tu-ky-sau" in {r.code for r in rule_specs(regime, later, Tier.COMMUNE)}
    assert "tu-ky-sau" in {r.code for r in form_rules(regime, None, None)}  # every period


def test_a_regimes_file_naming_a_tier_the_regime_does_not_report_is_refused(tmp_path, regime):
    path = tmp_path / "regimes.toml"
    path.write_text(
        '[[regime]]\ncode = "thu"\nname = "Thử"\ncontent = "x"\nfrequency = "annual"\n'
        'reporting_tiers = ["commune"]\nreceiving_unit = "Sở"\nfirst_year = 2025\n'
        '  [[regime.field]]\n  element = "tong_ho_so_cong_viec"\n  tiers = ["agency"]\n',
        encoding="utf-8",
    )
    with pytest.raises(UserFacingError) as refused:
        load_regimes(path)
    assert refused.value.text("en") == (
        "Regime thu: “agency” of field tong_ho_so_cong_viec is not one of its reporting tiers."
    )
    assert not FormField.objects.filter(regime__code="thu").exists()
