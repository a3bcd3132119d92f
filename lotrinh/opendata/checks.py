"""System checks: a production portal names a contact address people can write to."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

# No host is allowed without a domain name: `localhost` reaches nobody outside the server, and the
# Project Open Data schema (data.json's `contactPoint.hasEmail`) refuses it.
_ADDRESS = EmailValidator(allowlist=[])


@register(Tags.security, deploy=True)
def contact_address_is_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    address = settings.LOTRINH_OPEN_DATA_EMAIL
    try:
        _ADDRESS(address)
    except ValidationError:
        return [
            Error(
                f"LOTRINH_OPEN_DATA_EMAIL is {address!r}, not an e-mail address with a domain "
                "name: the open data's contact point (data.json) would reach nobody, and "
                "the Project Open Data schema refuses it.",
                hint="Set it to the address that answers about the open data, such as "
                "du-lieu-mo@stttt.gialai.gov.vn.",
                id="lotrinh.opendata.E001",
            )
        ]
    return []
