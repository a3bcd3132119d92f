"""Who may act on which organisation unit: the one place that answers it.

Managing units (adding agencies) is for officers and administrators of the province (see
lotrinh.access) and for staff holding Django's `orgunits.add_orgunit` permission; reading units is
public reference data.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lotrinh.access import permissions as access
from lotrinh.orgunits.models import OrgUnit


def can_manage_unit(user: AbstractBaseUser | AnonymousUser, unit: OrgUnit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return access.can_manage_unit(user, unit) or (
        bool(getattr(user, "is_staff", False))
        and isinstance(user, PermissionsMixin)
        and user.has_perm("orgunits.add_orgunit")
    )


def require_manage_unit(user: AbstractBaseUser | AnonymousUser, unit: OrgUnit) -> None:
    if not can_manage_unit(user, unit):
        raise PermissionDenied(_("You may not manage units under %(unit)s.") % {"unit": unit.name})
