"""Confidential figures leave through no public page, CSV or API answer.

Every address of the URL configuration is requested by an anonymous visitor, in both languages
and as CSV, after both data elements of an indicator have been marked confidential.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation

from lotrinh.core.formatting import format_number
from lotrinh.core.tests.routes import routes
from lotrinh.indicators.models import DataElement, Indicator, Observation
from lotrinh.orgunits.models import OrgUnit, Structure
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.publication import (
    confidential_indicators,
    published_observations,
    published_values,
)

pytestmark = pytest.mark.django_db

INDICATOR = "ho-so-cong-viec-truc-tuyen"
SECRET_OBSERVATION = Decimal("76543.21")
VARIANTS = ["", "?format=csv", "?structure=legacy", "?structure=legacy&format=csv", "?limit=500"]


def concrete(route, report):
    """The route with each placeholder filled with a real code of the same kind."""
    kind = (
        "indicator"
        if "indicators/" in route
        else "programme"
        if "programmes/" in route
        else "regime"
        if "regimes/" in route
        else "unit"
    )
    values = {
        "structure": "2025",
        "code": {
            "indicator": INDICATOR,
            "programme": "binh-dinh-05-nq-tu",
            "regime": report.regime.code,
            "unit": "52",
        }[kind],
        "regime": report.regime.code,
        "regime_code": report.regime.code,
        "period": report.period.code,
        "period_code": report.period.code,
        "unit_code": report.org_unit.code,
        "element_code": Indicator.objects.get(code=INDICATOR).numerator.code,
        "indicator": INDICATOR,
        "uidb64": "MQ",
        "token": "x",
        "name": f"{INDICATOR}-gia-lai",
        "resource_id": f"{INDICATOR}-gia-lai-csv",
        "fmt": "csv",
        "extension": "ttl",
        "task_id": "1",
        "progress_id": "1",
        "document_id": "1",
        "prepared_id": "1",
    }
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def map_values(client, structure):
    table = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/indicators/{INDICATOR}/map/", {"structure": structure, "format": "csv"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    return {row[0]: row[2] for row in table[1:] if row[2]}


def written(number):
    """The ways a page, a CSV or JSON may write a number."""
    forms = {str(number)}
    for language in ("vi", "en"):
        with translation.override(language):
            forms.add(format_number(number))
    return forms


def test_no_anonymous_address_shows_a_figure_of_a_confidential_indicator(client):
    indicator = Indicator.objects.select_related("numerator", "denominator").get(code=INDICATOR)
    Observation.objects.create(
        indicator=indicator,
        indicator_name=indicator.name,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="01"),
        year=2024,
        period_label="2024",
        value=SECRET_OBSERVATION,
        unit="%",
        source_url="https://example.org/cong-bo",
        quote="76.543,21",
        source_line=999_999,
    )
    shown = {**map_values(client, "2025"), **map_values(client, "legacy")}
    assert shown.get("52") and shown.get("01")  # Gia Lai's reports, Hà Nội's published figure
    secrets = set().union(*(written(Decimal(value)) for value in shown.values()))
    secrets |= written(SECRET_OBSERVATION)
    assert "76.543,21" in client.get(f"/indicators/{INDICATOR}/").content.decode()

    DataElement.objects.filter(pk__in=[indicator.numerator_id, indicator.denominator_id]).update(
        is_confidential=True
    )
    report = Report.objects.filter(
        status=Status.APPROVED,
        org_unit__path__startswith="2025/52/",
        values__data_element=indicator.numerator_id,
    ).select_related("regime", "period", "org_unit")[0]

    addresses = set()
    for found in routes():
        name, route = found.name, found.route
        if route.startswith("admin/") and name != "index" or route.startswith("^"):
            continue  # the admin's pages are for staff only; its index shows that it asks to log in
        address = concrete(route, report)
        addresses |= {address, "/en" + address if not address.startswith("/api/") else address}
    assert len(addresses) > 60
    for address in sorted(addresses):
        for variant in VARIANTS:
            response = client.get(address + variant)
            assert response.status_code < 500, address + variant
            text = response.content.decode("utf-8", errors="replace")
            leaked = sorted(secret for secret in secrets if secret in text)
            assert not leaked, f"{address}{variant} shows {leaked}"
    assert map_values(client, "2025") == {} and map_values(client, "legacy") == {}


def test_the_publication_filter_keeps_approved_figures_of_open_data_elements_only():
    indicator = Indicator.objects.get(code=INDICATOR)
    before = published_values().filter(data_element=indicator.denominator_id).count()
    assert before > 0
    assert not published_values().exclude(report__status=Status.APPROVED).exists()
    DataElement.objects.filter(pk=indicator.denominator_id).update(is_confidential=True)
    assert not published_values().filter(data_element=indicator.denominator_id).exists()
    assert published_values().filter(data_element=indicator.numerator_id).count() > 0
    # A ratio with a confidential denominator is confidential, and so are its published figures.
    assert confidential_indicators().filter(pk=indicator.pk).exists()
    assert not published_observations().filter(indicator=indicator).exists()
    assert published_observations().exists()
