"""The log's Ed25519 signing key: LOTRINH_LEDGER_SIGNING_KEY (PEM, or base64 of the 32-byte
seed), or, on a development machine, one derived from the secret key with a warning."""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

logger = logging.getLogger(__name__)


class SigningKeyError(ValueError):
    """The configured signing key cannot be read."""


def load_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise SigningKeyError("LOTRINH_LEDGER_SIGNING_KEY is not an Ed25519 key.")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error, TypeError) as exc:
        if isinstance(exc, SigningKeyError):
            raise
        raise SigningKeyError(
            "LOTRINH_LEDGER_SIGNING_KEY is neither an Ed25519 PEM key nor the base64 of a "
            "32-byte seed."
        ) from exc


@cache
def signing_key() -> Ed25519PrivateKey:
    configured = settings.LOTRINH_LEDGER_SIGNING_KEY
    if configured:
        return load_key(configured)
    logger.warning(
        "LOTRINH_LEDGER_SIGNING_KEY is not set: signing tree heads with a development key derived "
        "from the secret key. Set a key of its own in production."
    )
    seed = hashlib.sha256(b"lotrinh-ledger-development-key:" + settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed.digest())


def public_key_bytes() -> bytes:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
