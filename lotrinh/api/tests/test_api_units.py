"""The units API over the real unit tree: search, filters, pagination, the tree and the crosswalk."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, SuccessionKind

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units"


def get_json(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def refs(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["structure"], item["code"]) for item in items]


@pytest.mark.parametrize("query", ["binh dinh", "BINH DINH", "Bình Định", "  binh   dinh "])
def test_searching_binh_dinh_with_or_without_diacritics_finds_legacy_province_52_first(
    client: Client, query: str
) -> None:
    page = get_json(client, UNITS, q=query)
    first = page["items"][0]
    assert (first["structure"], first["code"], first["name"]) == ("legacy", "52", "Tỉnh Bình Định")
    assert first["tier"] == "province"
    assert first["parent"] is None
    assert first["valid_to"] == "2025-06-30"
    assert page["count"] >= 2  # communes named Bình Định in the 2025 structure too


def test_a_search_that_matches_nothing_returns_an_empty_page(client: Client) -> None:
    assert get_json(client, UNITS, q="khong co dau ca xyzzy") == {"items": [], "count": 0}


@pytest.mark.parametrize(("structure", "provinces"), [("legacy", 63), ("2025", 34)])
def test_filtering_by_structure_and_tier_returns_exactly_those_provinces(
    client: Client, structure: str, provinces: int
) -> None:
    page = get_json(client, UNITS, structure=structure, tier="province", limit=100)
    assert page["count"] == provinces
    assert len(page["items"]) == provinces
    assert {(item["structure"], item["tier"]) for item in page["items"]} == {
        (structure, "province")
    }


def test_filtering_legacy_districts_by_name_finds_tuy_phuoc(client: Client) -> None:
    page = get_json(client, UNITS, q="tuy phuoc", structure="legacy", tier="district")
    assert refs(page["items"]) == [("legacy", "550")]
    assert page["items"][0]["parent"]["code"] == "52"


def test_limit_and_offset_page_through_the_same_ordered_list(client: Client) -> None:
    params = {"structure": "legacy", "tier": "province"}
    whole = get_json(client, UNITS, limit=10, offset=0, **params)
    first = get_json(client, UNITS, limit=4, offset=0, **params)
    second = get_json(client, UNITS, limit=6, offset=4, **params)
    assert whole["count"] == first["count"] == second["count"] == 63
    assert (len(first["items"]), len(second["items"])) == (4, 6)
    assert refs(first["items"]) + refs(second["items"]) == refs(whole["items"])


def test_an_offset_past_the_end_gives_no_items_but_the_full_count(client: Client) -> None:
    page = get_json(client, UNITS, structure="2025", tier="province", offset=1000)
    assert page == {"items": [], "count": 34}


def test_the_default_page_holds_50_units_of_the_whole_tree(client: Client) -> None:
    page = get_json(client, UNITS)
    assert len(page["items"]) == 50
    assert page["count"] == OrgUnit.objects.count()


def test_a_limit_above_the_maximum_is_refused_as_invalid_input(client: Client) -> None:
    response = client.get(UNITS, {"limit": 100000})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_a_legacy_commune_in_tuy_phuoc_lists_province_then_district_as_ancestors(
    client: Client,
) -> None:
    commune = OrgUnit.objects.filter(structure="legacy", parent__code="550").first()
    assert commune is not None
    unit = get_json(client, f"{UNITS}/legacy/{commune.code}")
    assert (unit["code"], unit["name"], unit["tier"]) == (commune.code, commune.name, "commune")
    assert refs(unit["ancestors"]) == [("legacy", "52"), ("legacy", "550")]
    assert [a["name"] for a in unit["ancestors"]] == ["Tỉnh Bình Định", "Huyện Tuy Phước"]
    assert unit["parent"]["name"] == "Huyện Tuy Phước"
    assert unit["children_count"] == 0
    assert unit["predecessors"] == []
    assert [link["unit"]["structure"] for link in unit["successors"]] == ["2025"] * len(
        unit["successors"]
    )


def test_a_province_has_no_ancestors_and_counts_its_children(client: Client) -> None:
    unit = get_json(client, f"{UNITS}/legacy/52")
    assert unit["ancestors"] == []
    assert (
        unit["children_count"]
        == OrgUnit.objects.filter(parent__structure="legacy", parent__code="52").count()
        > 0
    )


def test_the_children_of_tuy_phuoc_are_its_communes_and_agree_with_the_parent_filter(
    client: Client,
) -> None:
    children = get_json(client, f"{UNITS}/legacy/550/children", limit=100)
    assert (
        children["count"] == OrgUnit.objects.filter(structure="legacy", parent__code="550").count()
    )
    assert children["count"] > 5
    assert {item["parent"]["code"] for item in children["items"]} == {"550"}
    assert {item["tier"] for item in children["items"]} == {"commune"}
    filtered = get_json(client, UNITS, parent="550", structure="legacy", limit=100)
    assert sorted(refs(filtered["items"])) == sorted(refs(children["items"]))
    detail = get_json(client, f"{UNITS}/legacy/550")
    assert detail["children_count"] == children["count"]


def test_legacy_binh_dinh_went_wholly_into_current_gia_lai(client: Client) -> None:
    links = get_json(client, f"{UNITS}/legacy/52/successors")
    assert len(links) == 1
    link = links[0]
    assert link["unit"] == {
        "structure": "2025",
        "code": "52",
        "name": "Tỉnh Gia Lai",
        "tier": "province",
    }
    assert (link["kind"], link["is_default"], link["effective_on"]) == (
        "merged",
        True,
        "2025-07-01",
    )
    assert get_json(client, f"{UNITS}/legacy/52")["successors"] == links


def test_current_gia_lai_was_formed_from_legacy_binh_dinh_and_legacy_gia_lai(
    client: Client,
) -> None:
    links = get_json(client, f"{UNITS}/2025/52/predecessors")
    provinces = {
        (link["unit"]["code"], link["unit"]["name"], link["kind"])
        for link in links
        if link["unit"]["tier"] == "province"
    }
    assert provinces == {("52", "Tỉnh Bình Định", "merged"), ("64", "Tỉnh Gia Lai", "merged")}
    assert {link["unit"]["structure"] for link in links} == {"legacy"}
    detail = get_json(client, f"{UNITS}/2025/52")
    assert detail["predecessors"] == links
    assert detail["valid_from"] == "2025-07-01"


def test_a_partly_merged_legacy_commune_has_several_successors_and_one_default(
    client: Client,
) -> None:
    split = (
        OrgUnit.objects.filter(structure="legacy", tier="commune")
        .filter(successor_links__kind=SuccessionKind.PARTLY)
        .annotate(links=Count("successor_links"))
        .filter(links__gte=2)
        .order_by("code")
        .first()
    )
    assert split is not None
    links = get_json(client, f"{UNITS}/legacy/{split.code}/successors")
    assert len(links) >= 2
    assert len(links) == OrgUnitSuccession.objects.filter(predecessor=split).count()
    assert [link["is_default"] for link in links].count(True) == 1
    assert links[0]["is_default"] is True  # the main successor comes first
    assert {link["kind"] for link in links} == {"partly"}
    assert {link["unit"]["tier"] for link in links} == {"commune"}


@pytest.mark.parametrize(
    "path",
    [
        "/legacy/99999",
        "/2025/550",  # district codes exist only in the legacy structure
        "/1990/52",
        "/legacy/99999/children",
        "/legacy/99999/successors",
        "/2025/99999/predecessors",
    ],
)
def test_an_unknown_unit_answers_404_in_json(client: Client, path: str) -> None:
    response = client.get(UNITS + path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
