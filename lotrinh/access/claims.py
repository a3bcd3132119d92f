"""How the identity provider's claims become a Lộ Trình account: its name and its memberships.

Pure: the rules (LOTRINH_OIDC_CLAIM_RULES, JSON) and the claims of one sign-in in, the account's
fields and (role, unit code) grants out. The units are looked up by `access.services`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotrinh.access.models import Role
from lotrinh.orgunits.models import Structure

DEFAULT_RULES: dict[str, Any] = {
    "username_claim": "preferred_username",
    "unit_claim": "lotrinh_unit",
    "role_claim": "lotrinh_roles",
    "structure": Structure.CURRENT,
    "roles": {role: role for role in Role.values},
    "grants": [],
}


# A person holds roles in a few units; a claim listing more is cut here, so one sign-in's work
# stays bounded whatever the provider sends.
MAX_UNITS_PER_CLAIM = 100


@dataclass(frozen=True)
class Grant:
    """A role held in the unit with this code (in the rules' structure)."""

    role: str
    unit_code: str


@dataclass(frozen=True)
class ClaimRules:
    username_claim: str
    unit_claim: str
    role_claim: str
    structure: str
    # A value of the role claim → the role it gives, in every unit of the unit claim.
    roles: Mapping[str, str]
    # A value of any claim → a role in a fixed unit: (claim, value, role, unit code).
    grants: tuple[tuple[str, str, str, str], ...]


@dataclass(frozen=True)
class MappedAccount:
    username: str
    email: str
    first_name: str
    last_name: str
    grants: frozenset[Grant]


def parse_rules(text: str) -> ClaimRules:
    """The rules of LOTRINH_OIDC_CLAIM_RULES (JSON, each key optional), refused at start-up with
    the key at fault when they cannot be used."""
    try:
        given = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"LOTRINH_OIDC_CLAIM_RULES is not valid JSON: {exc}") from exc
    if not isinstance(given, dict):
        raise ImproperlyConfigured("LOTRINH_OIDC_CLAIM_RULES must be a JSON object.")
    unknown = sorted(set(given) - set(DEFAULT_RULES))
    if unknown:
        raise ImproperlyConfigured(f"LOTRINH_OIDC_CLAIM_RULES has unknown keys: {unknown}.")
    rules = {**DEFAULT_RULES, **given}
    if rules["structure"] not in Structure.values:
        raise ImproperlyConfigured(
            f"LOTRINH_OIDC_CLAIM_RULES: structure must be one of {Structure.values}."
        )
    roles = rules["roles"]
    if not isinstance(roles, dict) or not set(roles.values()) <= set(Role.values):
        raise ImproperlyConfigured(
            f"LOTRINH_OIDC_CLAIM_RULES: roles maps claim values to one of {Role.values}."
        )
    grants = []
    for grant in rules["grants"]:
        if not isinstance(grant, dict) or set(grant) != {"claim", "value", "role", "unit"}:
            raise ImproperlyConfigured(
                "LOTRINH_OIDC_CLAIM_RULES: each grant has exactly claim, value, role and unit."
            )
        if grant["role"] not in Role.values:
            raise ImproperlyConfigured(
                f"LOTRINH_OIDC_CLAIM_RULES: a grant's role must be one of {Role.values}."
            )
        grants.append((grant["claim"], str(grant["value"]), grant["role"], str(grant["unit"])))
    return ClaimRules(
        username_claim=str(rules["username_claim"]),
        unit_claim=str(rules["unit_claim"]),
        role_claim=str(rules["role_claim"]),
        structure=str(rules["structure"]),
        roles={str(value): str(role) for value, role in roles.items()},
        grants=tuple(grants),
    )


def _values(claims: Mapping[str, Any], name: str) -> list[str]:
    """A claim as a list of strings: providers send one value as a string, several as a list."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value).strip()] if str(value).strip() else []


def map_claims(claims: Mapping[str, Any], rules: ClaimRules) -> MappedAccount:
    """The account the claims describe; its grants are empty when no rule matches them."""
    roles = {
        rules.roles[value] for value in _values(claims, rules.role_claim) if value in rules.roles
    }
    units = _values(claims, rules.unit_claim)[:MAX_UNITS_PER_CLAIM]
    grants = {Grant(role, unit) for role in roles for unit in units}
    for claim, value, role, unit in rules.grants:
        if value in _values(claims, claim):
            grants.add(Grant(role, unit))
    names = _values(claims, rules.username_claim) or _values(claims, "sub")
    return MappedAccount(
        username=names[0][:140] if names else "",  # room for the "-sso" of a name clash
        email=(_values(claims, "email") or [""])[0][:254],
        first_name=(_values(claims, "given_name") or [""])[0][:150],
        last_name=(_values(claims, "family_name") or [""])[0][:150],
        grants=frozenset(grants),
    )
