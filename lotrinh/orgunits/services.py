"""Every write to organisation units: loading the national tables and adding agencies."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import require_add_agency
from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import search_key
from lotrinh.orgunits.models import (
    LEGACY_END,
    REFORM_DATE,
    OrgUnit,
    OrgUnitSuccession,
    Structure,
    Tier,
)
from lotrinh.orgunits.package_data import PackageUnits, UnitRecord, read_package_units

_UPDATABLE = [
    "name",
    "short_name",
    "unit_type",
    "parent",
    "path",
    "depth",
    "valid_from",
    "valid_to",
    "latitude",
    "longitude",
    "area_km2",
    "search_name",
]


@dataclass(frozen=True)
class LoadUnitsResult:
    created: int
    updated: int
    links_created: int
    links_removed: int
    unresolved: int


def _validity(structure: str) -> tuple[datetime.date | None, datetime.date | None]:
    return (None, LEGACY_END) if structure == Structure.LEGACY else (REFORM_DATE, None)


def _unit_from_record(record: UnitRecord, parent: OrgUnit | None) -> OrgUnit:
    valid_from, valid_to = _validity(record.structure)
    prefix = parent.path if parent else f"{record.structure}/"
    return OrgUnit(
        structure=record.structure,
        tier=record.tier,
        code=record.code,
        name=record.name,
        short_name=record.short_name,
        unit_type=record.unit_type,
        parent=parent,
        path=f"{prefix}{record.code}/",
        depth=parent.depth + 1 if parent else 0,
        valid_from=valid_from,
        valid_to=valid_to,
        latitude=record.latitude,
        longitude=record.longitude,
        area_km2=record.area_km2,
        search_name=f"{search_key(record.name)} | {search_key(record.short_name)}",
    )


def _differs(existing: OrgUnit, wanted: OrgUnit) -> bool:
    return any(
        getattr(existing, f if f != "parent" else "parent_id")
        != getattr(wanted, f if f != "parent" else "parent_id")
        for f in _UPDATABLE
    )


def _upsert_units(data: PackageUnits) -> tuple[int, int]:
    existing = {(u.structure, u.code): u for u in OrgUnit.objects.exclude(tier=Tier.AGENCY)}
    created = updated = 0
    # Parents come before children in the records, tier by tier, so one pass per tier suffices.
    for tier in (Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE):
        to_create: list[OrgUnit] = []
        to_update: list[OrgUnit] = []
        for record in (r for r in data.units if r.tier == tier):
            parent = (
                existing[(record.structure, record.parent_code)] if record.parent_code else None
            )
            wanted = _unit_from_record(record, parent)
            current = existing.get((record.structure, record.code))
            if current is None:
                to_create.append(wanted)
            elif _differs(current, wanted):
                wanted.pk = current.pk
                to_update.append(wanted)
        OrgUnit.objects.bulk_create(to_create, batch_size=2000)
        OrgUnit.objects.bulk_update(to_update, _UPDATABLE, batch_size=1000)
        created += len(to_create)
        updated += len(to_update)
        for unit in OrgUnit.objects.filter(tier=tier):
            existing[(unit.structure, unit.code)] = unit
    return created, updated


def _sync_links(data: PackageUnits) -> tuple[int, int]:
    ids = {
        (s, c): pk
        for s, c, pk in OrgUnit.objects.exclude(tier=Tier.AGENCY).values_list(
            "structure", "code", "pk"
        )
    }
    wanted = {(ids[link.predecessor], ids[link.successor]): link for link in data.links}
    current = {
        (p, s): (pk, kind, default)
        for pk, p, s, kind, default in OrgUnitSuccession.objects.values_list(
            "pk", "predecessor_id", "successor_id", "kind", "is_default"
        )
    }
    stale = [
        row[0]
        for pair, row in current.items()
        if pair not in wanted or (wanted[pair].kind, wanted[pair].is_default) != row[1:]
    ]
    OrgUnitSuccession.objects.filter(pk__in=stale).delete()
    kept = {pair for pair, row in current.items() if row[0] not in set(stale)}
    new_links = [
        OrgUnitSuccession(
            predecessor_id=p, successor_id=s, kind=link.kind, is_default=link.is_default
        )
        for (p, s), link in wanted.items()
        if (p, s) not in kept
    ]
    OrgUnitSuccession.objects.bulk_create(new_links, batch_size=2000)
    return len(new_links), len(stale)


def load_units(data: PackageUnits | None = None) -> LoadUnitsResult:
    """Load or refresh every administrative unit of both structures and the crosswalk.

    Idempotent: a second run changes nothing and reports zero created. Agencies added by
    administrators are left alone. Runs in one transaction, so a failure leaves the old data.
    """
    data = data or read_package_units()
    with transaction.atomic():
        created, updated = _upsert_units(data)
        links_created, links_removed = _sync_links(data)
    return LoadUnitsResult(created, updated, links_created, links_removed, len(data.unresolved))


def create_agency(
    user: AbstractBaseUser | AnonymousUser, parent: OrgUnit, name: str, code: str = ""
) -> OrgUnit:
    """Add an agency (sở, ban, ngành) under a province, after checking the user may manage it."""
    require_add_agency(user, parent)
    return add_agency(parent, name, code)


def add_agency(parent: OrgUnit, name: str, code: str = "") -> OrgUnit:
    """Add an agency under a province (no permission check: for loaders and create_agency)."""
    name = " ".join(name.split())
    if parent.tier != Tier.PROVINCE:
        raise UserFacingError(_("Agencies can only be added under a province."))
    if not name:
        raise UserFacingError(_("An agency needs a name."))
    code = code.strip() or f"{parent.code}-{slugify(search_key(name))[:20]}"
    if OrgUnit.objects.filter(structure=parent.structure, code=code).exists():
        raise UserFacingError(_("The code %(code)s is already used by another unit."), code=code)
    return OrgUnit.objects.create(
        structure=parent.structure,
        tier=Tier.AGENCY,
        code=code,
        name=name,
        short_name=name,
        unit_type="Cơ quan",
        parent=parent,
        path=f"{parent.path}{code}/",
        depth=parent.depth + 1,
        valid_from=parent.valid_from,
        valid_to=parent.valid_to,
        latitude=parent.latitude,
        longitude=parent.longitude,
        search_name=f"{search_key(name)} | {search_key(code)}",
    )
