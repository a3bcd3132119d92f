"""System checks: a production server signs its tree heads with its own key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from lotrinh.ledger.signing import SigningKeyError, load_key


@register(Tags.security, deploy=True)
def signing_key_is_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.LOTRINH_LEDGER_SIGNING_KEY:
        return [
            Error(
                "LOTRINH_LEDGER_SIGNING_KEY is not set: tree heads are signed with a key derived "
                "from the secret key, which nobody outside can trust.",
                hint="Generate one with `openssl genpkey -algorithm ed25519` and set its PEM.",
                id="lotrinh.ledger.E001",
            )
        ]
    try:
        load_key(settings.LOTRINH_LEDGER_SIGNING_KEY)
    except SigningKeyError as exc:
        return [Error(str(exc), id="lotrinh.ledger.E002")]
    return []
