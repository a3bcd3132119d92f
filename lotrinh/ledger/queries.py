"""Reads of the ledger: the recorded state of reports as they stand, and the stored tree nodes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from lotrinh.indicators.models import DataElement
from lotrinh.ledger import merkle
from lotrinh.ledger.canonical import figure_text, report_content
from lotrinh.ledger.models import Node
from lotrinh.reporting.models import DataValue, Report

T = TypeVar("T")


@dataclass(frozen=True)
class ReportState:
    """A report as the ledger names and hashes it."""

    report_id: int
    regime: str
    period: str
    unit: str  # path
    status: str
    figures: dict[str, str | None]

    @property
    def content(self) -> bytes:
        return report_content(self.status, self.figures)


def report_states(report_ids: Collection[int]) -> dict[int, ReportState]:
    """The current status and figures of these reports (absent ids: deleted reports), read with
    two queries whatever their number; the one reading both the ledger's writer and its verifier use."""
    ids = list(report_ids)
    if not ids:
        return {}
    codes = dict(DataElement.objects.values_list("pk", "code"))
    figures: dict[int, dict[str, str | None]] = defaultdict(dict)
    # Figures as the database's text: no Decimal made and printed again for each of an import's
    # 200,000 figures (what the ledger first spent most of its time on).
    rows = (
        DataValue.objects.filter(report_id__among=ids)
        .annotate(text=Cast("value", TextField()))
        .values_list("report_id", "data_element_id", "text")
    )
    for report_id, element_id, text in rows:
        figures[report_id][codes.get(element_id, str(element_id))] = figure_text(text)
    return {
        pk: ReportState(pk, regime, period, unit, status, figures.get(pk, {}))
        for pk, regime, period, unit, status in Report.objects.filter(pk__among=ids).values_list(
            "pk", "regime__code", "period__code", "org_unit__path", "status"
        )
    }


def stored_nodes(keys: Iterable[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
    """The stored hashes of these tree nodes, in one query."""
    by_level: dict[int, list[int]] = defaultdict(list)
    for level, index in keys:
        by_level[level].append(index)
    if not by_level:
        return {}
    where = Q()
    for level, indexes in by_level.items():
        where |= Q(level=level, index__in=indexes)
    return {
        (level, index): bytes.fromhex(value)
        for level, index, value in Node.objects.filter(where).values_list("level", "index", "hash")
    }


def with_stored_nodes(build: Callable[[merkle.Nodes], T]) -> T:
    """Run a tree computation (a root, a proof) on the stored nodes, fetched in one query."""
    nodes = stored_nodes(merkle.needed_nodes(build))
    return build(lambda level, index: nodes[level, index])
