"""From plan to form for a target whose indicator has no element in the shared catalogue: the
office proposes new data elements, checked, created with the form version (audited once, all or
nothing), through the page and the API."""

import json

import pytest

from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Computation, DataElement, Indicator
from lotrinh.monitoring.models import DataSource
from lotrinh.monitoring.services import (
    NewElementInput,
    TargetPlan,
    apply_form_change,
    plan_form_change,
    proposed_elements,
)
from lotrinh.monitoring.tests.test_form_change import (
    PROGRAMME,
    PUBLISHED,
    RATIO,
    _next_quarter,
    _state,
    officer,
    programme,
)
from lotrinh.orgunits.models import Tier
from lotrinh.reporting.models import FormField, ReportingRegime
from lotrinh.reporting.queries import form_fields, rule_specs

pytestmark = pytest.mark.django_db
__all__ = ["officer", "programme"]  # fixtures shared with the form change tests

BARE = "so-do-thi-thong-minh"  # a direct figure, made here to have no catalogue element
CITIES = NewElementInput("value", "so_do_thi_tm", "Số đô thị thông minh", "đô thị")
SHARE = (
    NewElementInput("numerator", "so_do_thi_tm_dat", "Số đô thị đạt chuẩn thông minh", "đô thị"),
    NewElementInput("denominator", "tong_so_do_thi", "Tổng số đô thị", "đô thị"),
)


@pytest.fixture
def bare(db):
    indicator = Indicator.objects.get(code=BARE)
    indicator.reported_as = None
    indicator.save(update_fields=["reported_as"])
    return indicator


def _target(*elements, how="agency", frequency="annual"):
    return TargetPlan(BARE, how, frequency, new_elements=tuple(elements))


def _everything():
    return (*_state(), DataElement.objects.count(), Indicator.objects.get(code=BARE).reported_as_id)


def test_lotrinh_proposes_codes_and_names_from_the_indicator(bare):
    (value,) = proposed_elements(bare, ratio=False)
    assert (value.role, value.code, value.name, value.unit, value.value_type) == (
        "value",
        "so_do_thi_thong_minh",
        "Số đô thị thông minh",
        "đô thị",
        "integer",
    )
    numerator, denominator = proposed_elements(bare, ratio=True)
    assert (numerator.code, denominator.code) == (
        "so_do_thi_thong_minh_tu_so",
        "so_do_thi_thong_minh_mau_so",
    )
    assert numerator.name == "Tử số: Số đô thị thông minh"


def test_without_new_elements_the_bare_indicator_cannot_be_reported(programme, officer, bare):
    with pytest.raises(UserFacingError) as refused:
        plan_form_change(programme, [_target()], _next_quarter())
    assert "has no data element to report yet" in refused.value.text("en")


def test_a_new_figure_is_created_with_the_form_version_and_audited_once(programme, officer, bare):
    first = _next_quarter()
    plan = apply_form_change(
        officer, programme, [_target(CITIES)], first, expected_fields=["so_do_thi_tm"]
    )
    element = DataElement.objects.get(code="so_do_thi_tm")
    assert (element.name, element.unit, element.value_type, element.min_value) == (
        "Số đô thị thông minh",
        "đô thị",
        "integer",
        0,
    )
    assert Indicator.objects.get(code=BARE).reported_as == element
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    field = FormField.objects.get(regime=regime, data_element=element)
    assert (field.tiers, field.is_required) == (["agency"], True)
    period = plan.first_periods[regime.code]
    assert "so_do_thi_tm" not in {
        f.data_element.code for f in form_fields(regime, period, Tier.COMMUNE)
    }
    assert DataSource.objects.get(indicator=bare).kind == "reported"
    (event,) = AuditEvent.objects.filter(action="form_changed")
    assert json.loads(event.new_value)["elements_created"] == {BARE: {"value": "so_do_thi_tm"}}
    (change,) = plan.proposal.changes
    assert [(f.element.code, f.element.is_new) for f in change.added] == [("so_do_thi_tm", True)]


def test_a_new_ratio_is_two_elements_with_the_rule_from_the_first_period(programme, officer, bare):
    first = _next_quarter()
    plan = apply_form_change(officer, programme, [_target(*SHARE, how="commune")], first)
    indicator = Indicator.objects.get(code=BARE)
    assert indicator.computation == Computation.RATIO
    assert (indicator.numerator.code, indicator.denominator.code) == (
        "so_do_thi_tm_dat",
        "tong_so_do_thi",
    )
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    period = plan.first_periods[regime.code]
    rule = regime.rules.get(expression="so_do_thi_tm_dat <= tong_so_do_thi")
    assert rule.valid_from == period.starts_on
    earlier = regime.periods.filter(starts_on__lt=period.starts_on).last()
    assert rule.code not in {r.code for r in rule_specs(regime, earlier, None)}
    assert rule.code in {r.code for r in rule_specs(regime, period, Tier.COMMUNE)}
    assert rule.code not in {r.code for r in rule_specs(regime, period, Tier.AGENCY)}


@pytest.mark.parametrize(
    ("elements", "message"),
    [
        (
            [NewElementInput("value", "Số-đô-thị", "Số đô thị")],
            "“Số-đô-thị” cannot be a data element code: use lower-case letters without "
            "accents, digits and _, starting with a letter, at most 80 characters "
            "(so_trung_tam_du_lieu).",
        ),
        (
            [NewElementInput("value", "tong_ho_gia_dinh", "Số đô thị")],
            "The data element code “tong_ho_gia_dinh” is already taken: choose another.",
        ),
        (
            [NewElementInput("value", "so_do_thi_tm", "  ")],
            "Give the new data element “so_do_thi_tm” of “Số đô thị thông minh” a name.",
        ),
        (
            [NewElementInput("value", "so_do_thi_tm", "Số đô thị", value_type="text")],
            "“text” is not a value type: use integer, decimal or percent.",
        ),
        (
            [SHARE[0], NewElementInput("denominator", "so_do_thi_tm_dat", "Tổng")],
            "The data element code “so_do_thi_tm_dat” is already taken: choose another.",
        ),
        (
            [CITIES, SHARE[0]],
            "Give “Số đô thị thông minh” either one new data element (a figure reported as is) "
            "or a numerator and a denominator (a ratio).",
        ),
        (
            [NewElementInput("value", "so_do_thi_tm", "Số đô thị", unit="x" * 61)],
            "The name (at most 300 characters) or the unit (at most 60) of the new data "
            "element “so_do_thi_tm” is too long.",
        ),
    ],
)
def test_a_bad_new_element_is_refused_in_both_languages_and_nothing_changes(
    programme, officer, bare, elements, message
):
    before = _everything()
    with pytest.raises(UserFacingError) as refused:
        apply_form_change(officer, programme, [_target(*elements)], _next_quarter())
    assert refused.value.text("en") == message
    assert refused.value.text("vi") != message
    assert _everything() == before


def test_an_indicator_with_elements_needs_no_new_one(programme, officer):
    target = TargetPlan(RATIO.indicator, "commune", "quarterly", new_elements=SHARE)
    with pytest.raises(UserFacingError) as refused:
        plan_form_change(programme, [target], _next_quarter())
    name = Indicator.objects.get(code=RATIO.indicator).name
    assert refused.value.text("en") == (
        f"“{name}” already has its data elements in the catalogue: it needs no new one."
    )


def test_all_or_nothing_a_later_refusal_creates_no_element(programme, officer, bare):
    no_publisher = TargetPlan(PUBLISHED.indicator, "published", "annual")
    before = _everything()
    with pytest.raises(UserFacingError):
        apply_form_change(officer, programme, [_target(CITIES), no_publisher], _next_quarter())
    assert _everything() == before
    assert not DataElement.objects.filter(code="so_do_thi_tm").exists()


def test_the_diff_page_proposes_elements_and_applies_them(client, officer, programme, bare):
    client.force_login(officer)
    address = f"/programmes/{PROGRAMME}/form-change/"
    query = {"indicator": BARE, f"how-{BARE}": "agency", "first_period": _next_quarter()}
    shown = client.get(address, query).content.decode()
    assert f'name="value-code-{BARE}" value="so_do_thi_thong_minh"' in shown
    refused = client.get(address, query, HTTP_ACCEPT_LANGUAGE="vi")  # the proposed code is taken
    assert refused.status_code == 400
    chosen = query | {
        f"value-code-{BARE}": "so_do_thi_tm",
        f"value-name-{BARE}": "Số đô thị thông minh",
        f"value-unit-{BARE}": "đô thị",
        f"value-type-{BARE}": "integer",
    }
    diff = client.get(address, chosen)
    assert diff.status_code == 200
    assert 'data-code="so_do_thi_tm"' in diff.content.decode()
    assert 'class="new-in-catalogue"' in diff.content.decode()
    assert not DataElement.objects.filter(code="so_do_thi_tm").exists()  # the diff writes nothing
    applied = client.post(address, chosen | {"field": ["so_do_thi_tm"]})
    assert applied.status_code == 302
    assert Indicator.objects.get(code=BARE).reported_as.code == "so_do_thi_tm"


def test_the_api_creates_new_elements_with_the_form_change(client, officer, programme, bare):
    client.force_login(officer)
    target = {
        "indicator": BARE,
        "how": "agency",
        "frequency": "annual",
        "new_elements": [vars(CITIES)],
    }
    address = f"/api/v1/programmes/{PROGRAMME}/form-change"
    body = {"targets": [target], "first_period": _next_quarter()}
    proposed = client.post(address, body | {"dry_run": True}, content_type="application/json")
    assert proposed.status_code == 200
    (change,) = proposed.json()["changes"]
    assert change["fields_added"] == [
        {
            "code": "so_do_thi_tm",
            "name": "Số đô thị thông minh",
            "is_required": True,
            "reporting_tiers": ["agency"],
            "is_new_element": True,
        }
    ]
    assert not DataElement.objects.filter(code="so_do_thi_tm").exists()
    bad = {**target, "new_elements": [{**vars(CITIES), "code": "Sai Mã"}]}
    refused = client.post(address, {**body, "targets": [bad]}, content_type="application/json")
    assert refused.status_code == 400 and not DataElement.objects.filter(code="Sai Mã").exists()
    applied = client.post(
        address, body | {"expected_fields": ["so_do_thi_tm"]}, content_type="application/json"
    )
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert Indicator.objects.get(code=BARE).reported_as.code == "so_do_thi_tm"
