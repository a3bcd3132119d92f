"""Signing in with the province account in a real browser, against a real OpenID provider
(oidc-provider-mock, in a thread of the test process) and a server configured for it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from tests.browser.conftest import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def sso_site_url(site_env: dict[str, str], provider: str) -> Iterator[str]:
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    env = site_env | {
        "LOTRINH_OIDC_CLIENT_ID": "lotrinh",
        "LOTRINH_OIDC_CLIENT_SECRET": "secret",
        "LOTRINH_OIDC_AUTHORIZATION_ENDPOINT": discovery["authorization_endpoint"],
        "LOTRINH_OIDC_TOKEN_ENDPOINT": discovery["token_endpoint"],
        "LOTRINH_OIDC_USERINFO_ENDPOINT": discovery["userinfo_endpoint"],
        "LOTRINH_OIDC_JWKS_ENDPOINT": discovery["jwks_uri"],
        "LOTRINH_OIDC_END_SESSION_ENDPOINT": discovery["end_session_endpoint"],
        "LOTRINH_OIDC_CLAIM_RULES": json.dumps({"unit_claim": "unit", "role_claim": "groups"}),
    }
    with serving(env) as url:
        yield url


def test_a_province_user_signs_in_with_the_province_account_and_out_again(
    page, sso_site_url, provider
):
    claims = {"preferred_username": "nguyen.tinh", "unit": "52", "groups": ["approver"]}
    requests.put(f"{provider}/users/nguyen.tinh", json=claims, timeout=10).raise_for_status()

    page.goto(f"{sso_site_url}/accounts/login/?next=/reports/")
    page.get_by_role("button", name="Đăng nhập bằng tài khoản tỉnh (SSO)").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*")
    page.fill("input[name=sub]", "nguyen.tinh")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(f"{sso_site_url}/reports/")
    expect(page.locator("a.account")).to_have_text("nguyen.tinh")

    page.locator("form.logout button").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*")
    page.goto(f"{sso_site_url}/reports/")
    expect(page).to_have_url(f"{sso_site_url}/accounts/login/?next=/reports/")
