"""The provider's back-channel logout (OpenID Connect Back-Channel Logout 1.0): people sign in
through a real provider (oidc-provider-mock, which sends no logout tokens), then the test signs
logout tokens with its own key, served as the provider's JWKS by a server in the test."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from lotrinh.access import oidc
from lotrinh.access.models import ExternalIdentity, ProviderSession
from lotrinh.access.oidc import BACKCHANNEL_LOGOUT_EVENT
from lotrinh.access.services import LOGGED_OUT_BY_PROVIDER
from lotrinh.core.models import AuditEvent

from .test_sso import _sign_in, provider, sso  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

KEY_ID = "logout-test-key"
PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ADDRESS = "/oidc/backchannel-logout/"
CLAIMS = {"preferred_username": "dinh.k", "groups": ["so-tttt"]}


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    """The provider's keys as a JWKS document, served over HTTP as a provider publishes them."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]})

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks"
    server.shutdown()


@pytest.fixture
def logout(sso, jwks_url) -> Iterator[str]:  # noqa: F811  (the imported fixture)
    """Single sign-on with back-channel logout on: the provider's issuer, keys from `jwks_url`
    once people have signed in (their ID tokens are checked with the provider's own keys)."""
    with override_settings(LOTRINH_OIDC_ISSUER=sso):
        yield sso


def _keys(jwks_url: str):
    return override_settings(OIDC_OP_JWKS_ENDPOINT=jwks_url)


def _token(issuer: str, key: Any = PROVIDER_KEY, headers: dict | None = None, **claims: Any) -> str:
    body = {
        "iss": issuer,
        "aud": "lotrinh",
        "iat": int(time.time()),
        "jti": uuid.uuid4().hex,
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        **claims,
    }
    body = {name: value for name, value in body.items() if value is not None}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": KEY_ID, **(headers or {})})


def _signed_in(provider_url: str, subject: str) -> Client:
    client = Client()
    response, _ = _sign_in(client, provider_url, subject, {**CLAIMS, "preferred_username": subject})
    assert response.status_code == 302 and client.get("/reports/").status_code == 200
    return client


def _still_signed_in(client: Client) -> bool:
    return client.get("/reports/").status_code == 200


def test_a_logout_token_for_a_person_ends_every_session_of_theirs_and_no_other(logout, jwks_url):
    phone, laptop = _signed_in(logout, "sub-k"), _signed_in(logout, "sub-k")
    colleague = _signed_in(logout, "sub-l")
    User.objects.create_user("local", password="local-password")
    local = Client()
    local.post("/accounts/login/", {"username": "local", "password": "local-password"})
    assert ProviderSession.objects.filter(identity__subject="sub-k").count() == 2

    with _keys(jwks_url):
        response = Client().post(ADDRESS, {"logout_token": _token(logout, sub="sub-k")})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert not _still_signed_in(phone) and not _still_signed_in(laptop)
    assert _still_signed_in(colleague) and _still_signed_in(local)
    assert not ProviderSession.objects.filter(identity__subject="sub-k").exists()
    person = ExternalIdentity.objects.get(subject="sub-k").user
    event = AuditEvent.objects.get(action=LOGGED_OUT_BY_PROVIDER)
    assert (event.target_id, event.changes["sessions"], event.actor) == (person.pk, 2, None)


def test_a_logout_token_for_a_provider_session_ends_that_session_only(logout, jwks_url):
    phone, laptop = _signed_in(logout, "sub-m"), _signed_in(logout, "sub-m")
    # oidc-provider-mock's ID tokens carry no `sid`; a provider that has one gives it at sign-in.
    ProviderSession.objects.filter(session_key=phone.session.session_key).update(sid="sid-phone")
    with _keys(jwks_url):
        response = Client().post(ADDRESS, {"logout_token": _token(logout, sid="sid-phone")})
    assert response.status_code == 200
    assert not _still_signed_in(phone) and _still_signed_in(laptop)


@pytest.mark.parametrize(
    ("case", "refusal"),
    [
        ("another key", "Signature verification failed"),
        ("another issuer", "issuer"),
        ("another client", "Audience"),
        ("an hour old", "five minutes"),
        ("no event", "events"),
        ("a nonce", "nonce"),
        ("no sid or sub", "neither"),
        ("no jti", "jti"),
        ("HS256", "RS256"),
        ("not a token", "not valid"),
    ],
)
def test_a_logout_token_that_does_not_hold_is_refused_and_ends_nothing(
    logout, jwks_url, case, refusal
):
    person = _signed_in(logout, "sub-n")
    token = {
        "another key": lambda: _token(logout, key=OTHER_KEY, sub="sub-n"),
        "another issuer": lambda: _token("https://evil.example", sub="sub-n"),
        "another client": lambda: _token(logout, sub="sub-n", aud="other-client"),
        "an hour old": lambda: _token(logout, sub="sub-n", iat=int(time.time()) - 3600),
        "no event": lambda: _token(logout, sub="sub-n", events={"other": {}}),
        "a nonce": lambda: _token(logout, sub="sub-n", nonce="n"),
        "no sid or sub": lambda: _token(logout),
        "no jti": lambda: _token(logout, sub="sub-n", jti=None),
        "HS256": lambda: jwt.encode({"iss": logout, "sub": "sub-n"}, "k" * 32, "HS256"),
        "not a token": lambda: "not-a-token",
    }[case]()
    events = AuditEvent.objects.count()
    with _keys(jwks_url):
        response = Client().post(ADDRESS, {"logout_token": token})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert refusal in response.json()["error_description"]
    assert _still_signed_in(person)
    assert ProviderSession.objects.filter(identity__subject="sub-n").count() == 1
    assert AuditEvent.objects.count() == events


def test_a_logout_token_is_used_once(logout, jwks_url):
    _signed_in(logout, "sub-o")
    token = _token(logout, sub="sub-o")
    with _keys(jwks_url):
        assert Client().post(ADDRESS, {"logout_token": token}).status_code == 200
        again = Client().post(ADDRESS, {"logout_token": token})
    assert again.status_code == 400 and "already used" in again.json()["error_description"]


def test_without_the_provider_s_issuer_the_address_does_not_exist(sso):  # noqa: F811
    assert Client().post(ADDRESS, {"logout_token": "x"}).status_code == 404


def test_logging_out_here_forgets_the_provider_session(logout):
    client = _signed_in(logout, "sub-p")
    client.post("/accounts/logout/")
    assert not ProviderSession.objects.filter(identity__subject="sub-p").exists()


REDIS_URL = os.environ.get("LOTRINH_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def test_sessions_kept_in_redis_are_ended_too(logout, jwks_url):
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError:
        pytest.skip(f"Needs Redis at {REDIS_URL} (set LOTRINH_TEST_REDIS_URL).")
    prefix = f"lotrinh-test-{uuid.uuid4().hex[:8]}"
    in_redis = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}:{alias}",
        }
        for alias in ("default", "shared")
    }
    try:
        with override_settings(CACHES=in_redis):
            person = _signed_in(logout, "sub-q")
            key = person.session.session_key
            assert server.keys(f"{prefix}:shared:*{key}")  # the session is in Redis
            with _keys(jwks_url):
                response = Client().post(ADDRESS, {"logout_token": _token(logout, sub="sub-q")})
            assert response.status_code == 200
            assert not server.keys(f"{prefix}:shared:*{key}")
            assert not Session.objects.filter(session_key=key).exists()
            assert not _still_signed_in(person)
    finally:
        for stale in server.scan_iter(f"{prefix}:*"):
            server.delete(stale)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
CLAIM_NAMES = ("aud", "iat", "exp", "nbf", "jti", "events", "sid", "sub", "nonce")


@settings(max_examples=60, deadline=None)
@given(
    changed=st.dictionaries(st.sampled_from(CLAIM_NAMES), JSON_VALUES, max_size=4),
    dropped=st.sets(st.sampled_from(CLAIM_NAMES), max_size=3),
)
def test_any_claims_in_a_signed_token_are_accepted_or_refused_never_a_crash(changed, dropped):
    """The token's signature holds but its claims are anything JSON can say: the check accepts
    them or raises LogoutTokenError, never another exception (which would be a 500)."""
    issuer = "https://provider.example"
    claims = {
        "iss": issuer,
        "aud": "lotrinh",
        "iat": int(time.time()),
        "jti": uuid.uuid4().hex,
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        "sub": "someone",
        **changed,
    }
    for name in dropped:
        claims.pop(name, None)
    token = jwt.encode(claims, PROVIDER_KEY, algorithm="RS256", headers={"kid": KEY_ID})
    key = jwt.PyJWK(json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key())))
    keys = type("Keys", (), {"get_signing_key_from_jwt": lambda self, _token: key})()
    with (
        override_settings(
            LOTRINH_OIDC_ISSUER=issuer, OIDC_RP_CLIENT_ID="lotrinh", OIDC_RP_SIGN_ALGO="RS256"
        ),
        mock.patch.object(oidc, "_provider_keys", lambda *_args: keys),
    ):
        try:
            accepted = oidc.verify_logout_token(token)
        except oidc.LogoutTokenError:
            return
    assert accepted["iss"] == issuer and (accepted.get("sid") or accepted.get("sub"))
    assert "nonce" not in accepted and BACKCHANNEL_LOGOUT_EVENT in accepted["events"]
