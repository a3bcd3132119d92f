"""The traffic light of an agency, commune or province from its task counts (Kế hoạch 02's colours). Pure.

Red ("chậm"): at least LOTRINH_TASK_RED_OVERDUE tasks are overdue. Yellow ("cảnh báo"): not red,
and at least one task is at risk (blocked, or due within LOTRINH_TASK_AT_RISK_DAYS days and not
done). Green ("đạt"): neither. A unit with no task has no light.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GREEN, YELLOW, RED, NONE = "green", "yellow", "red", "none"
LABELS = {
    GREEN: _("on track"),
    YELLOW: _("warning"),
    RED: _("slow"),
    NONE: _("no tasks"),
}


@dataclass(frozen=True)
class LightRule:
    red_overdue: int = 1


def light(total: int, overdue: int, at_risk: int, rule: LightRule) -> str:
    if total == 0:
        return NONE
    if overdue >= max(rule.red_overdue, 1):
        return RED
    if at_risk > 0 or overdue > 0:
        return YELLOW
    return GREEN
