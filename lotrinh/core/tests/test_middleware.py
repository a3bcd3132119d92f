"""A NUL character in an address or a JSON body is refused before any view or query sees it."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["/api/v1/units?q=a%00b", "/api/v1/units/2025/5%002", "/api/v1/indicators?pillar=%00"],
)
def test_the_api_refuses_a_nul_character_in_both_languages(client, address):
    response = client.get(address)
    assert response.status_code == 400
    body = response.json()
    assert "NUL" in body["detail"] and "NUL" in body["detail_en"]
    assert body["detail"] != body["detail_en"]


@pytest.mark.django_db
def test_a_page_refuses_a_nul_character_with_the_bad_request_page(client):
    response = client.get("/units/?q=binh%00dinh")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_addresses_pass(client):
    assert client.get("/api/v1/units?q=binh dinh&limit=1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ['{"reference": "a\\u0000b"}', '{"reference": "a\\\\\\u0000"}', '{"a": "\x00"}']
)
def test_a_json_body_with_a_nul_character_is_refused_in_both_languages(client, text):
    response = client.post("/api/v1/published-figures", text, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "NUL" in body["detail"] and "NUL" in body["detail_en"]
    assert body["detail"] != body["detail_en"]


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_not_a_nul(client):
    # "a\\u0000" is the text a, a backslash and u0000: nothing to refuse here.
    response = client.post(
        "/api/v1/published-figures", '{"reference": "a\\\\u0000"}', content_type="application/json"
    )
    assert response.status_code != 400 or "NUL" not in response.json()["detail_en"]
