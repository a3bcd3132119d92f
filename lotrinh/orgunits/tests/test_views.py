"""Unit pages as a person reads them."""

import pytest

pytestmark = pytest.mark.django_db


def test_unit_index_lists_both_structures(client):
    page = client.get("/units/").content.decode()
    assert "34" in page and "63" in page and "Tỉnh Gia Lai" in page and "Tỉnh Bình Định" in page


def test_unit_search_without_diacritics_finds_binh_dinh(client):
    page = client.get("/units/", {"q": "binh dinh"}).content.decode()
    assert "Tỉnh Bình Định" in page


def test_htmx_search_returns_only_the_results_fragment(client):
    response = client.get("/units/", {"q": "binh dinh"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body


def test_legacy_province_page_shows_validity_successor_children_and_programme(client):
    page = client.get("/units/legacy/52/").content.decode()
    assert "30/06/2025" in page
    assert "Tỉnh Gia Lai" in page  # successor
    assert "Huyện Tuy Phước" in page  # a child district
    assert "05-NQ/TU" in page  # its programme


def test_current_province_page_shows_predecessors_and_inherited_programme(client):
    page = client.get("/units/2025/52/").content.decode()
    assert "Tỉnh Bình Định" in page and "01/07/2025" in page
    assert "05-NQ/TU" in page


def test_commune_page_shows_its_parents(client):
    page = client.get("/units/legacy/21952/").content.decode()
    assert "Tỉnh Bình Định" in page and "Huyện Tuy Phước" in page and "Xã Tuy Phước" in page


def test_unknown_unit_is_a_404(client):
    assert client.get("/units/legacy/99999/").status_code == 404


def test_english_pages_are_available(client):
    page = client.get("/en/units/legacy/52/").content.decode()
    assert 'lang="en"' in page and "Tỉnh Gia Lai" in page


@pytest.mark.django_db
def test_an_unknown_structure_in_the_search_address_is_explained_and_ignored(client):
    page = client.get("/units/", {"q": "gia lai", "structure": "2099"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "“2099” is not one of the choices of the filter “Structure”" in text
    assert "Gia Lai" in text.split('role="alert"')[1]  # the search ran without the filter
