"""The programmes, targets and indicators API over the five sample programmes, and its schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lotrinh.core.text import collapse_whitespace
from lotrinh.indicators.models import Baseline, Indicator, Programme, Target

pytestmark = pytest.mark.django_db

API = "/api/v1"
BINH_DINH = "binh-dinh-05-nq-tu"
ALL_CODES = {
    "bac-giang-111-nq-tu",
    "ben-tre-01-nq-tu",
    BINH_DINH,
    "hoa-binh-08-nq-tu",
    "phu-yen-1728-qd-ubnd",
}
WORK_FILES_ONLINE = "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng"


def get_json(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def codes(page: dict[str, Any]) -> set[str]:
    return {item["code"] for item in page["items"]}


def test_the_programme_list_has_the_five_sample_programmes(client: Client) -> None:
    page = get_json(client, f"{API}/programmes")
    assert page["count"] == 5
    assert codes(page) == ALL_CODES
    assert sum(item["target_count"] for item in page["items"]) == 142


def test_binh_dinh_programme_is_found_from_its_successor_province_gia_lai(client: Client) -> None:
    page = get_json(client, f"{API}/programmes", province="52", structure="2025")
    assert page["count"] == 1
    programme = page["items"][0]
    assert programme["code"] == BINH_DINH
    assert programme["number"] == "05-NQ/TU"
    assert programme["org_unit"] == {
        "structure": "legacy",
        "code": "52",
        "name": "Tỉnh Bình Định",
        "tier": "province",
    }
    assert [(u["structure"], u["code"]) for u in programme["successor_provinces"]] == [
        ("2025", "52")
    ]
    assert programme["target_count"] == 37


def test_the_province_filter_defaults_to_the_2025_structure(client: Client) -> None:
    assert codes(get_json(client, f"{API}/programmes", province="52")) == {BINH_DINH}


@pytest.mark.parametrize(
    ("province", "expected"),
    [("52", {BINH_DINH}), ("64", set()), ("54", {"phu-yen-1728-qd-ubnd"})],
)
def test_a_legacy_province_sees_only_its_own_programmes(
    client: Client, province: str, expected: set[str]
) -> None:
    page = get_json(client, f"{API}/programmes", province=province, structure="legacy")
    assert codes(page) == expected
    assert page["count"] == len(expected)


def test_an_unknown_province_in_the_filter_answers_404(client: Client) -> None:
    response = client.get(f"{API}/programmes", {"province": "99", "structure": "2025"})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("query", ["05-NQ/TU", "05-nq/tu", "nghi quyet 05-nq/tu binh"])
def test_programmes_can_be_searched_by_number_without_diacritics(
    client: Client, query: str
) -> None:
    assert codes(get_json(client, f"{API}/programmes", q=query)) == {BINH_DINH}


@pytest.mark.parametrize("query", ["binh dinh", "Bình Định", "BINH DINH"])
def test_searching_a_province_name_finds_its_programme_with_or_without_diacritics(
    client: Client, query: str
) -> None:
    # Every word must match somewhere, not the phrase: Hòa Bình's title "… định hướng …" also
    # contains "binh" and "dinh", so it is found too.
    assert BINH_DINH in codes(get_json(client, f"{API}/programmes", q=query))
    assert "ben-tre-01-nq-tu" not in codes(get_json(client, f"{API}/programmes", q=query))


def test_programme_detail_has_the_full_document_text_and_its_baselines(client: Client) -> None:
    detail = get_json(client, f"{API}/programmes/{BINH_DINH}")
    programme = Programme.objects.get(code=BINH_DINH)
    assert detail["document_text"] == programme.document_text
    assert len(detail["document_text"]) > 5000
    assert detail["source_note"] == programme.source_note
    assert detail["target_count"] == 37
    assert detail["issued_on"] == "2021-09-20"
    assert len(detail["baselines"]) == 2
    assert {(b["year"], b["value"], b["rank_total"]) for b in detail["baselines"]} == {
        (2019, "13.0000", 63),
        (2020, "24.0000", 63),
    }
    for baseline in detail["baselines"]:
        assert collapse_whitespace(baseline["text"]) in collapse_whitespace(detail["document_text"])


def test_phu_yen_detail_carries_its_18_baselines_and_no_one_elses(client: Client) -> None:
    detail = get_json(client, f"{API}/programmes/phu-yen-1728-qd-ubnd")
    assert len(detail["baselines"]) == 18
    assert sum(len(get_json(client, f"{API}/programmes/{c}")["baselines"]) for c in ALL_CODES) == 20


@pytest.mark.parametrize("path", ["/programmes/khong-co", "/programmes/khong-co/targets"])
def test_an_unknown_programme_answers_404_in_json(client: Client, path: str) -> None:
    response = client.get(API + path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_binh_dinh_has_37_targets_in_source_order(client: Client) -> None:
    page = get_json(client, f"{API}/programmes/{BINH_DINH}/targets", limit=100)
    assert page["count"] == len(page["items"]) == 37
    assert {item["programme"]["code"] for item in page["items"]} == {BINH_DINH}
    ids = [item["id"] for item in page["items"]]
    expected = Target.objects.filter(programme__code=BINH_DINH).order_by("source_line")
    assert ids == list(expected.values_list("id", flat=True))


def test_every_target_points_at_its_excerpt_in_the_document(client: Client) -> None:
    document = get_json(client, f"{API}/programmes/{BINH_DINH}")["document_text"]
    for target in get_json(client, f"{API}/programmes/{BINH_DINH}/targets", limit=100)["items"]:
        excerpt = document[target["text_start"] : target["text_end"]]
        assert collapse_whitespace(excerpt) == collapse_whitespace(target["text"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pillar": "government"}, 16),
        ({"pillar": "economy"}, 12),
        ({"pillar": "society"}, 6),
        ({"pillar": "foundation"}, 3),
        ({"year": 2025}, 22),
        ({"year": 2030}, 14),
        ({"year": 2019}, 0),
    ],
)
def test_programme_targets_filter_by_pillar_and_year_as_reviewed(
    client: Client, params: dict[str, Any], expected: int
) -> None:
    page = get_json(client, f"{API}/programmes/{BINH_DINH}/targets", limit=100, **params)
    assert page["count"] == len(page["items"]) == expected
    for name, value in params.items():
        assert {item[name] for item in page["items"]} <= {value}


@pytest.mark.parametrize("level", ["tỉnh", "huyện", "xã"])
def test_programme_targets_filter_by_administrative_level(client: Client, level: str) -> None:
    page = get_json(client, f"{API}/programmes/{BINH_DINH}/targets", level=level, limit=100)
    expected = Target.objects.filter(programme__code=BINH_DINH, level=level).count()
    assert page["count"] == expected > 0
    assert {item["level"] for item in page["items"]} == {level}


def test_filters_combine_and_the_path_wins_over_a_programme_parameter(client: Client) -> None:
    page = get_json(
        client,
        f"{API}/programmes/{BINH_DINH}/targets",
        pillar="government",
        year=2025,
        programme="phu-yen-1728-qd-ubnd",
        limit=100,
    )
    expected = Target.objects.filter(programme__code=BINH_DINH, pillar="government", year=2025)
    assert page["count"] == expected.count() > 0
    assert {item["programme"]["code"] for item in page["items"]} == {BINH_DINH}


def test_a_year_that_is_not_a_number_is_refused_as_invalid_input(client: Client) -> None:
    response = client.get(f"{API}/programmes/{BINH_DINH}/targets", {"year": "hai nghin"})
    assert response.status_code == 422


def test_targets_paginate_with_limit_and_offset(client: Client) -> None:
    url = f"{API}/programmes/{BINH_DINH}/targets"
    whole = get_json(client, url, limit=20)
    halves = (
        get_json(client, url, limit=10)["items"]
        + get_json(client, url, limit=10, offset=10)["items"]
    )
    assert [t["id"] for t in halves] == [t["id"] for t in whole["items"]]
    assert get_json(client, url, offset=35)["count"] == 37
    assert len(get_json(client, url, offset=35)["items"]) == 2


def test_targets_of_the_work_files_online_indicator_come_from_all_five_programmes(
    client: Client,
) -> None:
    indicator = Indicator.objects.get(name=WORK_FILES_ONLINE)
    page = get_json(client, f"{API}/targets", indicator=indicator.code, limit=500)
    assert {item["programme"]["code"] for item in page["items"]} == ALL_CODES
    assert page["count"] == Target.objects.filter(indicator=indicator).count()
    assert {item["indicator"]["code"] for item in page["items"]} == {indicator.code}
    commune_2025 = get_json(
        client, f"{API}/targets", indicator=indicator.code, year=2025, level="xã", limit=500
    )
    assert commune_2025["count"] > 0
    assert {(t["year"], t["level"]) for t in commune_2025["items"]} == {(2025, "xã")}


def test_the_targets_list_without_filters_counts_all_142(client: Client) -> None:
    assert get_json(client, f"{API}/targets")["count"] == 142


def test_an_unknown_indicator_code_in_the_targets_filter_gives_an_empty_page(
    client: Client,
) -> None:
    assert get_json(client, f"{API}/targets", indicator="khong-co") == {"items": [], "count": 0}


@pytest.mark.parametrize("query", ["ho so cong viec", "hồ sơ công việc", "HO SO CONG VIEC"])
def test_indicators_are_searched_with_or_without_diacritics(client: Client, query: str) -> None:
    page = get_json(client, f"{API}/indicators", q=query, limit=500)
    assert WORK_FILES_ONLINE in {item["name"] for item in page["items"]}


def test_indicators_filter_by_pillar_and_count_the_whole_catalogue(client: Client) -> None:
    everything = get_json(client, f"{API}/indicators")
    assert everything["count"] == Indicator.objects.count()
    economy = get_json(client, f"{API}/indicators", pillar="economy", limit=500)
    assert economy["count"] == Indicator.objects.filter(pillar="economy").count() > 0
    assert {item["pillar"] for item in economy["items"]} == {"economy"}


def test_indicator_detail_shows_its_ratio_formula(client: Client) -> None:
    indicator = Indicator.objects.get(name=WORK_FILES_ONLINE)
    detail = get_json(client, f"{API}/indicators/{indicator.code}")
    assert (detail["code"], detail["name"], detail["unit"]) == (
        indicator.code,
        WORK_FILES_ONLINE,
        "%",
    )
    assert detail["computation"] == "ratio"
    assert indicator.numerator is not None and indicator.denominator is not None
    assert detail["numerator"]["code"] == indicator.numerator.code
    assert detail["denominator"]["code"] == indicator.denominator.code
    assert isinstance(detail["aliases"], list)


def test_an_unknown_indicator_answers_404_in_json(client: Client) -> None:
    response = client.get(f"{API}/indicators/khong-co")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_api_does_not_change_the_database(client: Client) -> None:
    counts = [m.objects.count() for m in (Programme, Target, Baseline, Indicator)]
    get_json(client, f"{API}/programmes/{BINH_DINH}")
    get_json(client, f"{API}/targets", limit=500)
    assert [m.objects.count() for m in (Programme, Target, Baseline, Indicator)] == counts


def test_the_openapi_description_is_json_with_the_documented_operation_ids(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    operations = {
        operation["operationId"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert operations >= {
        "units_list",
        "units_detail",
        "programmes_list",
        "programmes_detail",
        "programmes_targets",
        "indicators_list",
        "indicators_detail",
        "targets_list",
    }
    assert "/api/v1/programmes/{code}/targets" in schema["paths"]


def test_reviewers_notes_reach_only_those_who_manage_the_programme(client: Client) -> None:
    from django.contrib.auth.models import User

    from lotrinh.access.models import Membership, Role
    from lotrinh.orgunits.models import OrgUnit, Structure

    url = f"{API}/programmes/{BINH_DINH}/targets"
    noted = Target.objects.filter(programme__code=BINH_DINH).exclude(note="").count()
    assert noted > 0
    anonymous = get_json(client, url, limit=100)["items"]
    assert [t["note"] for t in anonymous if t["note"]] == []
    user = User.objects.create_user("officer", password="x")
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    viewer = Membership.objects.create(user=user, org_unit=gia_lai, role=Role.VIEWER)
    client.force_login(user)
    assert not any(t["note"] for t in get_json(client, url, limit=100)["items"])
    viewer.delete()
    Membership.objects.create(user=user, org_unit=gia_lai, role=Role.OFFICER)
    assert sum(1 for t in get_json(client, url, limit=100)["items"] if t["note"]) == noted
