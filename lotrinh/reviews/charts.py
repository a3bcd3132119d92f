"""Charts of a review as PNG images (matplotlib, drawn on the server): targets by status in each
pillar, and the trends of the main targets behind schedule. Labels come in the active language and
numbers the Vietnamese way, through the same functions as the report's text."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: images only

from matplotlib import pyplot  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from lotrinh.assessment.models import Assessment, AssessmentStatus, PastAssessment  # noqa: E402
from lotrinh.core.formatting import format_number  # noqa: E402
from lotrinh.indicators.models import Pillar  # noqa: E402

# The status colours of the dashboard's labels (core/static/lotrinh/site.css).
COLOURS = {
    "achieved": "#1b5e20",
    "on_track": "#66bb6a",
    "acceleration_needed": "#f9a825",
    "adjustment_needed": "#8e24aa",
    "limited": "#e64a19",
    "deterioration": "#b71c1c",
    "not_achieved": "#8e0000",
    "insufficient_data": "#b0bec5",
}
DPI = 120


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    # Fixed margins (subplots_adjust) rather than a "tight" layout, which draws the figure twice.
    figure.savefig(buffer, format="png", dpi=DPI)  # type: ignore[attr-defined]
    pyplot.close(figure)  # type: ignore[arg-type]
    return buffer.getvalue()


def _number(value: float, _position: object = None) -> str:
    return format_number(round(value, 2))


def status_by_pillar(assessments: Sequence[Assessment | PastAssessment]) -> bytes:
    """A horizontal bar per pillar, split by status."""
    pillars = [
        (p, str(label))
        for p, label in Pillar.choices
        if any(a.target.pillar == p for a in assessments)
    ]
    figure, axes = pyplot.subplots(figsize=(6.5, 0.55 * len(pillars) + 1.3))
    left = [0] * len(pillars)
    for status, label in AssessmentStatus.choices:
        counts = [
            sum(1 for a in assessments if a.target.pillar == p and a.status == status)
            for p, _l in pillars
        ]
        if not any(counts):
            continue
        axes.barh(
            [name for _p, name in pillars],
            counts,
            left=left,
            color=COLOURS[status],
            label=str(label),
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(_number))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=7, frameon=False)
    figure.subplots_adjust(left=0.2, right=0.97, top=0.95, bottom=0.35)
    axes.tick_params(labelsize=8)
    return _png(figure)


def trends(assessments: Sequence[Assessment | PastAssessment], limit: int = 4) -> bytes | None:
    """The counted figures of up to `limit` targets behind schedule (those with at least two
    figures), each with its target at the deadline and the forecast; None when there are none."""
    lagging = ("not_achieved", "deterioration", "limited", "acceleration_needed")
    chosen = [
        a
        for a in sorted(
            assessments, key=lambda a: lagging.index(a.status) if a.status in lagging else 9
        )
        if a.status in lagging and sum(1 for p in a.series if p["counted"]) >= 2
    ][:limit]
    if not chosen:
        return None
    columns = 2 if len(chosen) > 1 else 1
    rows = (len(chosen) + 1) // 2
    figure, grid = pyplot.subplots(rows, columns, figsize=(7, 2.4 * rows), squeeze=False)
    for axes, assessment in zip(grid.flat, chosen, strict=False):
        points = [p for p in assessment.series if p["counted"]]
        years = [int(p["day"][:4]) + (int(p["day"][5:7]) - 0.5) / 12 for p in points]
        axes.plot(years, [p["value"] for p in points], marker="o", color="#1565c0", linewidth=1.5)
        if assessment.target_year is not None and assessment.target_value is not None:
            axes.plot(
                [assessment.target_year],
                [assessment.target_value],
                marker="*",
                markersize=11,
                color="#2e7d32",
                linestyle="none",
            )
        if assessment.forecast_value is not None and assessment.forecast_year is not None:
            axes.plot(
                [years[-1], assessment.forecast_year],
                [points[-1]["value"], assessment.forecast_value],
                linestyle="--",
                color=COLOURS[assessment.status],
            )
        name = assessment.target.indicator_name
        axes.set_title(name if len(name) <= 60 else name[:57] + "…", fontsize=7.5)
        axes.yaxis.set_major_formatter(FuncFormatter(_number))
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years, each once
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(v))))
        axes.tick_params(labelsize=7)
        axes.spines[["top", "right"]].set_visible(False)
    for axes in list(grid.flat)[len(chosen) :]:
        axes.set_visible(False)
    figure.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.1, hspace=0.5, wspace=0.25)
    return _png(figure)
