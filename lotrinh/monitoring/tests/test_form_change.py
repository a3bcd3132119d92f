"""From plan to form, applied: a new form version from a period on, the plan's sources, refusals."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Programme
from lotrinh.monitoring.models import DataSource
from lotrinh.monitoring.services import TargetPlan, apply_form_change, plan_form_change
from lotrinh.monitoring.signals import plan_changed
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.models import (
    FormField,
    Period,
    Report,
    ReportingRegime,
    Status,
    ValidationRule,
)
from lotrinh.reporting.periods import period_containing, period_spec
from lotrinh.reporting.queries import form_fields

pytestmark = pytest.mark.django_db

PROGRAMME = "binh-dinh-05-nq-tu"
RATIO = TargetPlan("ho-gia-dinh-phu-cap-quang", "commune", "quarterly")
FIGURE = TargetPlan("so-do-thi-thong-minh", "agency", "annual")
PUBLISHED = TargetPlan(
    "kinh-te-so-trong-grdp",
    "published",
    "annual",
    publisher="Cục Thống kê",
    reference="https://thongke.gialai.gov.vn",
)


@pytest.fixture
def programme():
    return Programme.objects.select_related("org_unit").get(code=PROGRAMME)


@pytest.fixture
def officer():
    user = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52"),
        role=Role.OFFICER,
    )
    return user


def _next_quarter() -> str:
    now = period_containing("quarterly", timezone.localdate(), 15)
    after = now.ends_on + datetime.timedelta(days=1)
    return period_containing("quarterly", after + datetime.timedelta(days=20), 15).code


def _state():
    return (
        FormField.objects.count(),
        ValidationRule.objects.count(),
        DataSource.objects.count(),
        AuditEvent.objects.filter(action__in=["form_changed", "source_set"]).count(),
    )


def test_the_proposal_is_the_diff_and_writes_nothing(programme):
    before = (*_state(), Period.objects.count())
    plan = plan_form_change(programme, [RATIO, FIGURE, PUBLISHED], _next_quarter())
    (change,) = plan.proposal.changes
    assert change.form.regime_code == "cds-dinh-ky-quy"
    assert sorted(plan.field_codes) == [
        "ho_gia_dinh_co_cap_quang",
        "so_do_thi_thong_minh",
        "tong_ho_gia_dinh",
    ]
    assert [r.expression for r in change.rules] == ["ho_gia_dinh_co_cap_quang <= tong_ho_gia_dinh"]
    assert change.tiers == {"commune", "agency"}
    assert (*_state(), Period.objects.count()) == before


def test_applying_adds_a_form_version_from_the_first_period_and_records_the_sources(
    programme, officer, django_capture_on_commit_callbacks
):
    first = _next_quarter()
    announced = []
    plan_changed.connect(
        lambda **kw: announced.append(kw["province"].code), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            apply_form_change(
                officer,
                programme,
                [RATIO, FIGURE, PUBLISHED],
                first,
                expected_fields=[
                    "ho_gia_dinh_co_cap_quang",
                    "tong_ho_gia_dinh",
                    "so_do_thi_thong_minh",
                ],
            )
    finally:
        plan_changed.disconnect(dispatch_uid="t")
    assert announced == ["52"]  # once, for the plan province
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    period = Period.objects.get(regime=regime, code=first)
    earlier = Period.objects.filter(regime=regime, starts_on__lt=period.starts_on).last()
    new_codes = {"ho_gia_dinh_co_cap_quang", "tong_ho_gia_dinh", "so_do_thi_thong_minh"}
    assert new_codes <= {f.data_element.code for f in form_fields(regime, period, None)}
    assert not new_codes & {f.data_element.code for f in form_fields(regime, earlier, None)}
    added = FormField.objects.filter(regime=regime, data_element__code__in=new_codes)
    assert {f.valid_from for f in added} == {period.starts_on}
    # each required of the tier that reports it, and on the form of that tier's units only
    assert {f.data_element.code: (f.tiers, f.is_required) for f in added} == {
        "ho_gia_dinh_co_cap_quang": (["commune"], True),
        "tong_ho_gia_dinh": (["commune"], True),
        "so_do_thi_thong_minh": (["agency"], True),
    }
    commune_form = {f.data_element.code for f in form_fields(regime, period, Tier.COMMUNE)}
    agency_form = {f.data_element.code for f in form_fields(regime, period, Tier.AGENCY)}
    assert "so_do_thi_thong_minh" not in commune_form and "so_do_thi_thong_minh" in agency_form
    assert "tong_ho_gia_dinh" in commune_form and "tong_ho_gia_dinh" not in agency_form
    assert "tong_ho_so_cong_viec" in commune_form & agency_form  # every tier's line
    rule = regime.rules.get(expression="ho_gia_dinh_co_cap_quang <= tong_ho_gia_dinh")
    assert (rule.valid_from, rule.valid_until) == (period.starts_on, None)
    assert regime.rules.filter(expression="ho_gia_dinh_co_cap_quang <= tong_ho_gia_dinh").exists()
    sources = {
        s.indicator.code: s for s in DataSource.objects.select_related("indicator", "regime")
    }
    assert (sources[RATIO.indicator].regime.code, sources[RATIO.indicator].reporting_tiers) == (
        "cds-dinh-ky-quy",
        ["commune"],
    )
    assert sources[RATIO.indicator].first_period == first
    assert sources[FIGURE.indicator].first_period == first[:4]  # annual: the year it starts in
    assert sources[PUBLISHED.indicator].kind == "published"
    event = AuditEvent.objects.get(action="form_changed")
    assert (event.actor_id, event.field, event.target_id) == (officer.pk, first, regime.pk)


def _refused(officer, programme, targets, first, words, **kwargs):
    before = _state()
    with pytest.raises(UserFacingError) as refused:
        apply_form_change(officer, programme, targets, first, **kwargs)
    assert words in refused.value.text("en")
    assert refused.value.text("vi") != refused.value.text("en")
    assert _state() == before
    return refused.value


def test_an_unknown_element_code_is_refused_and_nothing_changes(programme, officer):
    _refused(
        officer, programme, [RATIO], _next_quarter(), "so_khong_co", expected_fields=["so_khong_co"]
    )


def test_a_frequency_no_regime_can_carry_is_refused_and_nothing_changes(programme, officer):
    monthly = TargetPlan("ho-gia-dinh-phu-cap-quang", "commune", "monthly")
    _refused(officer, programme, [FIGURE, monthly], _next_quarter(), "Monthly")


def test_a_closed_period_is_refused_and_nothing_changes(programme, officer):
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    closed = regime.periods.order_by("starts_on").first()
    closed.is_locked = True
    closed.save()
    _refused(officer, programme, [RATIO], closed.code, "already closed")


def test_a_period_with_submitted_reports_is_refused(programme, officer):
    submitted = Report.objects.filter(
        regime__code="cds-dinh-ky-quy", status=Status.APPROVED
    ).first()
    submitted.period.is_locked = False
    submitted.period.save()
    _refused(officer, programme, [RATIO], submitted.period.code, "submitted")


def test_a_published_figure_without_its_publisher_is_refused(programme, officer):
    bare = TargetPlan("kinh-te-so-trong-grdp", "published", "annual")
    _refused(officer, programme, [RATIO, bare], _next_quarter(), "publishes")


def test_someone_outside_the_province_may_not_apply(programme):
    stranger = User.objects.create_user("la", password="x")
    with pytest.raises(PermissionDenied):
        apply_form_change(stranger, programme, [RATIO], _next_quarter())
    assert not FormField.objects.filter(
        data_element__code="ho_gia_dinh_co_cap_quang", regime__code="cds-dinh-ky-quy"
    ).exists()


def test_a_period_before_the_regime_is_refused(programme, officer):
    first = period_spec("quarterly", 2019, 1).code
    _refused(officer, programme, [RATIO], first, "no period")


def test_the_coverage_page_offers_to_plan_ticked_targets_and_the_diff_page_shows_the_change(
    client, officer, programme
):
    client.force_login(officer)
    coverage = client.get(f"/programmes/{PROGRAMME}/coverage/").content.decode()
    assert 'form="plan-form"' in coverage and 'value="ho-gia-dinh-phu-cap-quang"' in coverage
    before = _state()
    page = client.get(
        f"/programmes/{PROGRAMME}/form-change/",
        {"indicator": [RATIO.indicator, FIGURE.indicator], "first_period": _next_quarter()},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        'data-code="ho_gia_dinh_co_cap_quang"' in body
        and "ho_gia_dinh_co_cap_quang &lt;= tong_ho_gia_dinh" in body
    )
    assert _state() == before  # the diff writes nothing


def test_the_diff_page_applies_the_change_and_explains_a_refusal(client, officer, programme):
    client.force_login(officer)
    address = f"/programmes/{PROGRAMME}/form-change/"
    fields = ["ho_gia_dinh_co_cap_quang", "tong_ho_gia_dinh"]
    before = _state()
    refused = client.post(
        address,
        {"indicator": RATIO.indicator, "first_period": "2019Q1", "field": fields},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400
    assert "không có kỳ Quý I/2019" in refused.content.decode()
    assert _state() == before
    applied = client.post(
        address, {"indicator": RATIO.indicator, "first_period": _next_quarter(), "field": fields}
    )
    assert applied.status_code == 302
    assert DataSource.objects.filter(indicator__code=RATIO.indicator, kind="reported").exists()


def test_the_api_proposes_then_applies(client, officer, programme):
    client.force_login(officer)
    body = {
        "targets": [vars(RATIO), vars(PUBLISHED)],
        "first_period": _next_quarter(),
        "dry_run": True,
    }
    address = f"/api/v1/programmes/{PROGRAMME}/form-change"
    proposed = client.post(address, body, content_type="application/json")
    assert proposed.status_code == 200
    (change,) = proposed.json()["changes"]
    assert [f["code"] for f in change["fields_added"]] == [
        "ho_gia_dinh_co_cap_quang",
        "tong_ho_gia_dinh",
    ]
    assert proposed.json()["applied"] is False and not DataSource.objects.exists()
    bad = client.post(
        address,
        {**body, "dry_run": False, "expected_fields": ["khong_co"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and not DataSource.objects.exists()
    applied = client.post(
        address,
        {**body, "dry_run": False, "expected_fields": [f["code"] for f in change["fields_added"]]},
        content_type="application/json",
    )
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert DataSource.objects.count() == 2
