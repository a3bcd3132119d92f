"""One sentence a leader understands, with the numbers behind the status, and user words for the
assessment's codes (method, notes, sources). docs/assessment.md lists the sentence of each case."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lotrinh.assessment.models import Assessment, PastAssessment
from lotrinh.assessment.scoring import ABOUT_TOLERANCE
from lotrinh.core.formatting import describe_value, format_measure, format_number
from lotrinh.indicators.models import Direction, Target

REASONS = {
    "no_source": gettext_noop(
        "No source is planned for this indicator: nobody is asked to report or publish it."
    ),
    "no_data": gettext_noop(
        "A source is planned, but no figure has been approved or published for it yet."
    ),
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
UNKNOWN_REASON = gettext_noop("Not enough data to assess this target.")

# The three reasons a target lacks data, for the coverage page, filters, CSV and API.
GAPS = {
    "no_source": gettext_noop("No source defined"),
    "no_data": gettext_noop("Source defined, nothing reported or published yet"),
    "too_few_points": gettext_noop("Reported, but not enough figures for a trend"),
}


def gap_of(assessment: Assessment | None) -> str:
    """Which of the three gaps a target has ("" when it is assessed): no source, a source with
    no figure yet, or figures that do not make a trend (one point, a sign change, …)."""
    if assessment is None or assessment.status != "insufficient_data":
        return ""
    return assessment.reason if assessment.reason in {"no_source", "no_data"} else "too_few_points"


METHODS = {
    "statcan_cagr": gettext_noop(
        "yearly growth compared with the growth needed (Statistics Canada / Open SDG)"
    ),
    "unsd_cr_2022": gettext_noop("growth ratio (United Nations Statistics Division, 2022)"),
    "unsd_projection_2023": gettext_noop(
        "value projected to the deadline (United Nations Statistics Division, 2023)"
    ),
    "linear_pacing": gettext_noop("progress expected by now on a straight line"),
}

NOTES = {
    "approximate_split_communes": gettext_noop(
        "Some communes of this province were split, or merged with communes of another province, "
        "on 1/7/2025: figures since then cover nearly, not exactly, the same territory."
    ),
    "no_province_tier_after_reform": gettext_noop(
        "Since 1/7/2025 the province's agencies serve the whole merged province: their figures "
        "can no longer be separated for this province."
    ),
    "no_district_tier_after_reform": gettext_noop(
        "Districts no longer exist since 1/7/2025: this tier has no figures after that date."
    ),
}

SOURCES = {
    "reports": gettext_noop("approved reports"),
    "published": gettext_noop("published figure"),
}

# What the latest (or forecast) figure does against the target, by kind of target and where the
# figure lies: "met", "below" or "above" the target's figure (or range).
COMPARISONS = {
    ("floor", "met"): gettext_noop("meets the target of %(figure)s"),
    ("floor", "below"): gettext_noop("is short of the target of %(figure)s"),
    ("strict", "met"): gettext_noop("is above %(figure)s, as the target requires"),
    ("strict", "below"): gettext_noop("is not above %(figure)s, which the target requires"),
    ("ceiling", "met"): gettext_noop("stays within the ceiling of %(figure)s"),
    ("ceiling", "above"): gettext_noop("is above the ceiling of %(figure)s"),
    ("rank", "met"): gettext_noop("is within the targeted top %(figure)s"),
    ("rank", "above"): gettext_noop(
        "is outside the targeted top %(figure)s (a smaller rank is better)"
    ),
    ("about", "met"): gettext_noop("is within 5%% of the target of about %(figure)s"),
    ("about", "below"): gettext_noop("is below the target of about %(figure)s"),
    ("about", "above"): gettext_noop("is above the target of about %(figure)s"),
    ("range", "met"): gettext_noop("is inside the target range %(figure)s"),
    ("range", "below"): gettext_noop("is below the target range %(figure)s"),
    ("range", "above"): gettext_noop("is above the target range %(figure)s"),
}

# How fast the figure moves against what the target needs, by method (the ratio as a percentage).
PACES = {
    "statcan_cagr": gettext_noop("it moves at %(pace)s of the yearly pace needed"),
    "unsd_cr_2022": gettext_noop("it moves at %(pace)s of the yearly pace needed"),
    "unsd_projection_2023": gettext_noop(
        "the trend would make %(pace)s of the change needed by the deadline"
    ),
    "linear_pacing": gettext_noop("it has made %(pace)s of the progress expected by now"),
}


def method_label(code: str) -> str:
    """The method in words, in the active language."""
    return _(METHODS[code]) if code in METHODS else _("another method")


def note_label(code: str) -> str:
    """A caveat of the series as a sentence, in the active language."""
    return _(NOTES[code]) if code in NOTES else _("The figures have a caveat.")


def source_label(code: str) -> str:
    return _(SOURCES[code]) if code in SOURCES else "—"


def growth_label(actual: float | None, needed: float | None) -> str:
    """The yearly growth rates behind a ratio, as percentages ("" when the method has none)."""
    if actual is None:
        return ""
    params = {"actual": _percent(actual), "needed": _percent(needed or 0.0)}
    if needed is None:
        return _("growth %(actual)s a year") % params
    return _("growth %(actual)s a year, %(needed)s needed") % params


def _percent(rate: float) -> str:
    return format_number(round(Decimal(str(rate)) * 100, 1) + 0) + "%"


def target_kind(target: Target) -> str:
    """How a target is met: floor, strict (above), ceiling, rank (top N), about or range."""
    if target.value_max is not None:
        return "range"
    if target.comparator == "~":
        return "about"
    if target.unit == "rank":
        return "rank"
    if target.comparator == ">=" or (
        target.comparator == "=" and target.indicator.direction != Direction.DECREASE
    ):
        return "strict" if target.is_strict else "floor"
    return "ceiling"


def _position(target: Target, kind: str, value: float, met: bool) -> str:
    """Where a figure lies against the target: "met", "below" or "above" (a strict target's very
    figure is "below": not above it)."""
    if met:
        return "met"
    low, high = float(target.value), float(target.value_max or target.value)
    if kind == "about":
        low, high = low - ABOUT_TOLERANCE * abs(low), high + ABOUT_TOLERANCE * abs(high)
    if kind in {"floor", "strict"}:
        return "below"
    if kind in {"ceiling", "rank"}:
        return "above"
    return "above" if value > high else "below"


def _bare_figure(target: Target, kind: str) -> str:
    """The target's figure without its comparator: "50%", "15–20% GRDP", or "15" for a top 15."""
    if kind == "rank":
        return format_number(target.value)
    if kind == "range":
        return describe_value("=", target.value, target.value_max, target.unit)
    return describe_value("=", target.value, None, target.unit)


def goal_figure(target: Target) -> str:
    """The target's figure as the programme states it ("≥ 90%", "hạng ≤ 15")."""
    return describe_value(
        target.comparator,
        target.value,
        target.value_max,
        target.unit,
        strict=target.is_strict,
        rank_total=target.rank_total,
    )


def _comparison(target: Target, value: float, met: bool) -> str:
    kind = target_kind(target)
    position = _position(target, kind, value, met)
    return _(COMPARISONS[(kind, position)]) % {"figure": _bare_figure(target, kind)}


def _year(value: float | None) -> str:
    return str(int(value)) if value is not None else "—"


def _pace(assessment: Assessment | PastAssessment) -> str:
    if assessment.ratio is None or assessment.ratio < 0:
        return _("it is moving away from the target")
    pace = format_number(round(Decimal(str(assessment.ratio)) * 100)) + "%"
    return _(PACES.get(assessment.method, PACES["statcan_cagr"])) % {"pace": pace}


def explain(assessment: Assessment | PastAssessment) -> str:
    """Why the status is what it is, in the active language: one sentence per status and kind of
    target, with figures rounded for their unit (docs/assessment.md)."""
    target = assessment.target
    kind = target.indicator.unit_kind

    def measure(value: float | None) -> str:
        return format_measure(value, target.unit, kind)

    params = {
        "latest": measure(assessment.latest_value),
        "latest_year": _year(assessment.latest_year),
        "year": _year(assessment.target_year),
        "base": measure(assessment.base_value),
        "base_year": _year(assessment.base_year),
        "forecast": measure(assessment.forecast_value),
        "goal": goal_figure(target),
    }
    status, latest = assessment.status, assessment.latest_value or 0.0
    if status == "insufficient_data":
        return _(REASONS.get(assessment.reason, UNKNOWN_REASON))
    params["comparison"] = _comparison(target, latest, met=status == "achieved")
    if status == "achieved" and assessment.deadline_passed:
        return (
            _("Achieved by the deadline (%(year)s): %(latest)s in %(latest_year)s %(comparison)s.")
            % params
        )
    if status == "achieved":
        return _("Achieved: %(latest)s in %(latest_year)s %(comparison)s.") % params
    if status == "not_achieved":
        return (
            _(
                "Not achieved: the deadline (%(year)s) has passed, and the last figure by then, "
                "%(latest)s in %(latest_year)s, %(comparison)s."
            )
            % params
        )
    if assessment.reason == "annual_target":
        return (
            _(
                "Not met this year: %(latest)s in %(latest_year)s %(comparison)s, "
                "a figure to reach every year."
            )
            % params
        )
    if status == "adjustment_needed" and assessment.forecast_value is None:
        return (
            _(
                "Beyond the target: %(latest)s in %(latest_year)s %(comparison)s (deadline "
                "%(year)s); more is not better here, so the trend or the target needs adjusting."
            )
            % params
        )
    if status == "adjustment_needed":
        params["comparison"] = _comparison(target, assessment.forecast_value or 0.0, met=False)
        return (
            _(
                "From %(base)s (%(base_year)s) to %(latest)s (%(latest_year)s): at this pace it "
                "would be about %(forecast)s by %(year)s, which %(comparison)s."
            )
            % params
        )
    params["pace"] = _pace(assessment)
    return (
        _(
            "From %(base)s (%(base_year)s) to %(latest)s (%(latest_year)s), %(pace)s: at this pace "
            "about %(forecast)s by %(year)s, against a target of %(goal)s."
        )
        % params
    )
