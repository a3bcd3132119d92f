"""A form changes from a period on: which fields a period's reports carry, for every reader."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotrinh.indicators.models import DataElement
from lotrinh.reporting.errors import ReportError
from lotrinh.reporting.integrity import check_data_values
from lotrinh.reporting.models import DataValue, FormField, Period, Report
from lotrinh.reporting.queries import element_specs, form_fields, in_force
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.services import open_report, save_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_element(db):
    return DataElement.objects.create(code="so_thon_co_wifi", name="Số thôn có wifi công cộng")


def _add(regime, element, valid_from=None, valid_until=None):
    return FormField.objects.create(
        regime=regime,
        data_element=element,
        position=99,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _next(period):
    ensure_periods(period.regime, period.ends_on + datetime.timedelta(days=31))
    return Period.objects.filter(regime=period.regime, starts_on__gt=period.starts_on).first()


def test_a_field_from_a_later_period_is_not_on_this_period_s_form(
    regime, open_period, new_element, reporter, commune
):
    later = open_period.ends_on + datetime.timedelta(days=1)
    _add(regime, new_element, valid_from=later)
    codes = [f.data_element.code for f in form_fields(regime, open_period, None)]
    assert "so_thon_co_wifi" not in codes
    assert "tong_ho_so_cong_viec" in codes
    assert "so_thon_co_wifi" not in {s.code for s in element_specs(regime, open_period, None)}
    Report.objects.filter(regime=regime, org_unit=commune, period=open_period).delete()
    report = open_report(reporter, regime, open_period, commune)
    with pytest.raises(ReportError) as refused:
        save_values(reporter, report, {"so_thon_co_wifi": "3"})
    assert "so_thon_co_wifi" in refused.value.text("en")
    assert not DataValue.objects.filter(report=report, data_element=new_element).exists()


def test_a_field_from_this_period_on_is_on_the_form_and_saves(
    regime, open_period, new_element, reporter, commune
):
    _add(regime, new_element, valid_from=open_period.starts_on)
    assert "so_thon_co_wifi" in [
        f.data_element.code for f in form_fields(regime, open_period, None)
    ]
    Report.objects.filter(regime=regime, org_unit=commune, period=open_period).delete()
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, {"so_thon_co_wifi": "3"})
    assert DataValue.objects.get(report=report, data_element=new_element).value == 3
    assert check_data_values().off_form == 0


def test_an_ended_field_stays_readable_for_the_periods_it_applied_to(regime, open_period):
    """A figure of an earlier period keeps its field when the form drops it later."""
    earlier = Period.objects.filter(regime=regime, ends_on__lt=open_period.starts_on).last()
    held = DataValue.objects.filter(report__period=earlier, report__regime=regime).first()
    assert held is not None  # the sample's illustrative reports
    regime.fields.filter(data_element=held.data_element).update(valid_until=earlier.ends_on)
    assert held.data_element in [f.data_element for f in form_fields(regime, earlier, None)]
    assert held.data_element not in [f.data_element for f in form_fields(regime, open_period, None)]
    assert (
        check_data_values().off_form
        == DataValue.objects.filter(
            report__regime=regime,
            report__period__ends_on__gt=earlier.ends_on,
            data_element=held.data_element,
        ).count()
    )


def test_the_regime_page_says_from_which_period_a_field_applies(
    client, regime, open_period, new_element
):
    nxt = _next(open_period)
    _add(regime, new_element, valid_from=nxt.starts_on)
    page = client.get(f"/reports/regimes/{regime.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    with translation.override(page.headers.get("Content-Language", "vi")):
        expected = gettext("from %(first)s") % {"first": nxt.label}
    assert expected in page.content.decode()


def test_the_api_gives_a_period_s_form(client, regime, open_period, new_element, reporter):
    client.force_login(reporter.user)
    nxt = _next(open_period)
    _add(regime, new_element, valid_from=nxt.starts_on)
    now = client.get(f"/api/v1/regimes/{regime.code}?period={open_period.code}").json()
    then = client.get(f"/api/v1/regimes/{regime.code}?period={nxt.code}").json()
    every = client.get(f"/api/v1/regimes/{regime.code}").json()
    assert "so_thon_co_wifi" not in [f["code"] for f in now["fields"]]
    added = [f for f in then["fields"] if f["code"] == "so_thon_co_wifi"]
    assert added and added[0]["valid_from"] == nxt.starts_on.isoformat()
    assert len(every["fields"]) == len(then["fields"])


@given(
    start=st.one_of(st.none(), st.dates(datetime.date(2024, 1, 1), datetime.date(2028, 12, 31))),
    length=st.one_of(st.none(), st.integers(0, 800)),
    period_index=st.integers(0, 15),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_one_rule_of_validity_for_a_field_and_for_the_query(regime, start, length, period_index):
    """FormField.applies_to (one field) and in_force (the query) state the same rule."""
    periods = list(regime.periods.order_by("starts_on"))
    period = periods[min(period_index, len(periods) - 1)]
    until = None if length is None or start is None else start + datetime.timedelta(length)
    field = regime.fields.order_by("position").first()
    field.valid_from, field.valid_until = start, until
    field.save()
    in_query = regime.fields.filter(
        in_force(period.starts_on, period.ends_on), pk=field.pk
    ).exists()
    assert in_query == field.applies_to(period)
