"""How a target's status moved between two cut-offs: better, worse, the same, or not comparable.
Pure: no database."""

from __future__ import annotations

from enum import StrEnum

# Best first. "Insufficient data" says nothing about progress, so it is not on this scale.
PROGRESS_ORDER = [
    "achieved",
    "on_track",
    "acceleration_needed",
    "adjustment_needed",
    "limited",
    "deterioration",
    "not_achieved",
]


class Change(StrEnum):
    PROGRESSED = "progressed"
    FELL_BACK = "fell_back"
    UNCHANGED = "unchanged"
    NOT_COMPARABLE = "not_comparable"  # no earlier status, or insufficient data on either side


def status_change(before: str | None, now: str) -> Change:
    """Whether a target moved to a better or worse status since `before` (None: none kept)."""
    if before == now:
        return Change.UNCHANGED
    if before not in PROGRESS_ORDER or now not in PROGRESS_ORDER:
        return Change.NOT_COMPARABLE
    return (
        Change.PROGRESSED
        if PROGRESS_ORDER.index(now) < PROGRESS_ORDER.index(before)
        else Change.FELL_BACK
    )
