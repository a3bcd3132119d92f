"""The admin, in Vietnamese: reference units are read-only, agencies can be added under a province."""

import pytest
from django.contrib.auth.models import User

from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.invalid", "x"))
    return client


def test_admin_index_is_in_vietnamese_and_lists_every_model(admin_client):
    page = admin_client.get("/admin/").content.decode()
    for label in ["Đơn vị", "Chương trình", "Chỉ tiêu", "Mục tiêu", "Phần tử dữ liệu"]:
        assert label in page


def test_an_administrator_adds_an_agency_through_the_admin(admin_client):
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    response = admin_client.post(
        "/admin/orgunits/orgunit/add/",
        {"parent": province.pk, "name": "Ban Quản lý Khu kinh tế", "code": ""},
    )
    assert response.status_code == 302
    agency = OrgUnit.objects.get(tier=Tier.AGENCY, parent=province, name="Ban Quản lý Khu kinh tế")
    assert agency.code.startswith("52-")
    assert admin_client.get(f"/units/2025/{agency.code}/").status_code == 200


def test_loaded_units_cannot_be_edited_in_the_admin(admin_client):
    unit = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    page = admin_client.get(f"/admin/orgunits/orgunit/{unit.pk}/change/").content.decode()
    assert 'name="name"' not in page  # shown read-only


def test_every_admin_list_page_opens(admin_client):
    for model in [
        "orgunits/orgunit",
        "orgunits/orgunitsuccession",
        "indicators/programme",
        "indicators/indicator",
        "indicators/dataelement",
        "indicators/target",
        "indicators/baseline",
    ]:
        assert admin_client.get(f"/admin/{model}/").status_code == 200, model
