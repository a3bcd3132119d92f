"""The signing key: read from the environment's PEM or seed, and required by `check --deploy`."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings

from lotrinh.ledger.checks import signing_key_is_set
from lotrinh.ledger.signing import load_key

SEED = bytes(range(32))


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_a_pem_key_and_its_base64_seed_are_the_same_key():
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    assert _raw_public(load_key(pem)) == _raw_public(load_key(base64.b64encode(SEED).decode()))


def test_deploy_check_fails_without_a_key_or_with_an_unreadable_one():
    with override_settings(LOTRINH_LEDGER_SIGNING_KEY=""):
        assert [e.id for e in signing_key_is_set()] == ["lotrinh.ledger.E001"]
    with override_settings(LOTRINH_LEDGER_SIGNING_KEY="not a key"):
        assert [e.id for e in signing_key_is_set()] == ["lotrinh.ledger.E002"]
    with override_settings(LOTRINH_LEDGER_SIGNING_KEY=base64.b64encode(SEED).decode()):
        assert signing_key_is_set() == []
