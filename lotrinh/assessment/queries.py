"""Reads of kept assessments: a programme's history per cut-off, and one cut-off's figures."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from lotrinh.assessment.models import PastAssessment
from lotrinh.assessment.scoring import DEFAULT_METHOD
from lotrinh.indicators.models import Programme


@dataclass(frozen=True)
class Cutoff:
    as_of: datetime.date
    assessments: list[PastAssessment]

    @property
    def counts(self) -> dict[str, int]:
        """How many targets had each status at this cut-off."""
        return dict(Counter(a.status for a in self.assessments))


def assessment_history(programme: Programme, method: str = DEFAULT_METHOD) -> list[Cutoff]:
    """Every kept cut-off of a programme, oldest first, with each target's assessment then."""
    rows = (
        PastAssessment.objects.filter(target__programme=programme, method=method)
        .select_related("target__indicator")
        .order_by("as_of", "target__source_line")
    )
    by_day: dict[datetime.date, list[PastAssessment]] = {}
    for row in rows:
        by_day.setdefault(row.as_of, []).append(row)
    return [Cutoff(day, found) for day, found in by_day.items()]


def previous_cutoff(
    programme: Programme, before: datetime.date, method: str = DEFAULT_METHOD
) -> Cutoff | None:
    """The last kept cut-off strictly before `before` (the previous review's figures), if any."""
    day = (
        PastAssessment.objects.filter(target__programme=programme, method=method, as_of__lt=before)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if day is None:
        return None
    rows = (
        PastAssessment.objects.filter(target__programme=programme, method=method, as_of=day)
        .select_related("target__indicator")
        .order_by("target__source_line")
    )
    return Cutoff(day, list(rows))


# A card shows at most this many kept cut-offs (two years of quarter ends): enough for a trend,
# small enough for a phone, and it bounds the page's read.
TREND_CUTOFFS = 8


@dataclass(frozen=True)
class StatusTrends:
    """The statuses kept at a programme's last cut-offs before a day, per target, oldest first."""

    cutoffs: list[datetime.date]
    by_target: dict[int, list[tuple[datetime.date, str]]]

    @property
    def previous(self) -> datetime.date | None:
        """The newest kept cut-off (the previous review's), if any."""
        return self.cutoffs[-1] if self.cutoffs else None

    def previous_status(self, target_id: int) -> str | None:
        steps = self.by_target.get(target_id, [])
        return steps[-1][1] if steps and steps[-1][0] == self.previous else None


def status_trends(
    programme: Programme,
    before: datetime.date,
    method: str = DEFAULT_METHOD,
    limit: int = TREND_CUTOFFS,
) -> StatusTrends:
    """The statuses of every target at the programme's last `limit` kept cut-offs strictly before
    `before` (today: a cut-off kept for today is the present, not the past). Two queries."""
    kept = PastAssessment.objects.filter(
        target__programme=programme, method=method, as_of__lt=before
    )
    days = sorted(kept.order_by("-as_of").values_list("as_of", flat=True).distinct()[:limit])
    by_target: dict[int, list[tuple[datetime.date, str]]] = {}
    rows = kept.filter(as_of__in=days).order_by("as_of").values_list("target_id", "as_of", "status")
    for target_id, as_of, status in rows:
        by_target.setdefault(target_id, []).append((as_of, status))
    return StatusTrends(days, by_target)
