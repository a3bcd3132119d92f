"""The audit trail: the one way an event is made (`audit_event`, `record`), and reading it one
figure at a time.

Every save of a report's figures — from the form, the API or an import — records one event per
report carrying every figure it changed (`AuditEvent.changes`, {code: [old, new]}): an auditor
sees what was saved together, as the ledger does, and an import of 200,000 figures does not
write 200,000 rows. `per_figure` shows such an event as one entry per figure.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lotrinh.core.formatting import plain_decimal
from lotrinh.core.models import AuditEvent

FIGURE_CHANGED = "value_changed"
FIGURES_CHANGED = "values_changed"
# What a reporter typed for a figure that could not be read, kept on the draft (or forgotten: "").
KEPT_AS_TYPED = "kept_as_typed"
# The columns a bulk writer fills (lotrinh.core.bulk.insert_rows), in this order.
EVENT_COLUMNS = (
    "at",
    "actor_id",
    "ip_address",
    "channel",
    "action",
    "target_type",
    "target_id",
    "field",
    "old_value",
    "new_value",
    "reason",
    "changes",
)


def audit_text(value: object) -> str:
    """A value as the audit trail writes it: figures as people write them (120, not 120.0000),
    nothing as the empty text."""
    if value is None:
        return ""
    return plain_decimal(value) if isinstance(value, Decimal) else str(value)


def audit_event(
    action: str,
    target_type: str,
    target_id: int,
    *,
    user: AbstractBaseUser | AnonymousUser | None = None,
    ip_address: str | None = None,
    channel: str = "web",
    field: str = "",
    old: object = "",
    new: object = "",
    reason: str = "",
    changes: Mapping[str, object] | None = None,
) -> AuditEvent:
    """One event, not yet saved (for `bulk_create`); an anonymous or absent user is recorded as
    nobody, and the old and new values as `audit_text` writes them."""
    return AuditEvent(
        actor_id=user.pk if user is not None and user.is_authenticated else None,
        ip_address=ip_address,
        channel=channel,
        action=action,
        target_type=target_type,
        target_id=target_id,
        field=field,
        old_value=audit_text(old),
        new_value=audit_text(new),
        reason=reason,
        changes=dict(changes or {}),
    )


def record(action: str, target_type: str, target_id: int, **details: Any) -> AuditEvent:
    """Make and save one event (the arguments of `audit_event`)."""
    event = audit_event(action, target_type, target_id, **details)
    event.save()
    return event


def touching_field(events: QuerySet[AuditEvent], field_name: str) -> QuerySet[AuditEvent]:
    """Events about one field: its own events and grouped events that include it."""
    return events.filter(
        Q(field=field_name) | Q(action=FIGURES_CHANGED, changes__has_key=field_name)
    )


def per_figure(events: Iterable[AuditEvent], field_name: str = "") -> list[AuditEvent]:
    """One entry per changed figure (same who, when, where and why as the recorded event);
    with `field_name`, only the entries of that figure."""
    entries: list[AuditEvent] = []
    for event in events:
        if event.action != FIGURES_CHANGED:
            if not field_name or event.field == field_name:
                entries.append(event)
            continue
        for code, (old, new) in sorted(event.changes.items()):
            if field_name and code != field_name:
                continue
            entry = copy.copy(event)
            entry.action, entry.field, entry.old_value, entry.new_value = (
                FIGURE_CHANGED,
                code,
                old,
                new,
            )
            entry.changes = {}
            entries.append(entry)
    return entries
