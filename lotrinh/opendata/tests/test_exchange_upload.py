"""The exchange upload page: a DHIS2 or ADX file's dry run, then all of it applied, audited;
a wrong or hostile file refused in both languages with nothing written."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lotrinh.core.models import AuditEvent
from lotrinh.opendata.exchange import adx, data_value_set, published_exchange_values
from lotrinh.opendata.tests.test_exchange import approved_period, stored
from lotrinh.reporting.models import DataValue, Report

pytestmark = pytest.mark.django_db
URL = "/import/exchange/"


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("nhap-dhis2", "n@example.vn", "x"))
    return client


def _upload(client: Client, regime: str, name: str, content: bytes):
    return client.post(URL, {"regime": regime, "file": SimpleUploadedFile(name, content)})


def _written() -> tuple[int, int]:
    return DataValue.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("fmt", ["dhis2", "adx"])
def test_a_file_is_dry_run_then_applied_whole_and_audited(admin_client, fmt):
    assert reverse("opendata:exchange-import") == URL
    regime, period = approved_period()
    values = published_exchange_values(regime, period)
    content = adx(values) if fmt == "adx" else json.dumps(data_value_set(values)).encode()
    expected = stored(regime, period)
    Report.objects.filter(regime=regime, period=period).delete()  # a fresh installation
    before = _written()
    response = _upload(admin_client, regime.code, f"gia-lai.{fmt}", content)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert response.context["token"] and response.context["wrong"] == 0
    assert _written() == before  # the dry run wrote nothing
    applied = admin_client.post(URL, {"token": response.context["token"]})
    assert applied.status_code == 200 and applied.context["applied"]
    assert {(u, e, v) for u, e, v in stored(regime, period)} == {
        (u, e, v)
        for u, e, v in expected
        if (u, e) in {(x.org_unit, x.data_element) for x in values}
    }
    assert AuditEvent.objects.count() > before[1]


def test_a_figure_of_an_element_the_form_lacks_is_refused_naming_it_in_both_languages(
    admin_client,
):
    regime, period = approved_period()
    document = data_value_set(published_exchange_values(regime, period))
    document["dataValues"][0]["dataElement"] = "khong-co-truong-nay"
    before = _written()
    response = _upload(admin_client, regime.code, "sai.json", json.dumps(document).encode())
    page = response.content.decode()
    assert response.status_code == 400
    assert "khong-co-truong-nay" in page and "has no data element" in page
    assert "không có" in page
    assert _written() == before


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="&x;" period="2025-01-01/P3M"/></adx>',
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<adx xmlns="urn:ihe:qrph:adx:2015">&b;</adx>',
        b"{not json",
    ],
)
def test_a_hostile_or_malformed_file_is_refused_in_both_languages(admin_client, content):
    regime, _period = approved_period()
    before = _written()
    response = _upload(admin_client, regime.code, "x.xml", content)
    assert response.status_code == 400
    vietnamese, english = response.context["refused"]
    assert vietnamese != english and ("ADX" in english or "DHIS2" in english)
    assert "root:" not in response.content.decode()
    assert _written() == before


def test_an_expired_upload_cannot_be_applied(admin_client):
    response = admin_client.post(URL, {"token": "no-such-token"})
    assert response.status_code == 404
