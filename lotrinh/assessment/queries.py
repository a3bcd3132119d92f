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
