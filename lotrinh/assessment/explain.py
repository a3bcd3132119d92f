"""One sentence a leader understands, with the numbers behind the status."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lotrinh.assessment.models import Assessment
from lotrinh.core.formatting import format_number

REASONS = {
    "no_data": gettext_noop("No approved figures or published data for this indicator yet."),
    "one_point": gettext_noop("Only one period has data: a trend needs at least two."),
    "mixed_signs": gettext_noop("Values change sign, so a growth rate cannot be computed."),
    "no_change_required": gettext_noop(
        "The target equals the base value, so no change is required."
    ),
    "target_before_base": gettext_noop("The deadline is before the first data point."),
    "cagr_undefined": gettext_noop(
        "A zero or negative value makes the growth rate undefined for this method."
    ),
}


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = format_number(round(value, 1))
    return f"{text}%" if unit.startswith("%") else f"{text} {unit}"


def _year(value: float | None) -> str:
    return str(int(value)) if value is not None else "—"


def explain(assessment: Assessment) -> str:
    """Why the status is what it is, in the active language."""
    unit = assessment.target.unit if assessment.target.unit != "rank" else _("(rank)")
    latest, goal = _figure(assessment.latest_value, unit), _figure(assessment.target_value, unit)
    params = {
        "latest": latest,
        "latest_year": _year(assessment.latest_year),
        "goal": goal,
        "year": _year(assessment.target_year),
        "base": _figure(assessment.base_value, unit),
        "base_year": _year(assessment.base_year),
        "forecast": _figure(assessment.forecast_value, unit),
        "ratio": format_number(round(assessment.ratio, 2)) if assessment.ratio is not None else "—",
    }
    if assessment.status == "insufficient_data":
        return _(REASONS.get(assessment.reason, "Not enough data to assess this target."))
    if assessment.status == "achieved":
        return (
            _(
                "Achieved: the latest value, %(latest)s (%(latest_year)s), meets the target of %(goal)s."
            )
            % params
        )
    if assessment.reason == "annual_target":
        return (
            _(
                "Not met this year: %(latest)s in %(latest_year)s, below the yearly target of %(goal)s."
            )
            % params
        )
    if assessment.deadline_passed:
        return _("The deadline (%(year)s) has passed at %(latest)s, short of %(goal)s.") % params
    return (
        _(
            "From %(base)s (%(base_year)s) to %(latest)s (%(latest_year)s): at this pace about %(forecast)s "
            "by %(year)s against a target of %(goal)s (progress ratio %(ratio)s)."
        )
        % params
    )
