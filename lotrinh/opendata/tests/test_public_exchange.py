"""The figures behind an open dataset, as DHIS2 dataValueSets and ADX at public addresses: only
approved, non-confidential figures, cacheable, and a file taken from them imports back."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lotrinh.indicators.models import Indicator
from lotrinh.opendata.catalogue import INDICATOR, list_datasets
from lotrinh.opendata.exchange import plan_exchange, read_adx, read_data_value_set
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import write_check
from lotrinh.reporting.models import DataElement, DataValue, Report, ReportingRegime, Status
from lotrinh.reporting.services import Actor

pytestmark = pytest.mark.django_db


def _dataset():
    """Gia Lai's open dataset of a ratio reported by its units."""
    for dataset in list_datasets():
        if dataset.kind == INDICATOR and dataset.organisation.code == "52":
            indicator = Indicator.objects.get(code=dataset.indicator_code)
            if indicator.numerator_id and dataset.organisation.structure == "2025":
                return dataset, indicator
    raise AssertionError("no reported indicator dataset of Gia Lai")


def _get(client: Client, name: str, fmt: str, **headers: str):
    return client.get(reverse("opendata:download", args=[name, fmt]), headers=headers)


def _figures(document: dict) -> set[tuple[str, str, str, Decimal]]:
    return {
        (v["dataElement"], v["period"], v["orgUnit"], Decimal(v["value"]).normalize())
        for v in document["dataValues"]
    }


def test_only_approved_figures_of_the_dataset_are_exchanged_and_cacheable(client):
    dataset, indicator = _dataset()
    response = _get(client, dataset.name, "dhis2")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    exported = _figures(json.loads(response.content))
    assert exported
    elements = {indicator.numerator.code, indicator.denominator.code}
    province = OrgUnit.objects.get(pk=dataset.organisation.pk)
    in_province = DataValue.objects.filter(
        report__org_unit__path__startswith=province.path,
        data_element__code__in=elements,
        value__isnull=False,
    )
    approved = {
        (e, p, u, v.normalize())
        for e, p, u, v in in_province.filter(report__status=Status.APPROVED).values_list(
            "data_element__code", "report__period__code", "report__org_unit__code", "value"
        )
    }
    assert exported == approved
    drafts = in_province.exclude(report__status=Status.APPROVED).values_list(
        "data_element__code", "report__period__code", "report__org_unit__code"
    )
    assert drafts, "the sample has figures not approved yet"
    assert not set(drafts) & {(e, p, u) for e, p, u, _v in exported}
    # The same figures as ADX, and a client asking again gets 304.
    adx = _get(client, dataset.name, "adx")
    assert adx["Content-Type"] == "application/adx+xml"
    assert {
        (v.data_element, v.period, v.org_unit, Decimal(v.value).normalize())
        for v in read_adx(adx.content)
    } == exported
    again = _get(client, dataset.name, "dhis2", if_none_match=response["ETag"])
    assert again.status_code == 304
    page = client.get(reverse("opendata:dataset-detail", args=[dataset.name])).content.decode()
    assert reverse("opendata:download", args=[dataset.name, "adx"]) in page


def test_a_confidential_element_takes_its_figures_out_of_the_exchange(client):
    dataset, indicator = _dataset()
    DataElement.objects.filter(pk=indicator.numerator_id).update(is_confidential=True)
    for fmt in ("dhis2", "adx"):
        assert _get(client, dataset.name, fmt).status_code == 404


def test_a_file_from_the_public_address_imports_back_with_the_same_figures(client):
    dataset, _indicator = _dataset()
    raw = _get(client, dataset.name, "dhis2").content
    exported = _figures(json.loads(raw))
    values = read_data_value_set(raw)
    by_regime = defaultdict(list)
    for value in values:
        by_regime[value.data_set].append(value)
    # A fresh installation: none of those reports exist.
    units = {v.org_unit for v in values}
    Report.objects.filter(org_unit__code__in=units, regime__code__in=by_regime).delete()
    admin = User.objects.create_superuser("nhap-dhis2", "n@example.vn", "x")
    with transaction.atomic():
        for code, found in by_regime.items():
            regime = ReportingRegime.objects.get(code=code)
            for plan in plan_exchange(found, regime, write_check(admin)):
                assert not plan.plan.errors, plan.plan.errors[:3]
                apply_plan(Actor(admin, None, "import"), regime, plan.period, plan.plan)
    imported = {
        (e, p, u, v.normalize())
        for e, p, u, v in DataValue.objects.filter(
            report__org_unit__code__in=units,
            data_element__code__in={v.data_element for v in values},
        )
        .exclude(value__isnull=True)
        .values_list(
            "data_element__code", "report__period__code", "report__org_unit__code", "value"
        )
    }
    assert imported == exported
