"""DHIS2 dataValueSets and ADX: exported figures import back with the same figures, through the
import's own dry run; wrong files are refused whole with the element, unit and period named."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from lotrinh.opendata.exchange import (
    ExchangeError,
    adx,
    data_value_set,
    plan_exchange,
    published_exchange_values,
    read_adx,
    read_data_value_set,
)
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import write_check
from lotrinh.reporting.models import DataValue, Report, Status
from lotrinh.reporting.services import Actor

pytestmark = pytest.mark.django_db


def approved_period():
    report = (
        Report.objects.filter(status=Status.APPROVED, org_unit__path__startswith="2025/52/")
        .select_related("regime", "period")
        .order_by("-period__cutoff_to")
        .first()
    )
    return report.regime, report.period


def stored(regime, period):
    return {
        (unit, element, value.normalize())
        for unit, element, value in DataValue.objects.filter(
            report__regime=regime, report__period=period, value__isnull=False
        ).values_list("report__org_unit__code", "data_element__code", "value")
    }


def test_a_data_value_set_exported_imports_back_into_an_empty_period_with_the_same_figures():
    regime, period = approved_period()
    values = published_exchange_values(regime, period)
    assert values and all(v.period == period.code for v in values)
    exported = json.dumps(data_value_set(values)).encode()
    before = {(u, e, v) for u, e, v in stored(regime, period)}
    assert {(v.org_unit, v.data_element) for v in values} <= {(u, e) for u, e, _v in before}

    Report.objects.filter(regime=regime, period=period).delete()  # a fresh installation
    assert stored(regime, period) == set()
    admin = User.objects.create_superuser("nhap-dhis2", "n@example.vn", "x")
    plans = plan_exchange(read_data_value_set(exported), regime, write_check(admin))
    assert [p.period for p in plans] == [period]
    assert not plans[0].plan.errors, plans[0].plan.errors[:3]
    assert stored(regime, period) == set()  # the dry run wrote nothing
    apply_plan(Actor(admin, None, "import"), regime, period, plans[0].plan)
    exported_figures = {(v.org_unit, v.data_element, Decimal(v.value).normalize()) for v in values}
    assert stored(regime, period) == exported_figures


def test_adx_carries_the_same_figures_with_iso_periods():
    regime, period = approved_period()
    values = published_exchange_values(regime, period)
    document = adx(values)
    assert b'xmlns="urn:ihe:qrph:adx:2015"' in document and b"/P3M" in document
    assert read_adx(document) == values


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"dataElement": "khong-co-truong-nay"}, "khong-co-truong-nay"),
        ({"period": "2031Q4"}, "2031Q4"),
        ({"period": "2025Q7"}, "2025Q7"),
    ],
)
def test_a_wrong_code_or_period_is_refused_naming_it_and_nothing_is_written(change, named):
    regime, period = approved_period()
    values = data_value_set(published_exchange_values(regime, period))
    values["dataValues"][0] |= change
    before = stored(regime, period)
    with pytest.raises(ExchangeError) as refused:
        plan_exchange(read_data_value_set(json.dumps(values).encode()), regime, write_check(None))
    assert named in str(refused.value)
    unit = values["dataValues"][0]["orgUnit"]
    assert unit in str(refused.value)
    assert stored(regime, period) == before


def test_a_wrong_figure_is_an_error_of_the_dry_run():
    regime, period = approved_period()
    values = data_value_set(published_exchange_values(regime, period))
    values["dataValues"][0]["value"] = "nhiều"
    plans = plan_exchange(
        read_data_value_set(json.dumps(values).encode()), regime, write_check(None)
    )
    assert plans[0].plan.errors


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not a DHIS2 dataValueSets"),
        (b'{"dataValues": {}}', "dataValues"),
        (b'{"dataValues": [{"dataElement": "x", "orgUnit": "52", "value": "1"}]}', "period"),
    ],
)
def test_a_malformed_file_is_refused_in_both_languages(raw, message):
    with pytest.raises(ExchangeError) as refused:
        read_data_value_set(raw)
    assert message in refused.value.text("en")
    assert refused.value.text("vi") != refused.value.text("en")


def test_an_adx_file_with_a_wrong_period_names_the_unit():
    document = (
        b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2025-01-01T00:00:00Z">'
        b'<group dataSet="x" orgUnit="21952" period="2025-02-01/P3M">'
        b'<dataValue dataElement="a" value="1"/></group></adx>'
    )
    with pytest.raises(ExchangeError) as refused:
        read_adx(document)
    assert "21952" in str(refused.value) and "2025-02-01/P3M" in str(refused.value)


def test_the_command_exports_and_dry_runs_a_file(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    regime, period = approved_period()
    out = StringIO()
    call_command("exchange_values", "export", regime=regime.code, period=period.code, stdout=out)
    path = tmp_path / "values.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert json.loads(out.getvalue())["dataValues"]
    before = stored(regime, period)
    report = StringIO()
    call_command("exchange_values", "import", str(path), regime=regime.code, stdout=report)
    assert f"{period.code}: " in report.getvalue() and "0 errors" in report.getvalue()
    assert stored(regime, period) == before
