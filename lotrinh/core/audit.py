"""Reading the audit trail one figure at a time, whichever way the change was recorded.

Interactive saves record one event per changed figure; an import records one event per report
carrying every figure it changed (`AuditEvent.changes`), because writing 200,000 audit rows
would cost more than writing the figures themselves. Readers see both the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.db.models import Q, QuerySet

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
