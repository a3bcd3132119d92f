"""Single sign-on end to end against a real OpenID provider (oidc-provider-mock) in a thread: the
code flow with PKCE, claims mapped to roles and units, refusals, and logout at the provider."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from oidc_provider_mock import run_server_in_thread

from lotrinh.access.claims import parse_rules
from lotrinh.access.models import ExternalIdentity, Membership, Role
from lotrinh.access.services import SIGNED_IN_WITH_PROVIDER
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

RULES = {
    "unit_claim": "unit_code",
    "role_claim": "groups",
    "roles": {"lotrinh-approver": "approver", "lotrinh-reporter": "reporter"},
    "grants": [{"claim": "groups", "value": "so-tttt", "role": "officer", "unit": "52"}],
}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(provider: str) -> Iterator[str]:
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    with override_settings(
        SSO_ENABLED=True,
        OIDC_RP_CLIENT_ID="lotrinh",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_AUTHORIZATION_ENDPOINT=discovery["authorization_endpoint"],
        OIDC_OP_TOKEN_ENDPOINT=discovery["token_endpoint"],
        OIDC_OP_USER_ENDPOINT=discovery["userinfo_endpoint"],
        OIDC_OP_JWKS_ENDPOINT=discovery["jwks_uri"],
        LOTRINH_OIDC_END_SESSION_ENDPOINT=discovery["end_session_endpoint"],
        LOTRINH_OIDC_CLAIM_RULES=json.dumps(RULES),
        AUTHENTICATION_BACKENDS=[
            *settings.AUTHENTICATION_BACKENDS,
            "lotrinh.access.oidc.ProvinceOIDCBackend",
        ],
    ):
        yield provider


def _sign_in(client: Client, provider: str, subject: str, claims: dict[str, Any], **query):
    """Goes through the provider's sign-in as `subject`; answers the callback's response and the
    authorisation request the site made."""
    requests.put(f"{provider}/users/{subject}", json=claims, timeout=10).raise_for_status()
    start = client.get("/oidc/authenticate/", query)
    assert start.status_code == 302
    authorization = start["Location"]
    at_provider = requests.post(
        authorization, data={"sub": subject}, allow_redirects=False, timeout=10
    )
    back = urlparse(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(f"{back.path}?{back.query}"), authorization


def _commune() -> OrgUnit:
    return OrgUnit.objects.filter(
        structure=Structure.CURRENT, tier=Tier.COMMUNE, path__startswith="2025/52/"
    ).order_by("code")[0]


def test_the_login_page_offers_the_province_account_only_when_configured(client, sso):
    assert "Đăng nhập bằng tài khoản tỉnh (SSO)" in client.get("/accounts/login/").text
    with override_settings(SSO_ENABLED=False):
        assert "SSO" not in client.get("/accounts/login/").text
        assert client.get("/oidc/authenticate/").status_code == 404


def test_a_province_user_signs_in_with_pkce_and_gets_the_mapped_roles_and_units(client, sso):
    commune = _commune()
    claims = {
        "preferred_username": "nguyen.van.a",
        "email": "a@gialai.gov.vn",
        "given_name": "A",
        "family_name": "Nguyễn Văn",
        "unit_code": commune.code,
        "groups": ["lotrinh-approver", "so-tttt", "unrelated"],
    }
    response, authorization = _sign_in(client, sso, "sub-a", claims, next="/reports/")

    query = parse_qs(urlparse(authorization).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256 digest
    assert response.status_code == 302 and response["Location"] == "/reports/"

    user = User.objects.get(external_identities__subject="sub-a")
    assert (user.username, user.email, user.last_name) == (
        "nguyen.van.a",
        "a@gialai.gov.vn",
        "Nguyễn Văn",
    )
    assert not user.has_usable_password()
    held = {(m.role, m.org_unit.code) for m in Membership.objects.filter(user=user)}
    assert held == {(Role.APPROVER, commune.code), (Role.OFFICER, "52")}
    assert client.get("/reports/").status_code == 200
    assert AuditEvent.objects.filter(action=SIGNED_IN_WITH_PROVIDER, target_id=user.pk).count() == 1


def test_the_challenge_is_the_s256_digest_of_the_verifier_sent_for_the_token(client, sso):
    authorization = client.get("/oidc/authenticate/")["Location"]
    query = parse_qs(urlparse(authorization).query)
    verifier = client.session["oidc_states"][query["state"][0]]["code_verifier"]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert query["code_challenge"][0] == base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_a_second_sign_in_follows_the_provider_s_changes_and_keeps_the_account(client, sso):
    commune = _commune()
    base = {"preferred_username": "tran.b", "unit_code": commune.code}
    _sign_in(client, sso, "sub-b", {**base, "groups": ["lotrinh-approver"]})
    client.logout()
    _sign_in(
        client,
        sso,
        "sub-b",
        {**base, "preferred_username": "tran.b2", "groups": ["lotrinh-reporter"]},
    )
    identity = ExternalIdentity.objects.get(subject="sub-b")
    assert User.objects.filter(external_identities__subject="sub-b").count() == 1
    assert identity.user.username == "tran.b"  # the account is the subject's, not the name's
    held = {(m.role, m.org_unit_id) for m in Membership.objects.filter(user=identity.user)}
    assert held == {(Role.REPORTER, commune.pk)}


def test_a_provider_user_never_takes_over_a_local_account_of_the_same_name(client, sso):
    local = User.objects.create_user("admin", password="local-password")
    _sign_in(client, sso, "sub-c", {"preferred_username": "admin", "groups": ["so-tttt"]})
    identity = ExternalIdentity.objects.get(subject="sub-c")
    assert identity.user != local and identity.user.username == "admin-sso"
    assert not Membership.objects.filter(user=local).exists()


@pytest.mark.parametrize(
    "claims",
    [
        {"preferred_username": "le.c", "groups": ["lotrinh-approver"]},  # a role, no unit
        {"preferred_username": "le.c", "unit_code": "52", "groups": ["other"]},  # no role
        {"preferred_username": "le.c", "unit_code": "99999", "groups": ["lotrinh-approver"]},
    ],
)
def test_claims_that_map_to_no_unit_get_a_bilingual_page_and_store_nothing(client, sso, claims):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response, _ = _sign_in(client, sso, "sub-d", claims)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "chưa có vai trò" in page.text and "has no role in a Lộ Trình unit" in page.text
    assert "le.c" in page.text
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    assert not page.wsgi_request.user.is_authenticated


def test_refused_province_sign_ins_are_not_counted_as_wrong_passwords(client, sso):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        refused, _ = _sign_in(client, sso, "sub-g", {"preferred_username": "g", "groups": ["x"]})
        assert refused["Location"] == "/accounts/sso/refused/"
    # A colleague behind the same address still signs in.
    response, _ = _sign_in(client, sso, "sub-h", {"preferred_username": "h", "groups": ["so-tttt"]})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/reports/").status_code == 200


def test_logout_ends_the_session_here_and_at_the_provider(client, sso):
    _sign_in(client, sso, "sub-e", {"preferred_username": "pham.e", "groups": ["so-tttt"]})
    id_token = client.session["oidc_id_token"]
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    end_session = urlparse(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == sso
    assert end_session.path == "/oauth2/end_session"
    query = parse_qs(end_session.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert "_auth_user_id" not in client.session
    assert client.get("/reports/").status_code == 302  # signed out here


def test_a_local_account_logs_out_without_visiting_the_provider(client, sso):
    User.objects.create_user("local", password="local-password")
    client.post("/accounts/login/", {"username": "local", "password": "local-password"})
    response = client.post("/accounts/logout/")
    assert response.status_code == 200  # Django's own "logged out" page
    assert "_auth_user_id" not in client.session


def test_claim_rules_that_cannot_be_used_are_refused_naming_the_problem():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="unknown keys"):
        parse_rules('{"unit": "x"}')
    with pytest.raises(ImproperlyConfigured, match="roles"):
        parse_rules('{"roles": {"g": "boss"}}')
    with pytest.raises(ImproperlyConfigured, match="not valid JSON"):
        parse_rules("{")
    assert parse_rules("").unit_claim == "lotrinh_unit"


@pytest.mark.parametrize(("trusted", "held"), [(True, False), (False, True)])
def test_a_provider_session_answers_lotrinh_s_second_factor_only_when_the_provider_s_is_not_trusted(
    client, sso, trusted, held
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    claims = {"preferred_username": "vo.f", "groups": ["so-tttt"]}
    _sign_in(client, sso, "sub-f", claims)
    TOTPDevice.objects.create(user=User.objects.get(username="vo.f"), name="app", confirmed=True)
    client.logout()
    with override_settings(LOTRINH_OIDC_TRUST_PROVIDER_MFA=trusted):
        _sign_in(client, sso, "sub-f", claims)
        response = client.get("/reports/")
    assert (response.status_code == 302) is held
    if held:
        assert response["Location"].startswith("/accounts/two-factor/verify/")
