"""The one place that answers "may this user act on this unit?" for views, API and import alike.

A role held in a unit covers that unit and every unit below it, except the reporter role, which
covers only the unit itself (a commune officer reports for the commune, not for its neighbours).
Superusers may do everything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin, User
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lotrinh.access.models import Membership, Role
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession
from lotrinh.orgunits.queries import in_subtree

AnyUser = AbstractBaseUser | AnonymousUser

# Which roles grant each kind of action, and whether the role reaches the units below.
_VIEW = {Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.OFFICER, Role.ADMINISTRATOR}
_APPROVE = {Role.APPROVER, Role.ADMINISTRATOR}
_MANAGE = {Role.OFFICER, Role.ADMINISTRATOR}


def _is_superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_superuser", False))


# Every signed-in request needs the user's memberships (and the legacy units their units came from)
# to authorise before anything is shown. They are kept per user in the cache that all server
# processes share, under a generation that changes whenever one of the user's memberships is saved
# or deleted, or the user is saved (`forget_access`, connected in apps.py), right away and again
# once the change is committed: a removed role stops working on the next request, and a request
# that read the old memberships meanwhile stores them under a generation nobody reads any more.
# The time limit only bounds changes made around the models' signals (SQL by hand, or reloaded
# units and crosswalk).
ACCESS_CACHE = "shared"
ACCESS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class _Access:
    memberships: list[tuple[str, str, int]]  # (role, path, unit id)
    history_paths: list[str]


def _generation_key(user_id: int) -> str:
    return f"access-generation:{user_id}"


def _generation(user_id: int) -> str:
    cache = caches[ACCESS_CACHE]
    generation: str | None = cache.get(_generation_key(user_id))
    if generation is None:
        cache.add(_generation_key(user_id), uuid.uuid4().hex, ACCESS_CACHE_SECONDS)
        generation = cache.get(_generation_key(user_id)) or "none"
    return generation


def _load_access(user_id: int) -> _Access:
    memberships = list(
        Membership.objects.filter(user_id=user_id).values_list(
            "role", "org_unit__path", "org_unit_id"
        )
    )
    history_paths = list(
        OrgUnitSuccession.objects.filter(
            successor_id__in=[unit_id for _role, _path, unit_id in memberships],
            kind__in=["merged", "partly"],
        )
        .exclude(predecessor__tier="district")
        .values_list("predecessor__path", flat=True)
    )
    return _Access(memberships, history_paths)


def _remember_access(user: AnyUser) -> None:
    """Put the user's memberships and history paths on the user object for the rest of the
    request: from the shared cache, or from the database (then into the cache)."""
    cache, user_id = caches[ACCESS_CACHE], int(user.pk or 0)
    key = f"access:{user_id}:{_generation(user_id)}"  # the generation is read before the data
    access: _Access | None = cache.get(key)
    if access is None:
        access = _load_access(user_id)
        cache.set(key, access, ACCESS_CACHE_SECONDS)
    user.__dict__["_lotrinh_memberships"] = access.memberships
    user.__dict__["_lotrinh_history_paths"] = access.history_paths


def forget_access(
    sender: object, instance: Membership | AbstractBaseUser, **kwargs: object
) -> None:
    """Signal receiver: start a new generation of the cached access of a membership's user (or of
    a saved user), now and once the transaction commits; and forget what the user object in hand
    remembers for its request."""
    user: AbstractBaseUser | None
    if isinstance(instance, Membership):
        user_id = instance.user_id
        user = instance.user if Membership.user.is_cached(instance) else None
    else:
        user_id, user = instance.pk, instance

    def new_generation() -> None:
        caches[ACCESS_CACHE].set(_generation_key(user_id), uuid.uuid4().hex, ACCESS_CACHE_SECONDS)

    new_generation()
    transaction.on_commit(new_generation)
    if user is not None:
        user.__dict__.pop("_lotrinh_memberships", None)
        user.__dict__.pop("_lotrinh_history_paths", None)


def _memberships(user: AnyUser) -> list[tuple[str, str, int]]:
    """(role, path, unit id) of the user's memberships."""
    if not user.is_authenticated or not user.is_active:
        return []
    if "_lotrinh_memberships" not in user.__dict__:
        _remember_access(user)
    memberships: list[tuple[str, str, int]] = user.__dict__["_lotrinh_memberships"]
    return memberships


def _covers(user: AnyUser, unit: OrgUnit, roles: Iterable[str], *, subtree: bool = True) -> bool:
    if _is_superuser(user):
        return True
    wanted = set(roles)
    for role, path, unit_id in _memberships(user):
        if role not in wanted:
            continue
        if unit_id == unit.pk or (subtree and role != Role.REPORTER and unit.path.startswith(path)):
            return True
    return False


def _history_paths(user: AnyUser) -> list[str]:
    """Paths of the legacy units that the user's units were formed from (merged wholly or in part):
    a merged province, or a new commune, may read the history of its own territory."""
    if not user.is_authenticated or not user.is_active:
        return []
    if "_lotrinh_history_paths" not in user.__dict__:
        _remember_access(user)
    paths: list[str] = user.__dict__["_lotrinh_history_paths"]
    return paths


def can_view_unit(user: AnyUser, unit: OrgUnit) -> bool:
    """Any role in a unit or above it; and, read-only, the legacy units its territory came from."""
    if _covers(user, unit, _VIEW):
        return True
    return unit.is_legacy and any(unit.path.startswith(path) for path in _history_paths(user))


def can_report_for(user: AnyUser, unit: OrgUnit) -> bool:
    """Reporters enter figures for their own unit; approvers and administrators may fill in for
    the units below them (e.g. when a commune has no connection)."""
    return _covers(user, unit, {Role.REPORTER}, subtree=False) or _covers(user, unit, _APPROVE)


def can_approve_for(user: AnyUser, unit: OrgUnit) -> bool:
    return _covers(user, unit, _APPROVE)


def needs_second_person(
    user: AnyUser | None, submitted_by_id: int | None, *, required: bool
) -> bool:
    """Four eyes: where `required` (a regime's setting for figures, a site setting for tasks),
    whoever submitted something may not approve it themselves."""
    return bool(
        required and user is not None and user.is_authenticated and submitted_by_id == user.pk
    )


def memberships_of(user: AnyUser) -> QuerySet[Membership]:
    """The user's roles, each with its unit, to tell the user what their account may do."""
    return Membership.objects.filter(user_id=user.pk or 0).select_related("org_unit")


def can_manage_unit(user: AnyUser, unit: OrgUnit) -> bool:
    """Officers and administrators manage regimes and agencies of their province."""
    return _covers(user, unit, _MANAGE)


def can_add_agency(user: AnyUser, unit: OrgUnit) -> bool:
    """Adding agencies (sở, ban, ngành) under a unit: its officers and administrators, and staff
    holding Django's `orgunits.add_orgunit` permission."""
    if not user.is_authenticated or not user.is_active:
        return False
    return can_manage_unit(user, unit) or (
        bool(getattr(user, "is_staff", False))
        and isinstance(user, PermissionsMixin)
        and user.has_perm("orgunits.add_orgunit")
    )


def can_manage_any_unit(user: AnyUser) -> bool:
    """Officers and administrators (of any unit) and superusers: those who load programmes and
    their targets, e.g. from a resolution through the target extractor."""
    return _is_superuser(user) or any(role in _MANAGE for role, _path, _id in _memberships(user))


def require_manage_any_unit(user: AnyUser) -> None:
    if not can_manage_any_unit(user):
        raise PermissionDenied(
            str(_("Only programme officers and administrators may extract and load targets."))
        )


def visible_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """Every unit the user may see (`can_view_unit`): the subtrees of their memberships, except
    a reporter's, which is the unit alone, and the legacy units their territory came from."""
    if _is_superuser(user):
        return OrgUnit.objects.all()
    memberships = _memberships(user)
    history = _history_paths(user)
    if not memberships and not history:
        return OrgUnit.objects.none()
    query = Q()
    for role, path, _id in memberships:
        query |= Q(path=path) if role == Role.REPORTER else in_subtree(path)
    for path in history:
        query |= in_subtree(path)
    return OrgUnit.objects.filter(query)


def reporting_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """Units the user reports for directly (their reporter memberships)."""
    ids = [unit_id for role, _path, unit_id in _memberships(user) if role == Role.REPORTER]
    return OrgUnit.objects.filter(pk__in=ids)


def approving_users() -> QuerySet[User]:
    """Active users who hold a role that approves reports (of their unit and the units below)."""
    return User.objects.filter(is_active=True, memberships__role__in=_APPROVE).distinct()


class UnitPermissionDenied(PermissionDenied):
    """PermissionDenied that can say itself in Vietnamese and English (`text(language)`)."""

    def __init__(self, message: object, unit_name: str) -> None:
        self.message, self.unit_name = message, unit_name
        super().__init__(self.text(translation.get_language() or "vi"))

    def text(self, language: str) -> str:
        with translation.override(language):
            return str(self.message) % {"unit": self.unit_name}


def _deny(message: object, unit: OrgUnit) -> PermissionDenied:
    return UnitPermissionDenied(message, unit.name)


def require_view_unit(user: AnyUser, unit: OrgUnit) -> None:
    if not can_view_unit(user, unit):
        raise _deny(_("You may not see the data of %(unit)s."), unit)


def require_report_for(user: AnyUser, unit: OrgUnit) -> None:
    if not can_report_for(user, unit):
        raise _deny(_("You may not report for %(unit)s."), unit)


def require_approve_for(user: AnyUser, unit: OrgUnit) -> None:
    if not can_approve_for(user, unit):
        raise _deny(_("You may not approve reports of %(unit)s."), unit)


def require_manage_unit(user: AnyUser, unit: OrgUnit) -> None:
    if not can_manage_unit(user, unit):
        raise _deny(_("You may not manage %(unit)s."), unit)


def require_add_agency(user: AnyUser, unit: OrgUnit) -> None:
    if not can_add_agency(user, unit):
        raise PermissionDenied(
            str(_("You may not manage units under %(unit)s.") % {"unit": unit.name})
        )


def _successor_provinces(programme_unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The current provinces a legacy province merged into, where its programmes are tracked."""
    return OrgUnit.objects.filter(
        predecessor_links__predecessor=programme_unit, tier=programme_unit.tier
    )


def can_view_programme(user: AnyUser, programme_unit: OrgUnit) -> bool:
    """A programme's progress is visible to those who may view its province, or (for a legacy
    province's programme) the current province it merged into."""
    if can_view_unit(user, programme_unit):
        return True
    return any(can_view_unit(user, s) for s in _successor_provinces(programme_unit))


def can_manage_programme(user: AnyUser, programme_unit: OrgUnit) -> bool:
    """A province's programme office keeps its programmes and their targets: programme officers
    and administrators of the programme's province or, for a legacy province's programme, of the
    current province it merged into. Approvers approve reports; they do not change targets."""
    if can_manage_unit(user, programme_unit):
        return True
    if not programme_unit.is_legacy or not any(r in _MANAGE for r, _p, _i in _memberships(user)):
        return False  # nothing more to look up
    return any(can_manage_unit(user, s) for s in _successor_provinces(programme_unit))


def require_view_programme(user: AnyUser, programme_unit: OrgUnit) -> None:
    if not can_view_programme(user, programme_unit):
        raise _deny(_("You may not see the progress of programmes of %(unit)s."), programme_unit)


def require_manage_programme(user: AnyUser, programme_unit: OrgUnit) -> None:
    if not can_manage_programme(user, programme_unit):
        raise _deny(_("You may not manage the programmes of %(unit)s."), programme_unit)


def can_reset_any_second_factor(user: AnyUser) -> bool:
    """Administrators (of any unit) and superusers: those who may open the reset page."""
    return _is_superuser(user) or any(r == Role.ADMINISTRATOR for r, _p, _i in _memberships(user))


def can_reset_second_factor(user: AnyUser, person: User) -> bool:
    """Removing someone's authenticator (a lost phone): a superuser, or an administrator of every
    unit the person belongs to; never a staff account or superuser unless by a superuser, since
    their second factor guards the whole site."""
    if _is_superuser(user):
        return True
    if person.is_staff or person.is_superuser:
        return False
    units = [m.org_unit for m in Membership.objects.filter(user=person).select_related("org_unit")]
    return bool(units) and all(_covers(user, unit, {Role.ADMINISTRATOR}) for unit in units)
