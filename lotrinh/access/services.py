"""Writes to accounts and memberships: signing in through the province's identity provider, and
ending those sessions when the provider says the person logged out there."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.access.claims import ClaimRules, MappedAccount, map_claims
from lotrinh.access.models import ExternalIdentity, Membership, ProviderSession
from lotrinh.access.permissions import forget_access
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.orgunits.models import OrgUnit

SIGNED_IN_WITH_PROVIDER = "sso_login"
LOGGED_OUT_BY_PROVIDER = "sso_backchannel_logout"
# One logout token ends at most this many sessions: a person has a few browsers, not thousands.
MOST_SESSIONS_ENDED = 200


class UnmappedAccountError(UserFacingError):
    """The provider vouched for the person, but no rule gives them a role in a known unit."""


def _units(account: MappedAccount, rules: ClaimRules) -> dict[str, OrgUnit]:
    codes = {grant.unit_code for grant in account.grants}
    return {
        unit.code: unit
        for unit in OrgUnit.objects.filter(structure=rules.structure, code__in=codes)
    }


def _free_username(wanted: str) -> str:
    """`wanted`, or `wanted-sso`, `wanted-sso2`… when a local account already has that name."""
    candidate, number = wanted, 1
    while User.objects.filter(username=candidate).exists():
        candidate = f"{wanted}-sso" if number == 1 else f"{wanted}-sso{number}"
        number += 1
    return candidate


@transaction.atomic
def sign_in_from_provider(
    issuer: str, claims: Mapping[str, Any], rules: ClaimRules, *, ip_address: str | None = None
) -> User:
    """The account of the provider's subject, created or brought up to date from the claims, with
    exactly the memberships the rules give (the provider is the source of truth for its users).

    Refuses, storing nothing, a person whose claims give no role in a unit that exists."""
    subject = str(claims.get("sub") or "").strip()
    account = map_claims(claims, rules)
    units = _units(account, rules)
    wanted = {
        (grant.role, units[grant.unit_code].pk)
        for grant in account.grants
        if grant.unit_code in units
    }
    if not subject or not account.username or not wanted:
        raise UnmappedAccountError(
            _(
                "Your province account (%(name)s) has no role in a Lộ Trình unit yet. Ask the "
                "administrator of the identity provider to give you a unit code and a role, "
                "then sign in again."
            ),
            name=account.username or subject or "?",
        )
    identity = (
        ExternalIdentity.objects.select_related("user")
        .select_for_update()
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = User.objects.create_user(_free_username(account.username))
        user.set_unusable_password()
        identity = ExternalIdentity(user=user, issuer=issuer, subject=subject)
        created = True
    else:
        user, created = identity.user, False
    user.email, user.first_name, user.last_name = (
        account.email,
        account.first_name,
        account.last_name,
    )
    user.save()
    identity.save()  # its last sign-in

    held = {(m.role, m.org_unit_id): m for m in Membership.objects.filter(user=user)}
    removed = [held[key] for key in held.keys() - wanted]
    for membership in removed:
        membership.delete()
    added = [
        Membership.objects.create(user=user, role=role, org_unit_id=unit_id)
        for role, unit_id in sorted(wanted - held.keys())
    ]
    forget_access(Membership, user)
    record(
        SIGNED_IN_WITH_PROVIDER,
        "user",
        user.pk,
        user=user,
        ip_address=ip_address,
        reason=issuer,
        changes={
            "created": created,
            "added": sorted(f"{m.role}@{m.org_unit_id}" for m in added),
            "removed": sorted(f"{m.role}@{m.org_unit_id}" for m in removed),
        },
    )
    return user


def record_provider_session(session_key: str, issuer: str, subject: str, sid: str) -> None:
    """Remember that this session was opened through the provider, under its session id, so that
    a back-channel logout finds it; rows older than a session can live are dropped meanwhile."""
    identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
    if identity is None or not session_key:
        return
    expired = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ProviderSession.objects.filter(started_at__lt=expired).delete()
    ProviderSession.objects.update_or_create(
        session_key=session_key, defaults={"identity": identity, "sid": sid[:255]}
    )


def forget_provider_session(session_key: str | None) -> None:
    """The session ended here (logging out): nothing is left for the provider to end."""
    if session_key:
        ProviderSession.objects.filter(session_key=session_key).delete()


def end_provider_sessions(issuer: str, subject: str, sid: str) -> int:
    """End the sessions the provider's logout names: those of its session `sid`, or every session
    of its user `subject` (both, when both are given), wherever the session engine keeps them
    (database, the shared cache, Redis). Audited once per person; returns how many ended."""
    sessions = ProviderSession.objects.filter(identity__issuer=issuer).select_related("identity")
    if subject:
        sessions = sessions.filter(identity__subject=subject)
    if sid:
        sessions = sessions.filter(sid=sid)
    ended = list(sessions.order_by("pk")[:MOST_SESSIONS_ENDED])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in ended:
        store(session_key=row.session_key).delete()
    ProviderSession.objects.filter(pk__in=[row.pk for row in ended]).delete()
    for user_id in sorted({row.identity.user_id for row in ended}):
        record(  # by the provider: no actor
            LOGGED_OUT_BY_PROVIDER,
            "user",
            user_id,
            channel="system",
            reason=issuer,
            changes={
                "sessions": sum(1 for row in ended if row.identity.user_id == user_id),
                "sid": sid,
            },
        )
    return len(ended)
