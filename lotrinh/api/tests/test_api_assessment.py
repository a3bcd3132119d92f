"""The assessment API: statuses with every figure, for those who may see the province's data."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from lotrinh.access.models import Membership, Role
from lotrinh.api.auth import issue_token
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db
URL = "/api/v1/programmes/binh-dinh-05-nq-tu/assessments"


def viewer_of(code: str) -> User:
    user = User.objects.create_user(f"viewer{code}", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code=code),
        role=Role.VIEWER,
    )
    return user


def test_the_merged_province_reads_every_assessment_with_its_figures(client: Client) -> None:
    client.force_login(viewer_of("52"))
    body = client.get(URL).json()
    assert len(body) == 37
    statuses = {item["status"] for item in body}
    assert len(statuses) >= 3
    computed = [
        item
        for item in body
        if item["status"] not in {"achieved", "not_achieved", "insufficient_data"}
        and item["reason"] != "annual_target"
        and item["forecast_value"] is not None
    ]
    assert computed and all(item["ratio"] is not None and item["series"] for item in computed)
    assert all(item["explanation"] for item in body)


def test_codes_come_with_their_words(client: Client) -> None:
    """Machine fields keep the codes; the *_label fields say them in the caller's language."""
    client.force_login(viewer_of("52"))
    body = client.get(URL).json()
    assert {item["method"] for item in body} == {"statcan_cagr"}
    assert all("Thống kê Canada" in item["method_label"] for item in body)
    assert {item["status_label"] for item in body if item["status"] == "achieved"} <= {"Đạt"}
    noted = [item for item in body if "approximate_split_communes" in item["notes"]]
    assert noted and all(
        len(item["note_labels"]) == len(item["notes"])
        and not any("_" in label for label in item["note_labels"])
        for item in noted
    )


def test_a_system_with_a_token_may_read_it_too(client: Client) -> None:
    _token, raw = issue_token(viewer_of("52"), "dashboard")
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_another_province_and_anonymous_callers_may_not(client: Client) -> None:
    assert client.get(URL).status_code == 401
    client.force_login(viewer_of("24"))
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["detail_en"]
