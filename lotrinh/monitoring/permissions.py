"""Who may change a province's monitoring plan: its programme officers and administrators."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import AnyUser, UnitPermissionDenied, can_manage_programme
from lotrinh.orgunits.models import OrgUnit


def can_change_plan(user: AnyUser, province: OrgUnit) -> bool:
    return can_manage_programme(user, province)


def require_change_plan(user: AnyUser, province: OrgUnit) -> None:
    if not can_change_plan(user, province):
        raise UnitPermissionDenied(
            _("You may not change the monitoring plan of %(unit)s."), province.name
        )
