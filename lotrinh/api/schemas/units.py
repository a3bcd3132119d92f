"""API shapes of organisation units and crosswalk links."""

from __future__ import annotations

import datetime

from ninja import Schema


class UnitRef(Schema):
    structure: str
    code: str
    name: str
    tier: str


class UnitOut(UnitRef):
    short_name: str
    unit_type: str
    parent: UnitRef | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    latitude: float | None
    longitude: float | None


class LinkOut(Schema):
    unit: UnitRef
    kind: str
    is_default: bool
    effective_on: datetime.date


class UnitDetailOut(UnitOut):
    ancestors: list[UnitRef]
    children_count: int
    successors: list[LinkOut]
    predecessors: list[LinkOut]
