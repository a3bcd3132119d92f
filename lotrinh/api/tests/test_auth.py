"""API tokens cannot be guessed: failed attempts from one address are counted and then refused."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client

from lotrinh.api.auth import issue_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/regimes"
ALLOWED_FAILURES = 10  # lotrinh.api.auth.FAILED_TOKENS


@pytest.fixture(autouse=True)
def fresh_counters():
    caches["shared"].clear()


@pytest.fixture
def token():
    return issue_token(User.objects.create_user("he-thong", password="x"), "tích hợp")[1]


def call(token, address="10.9.8.7"):
    return Client(REMOTE_ADDR=address).get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_after_ten_wrong_tokens_even_a_valid_token_is_refused_from_that_address(token):
    assert call(token).status_code == 200
    wrong = [call(f"lt_doan-{n}").status_code for n in range(ALLOWED_FAILURES)]
    assert wrong == [401] * ALLOWED_FAILURES
    refused = call(token)
    assert refused.status_code == 429
    assert "Quá nhiều lần thử" in refused.json()["detail"]
    assert "Too many attempts" in refused.json()["detail_en"]
    assert call(token, "10.9.8.8").status_code == 200


def test_valid_tokens_are_not_counted(token):
    answers = [call(token).status_code for _ in range(ALLOWED_FAILURES + 2)]
    assert answers == [200] * (ALLOWED_FAILURES + 2)


def test_behind_a_proxy_one_clients_guesses_do_not_block_another(token, settings):
    settings.LOTRINH_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def via_proxy(raw, client_address):
        return proxy.get(
            URL, HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_FORWARDED_FOR=client_address
        )

    for n in range(ALLOWED_FAILURES):
        via_proxy(f"lt_doan-{n}", "203.0.113.9")
    assert via_proxy(token, "203.0.113.9").status_code == 429
    assert via_proxy(token, "198.51.100.7").status_code == 200
