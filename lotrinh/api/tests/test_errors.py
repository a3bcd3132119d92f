"""API errors are JSON, in Vietnamese with an English copy."""

import pytest

pytestmark = pytest.mark.django_db


def test_not_found_answers_in_both_languages(client):
    body = client.get("/api/v1/units/legacy/99999").json()
    assert body == {"detail": "Không tìm thấy.", "detail_en": "Not found."}
