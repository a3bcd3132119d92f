"""`lotrinh ledger verify`: re-derive every entry and the tree from the database and name each
report, figure and time that no longer matches what the ledger recorded.

Reads in batches, so memory stays bounded by the number of reports (one integer each), not figures.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from lotrinh.ledger import merkle
from lotrinh.ledger.canonical import read_content
from lotrinh.ledger.models import Entry, Log, Node, TreeHead
from lotrinh.ledger.queries import ReportState, report_states
from lotrinh.ledger.receipts import verify_tree_head
from lotrinh.ledger.services import entry_fields, sth_json
from lotrinh.ledger.signing import public_key_bytes
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.periods import period_label

BATCH = 2_000


@dataclass
class Verification:
    entries: int = 0
    reports: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Latest:
    """Where a report stands in the ledger: its last entry."""

    index: int
    content: str
    unit: str
    period: str
    recorded_at: str


def verify() -> Verification:
    """Check the log's entries, tree and signed heads, then every report against its last entry."""
    result = Verification()
    latest = _check_log(result)
    _check_reports(result, latest)
    return result


def _entries() -> Iterator[list[Entry]]:
    start = 0
    while True:
        batch = list(Entry.objects.filter(index__gte=start).order_by("index")[:BATCH])
        if not batch:
            return
        yield batch
        start = batch[-1].index + 1


def _stored_nodes_between(start: int, end: int) -> dict[merkle.NodeKey, str]:
    """Every stored node whose leaves start in [start, end)."""
    found: dict[merkle.NodeKey, str] = {}
    for level in range(end.bit_length() + 1):
        low, high = start >> level, (end - 1) >> level
        rows = Node.objects.filter(level=level, index__gte=low, index__lte=high)
        found |= {(level, i): h for i, h in rows.values_list("index", "hash")}
    return found


def _check_log(result: Verification) -> dict[int, int]:
    """Check each entry's hash, the stored tree and the signed heads; returns each report's last
    entry index."""
    heads = {h.tree_size: h for h in TreeHead.objects.all()}
    frontier, latest = merkle.Frontier(), dict[int, int]()
    for batch in _entries():
        stored = _stored_nodes_between(batch[0].index, batch[-1].index + 1)
        for entry in batch:
            if entry.index != frontier.size:
                result.problems.append(
                    _("Ledger entries #%(first)s to #%(last)s are missing.")
                    % {"first": frontier.size, "last": entry.index - 1}
                )
                return latest  # indexes no longer match the tree: nothing after this is provable
            if hashlib.sha256(entry.content.encode()).hexdigest() != entry.content_sha256:
                result.problems.append(
                    _(
                        "Ledger entry #%(index)s (%(time)s) was altered: its content no longer matches its hash."
                    )
                    % {"index": entry.index, "time": _local(entry.recorded_at)}
                )
            made = frontier.append(merkle.leaf_hash(entry_fields(entry).encode()))
            if any(stored.get((lv, i)) != h.hex() for lv, i, h in made):
                result.problems.append(
                    _(
                        "Ledger entry #%(index)s (%(time)s) was altered: it no longer matches the Merkle tree."
                    )
                    % {"index": entry.index, "time": _local(entry.recorded_at)}
                )
            latest[entry.report_id] = entry.index
            result.entries += 1
            _check_head(result, heads.get(frontier.size), frontier)
    size = Log.objects.filter(pk=1).values_list("size", flat=True).first() or 0
    if size != frontier.size:
        result.problems.append(
            _("The ledger counts %(size)s entries but holds %(found)s.")
            % {"size": size, "found": frontier.size}
        )
    for tree_size in sorted(s for s in heads if s > frontier.size):
        result.problems.append(
            _(
                "A tree head of %(size)s entries was signed, but the ledger now holds %(found)s: entries were deleted."
            )
            % {"size": tree_size, "found": frontier.size}
        )
    return latest


def _check_head(result: Verification, head: TreeHead | None, frontier: merkle.Frontier) -> None:
    if head is None:
        return
    if head.root_hash != frontier.root().hex():
        result.problems.append(
            _(
                "The tree of %(size)s entries signed on %(time)s no longer has the signed root: entries before #%(size)s were rewritten."
            )
            % {"size": head.tree_size, "time": _local_ms(head.timestamp)}
        )
    elif not verify_tree_head(sth_json(head), public_key_bytes()):
        result.problems.append(
            _(
                "The signature of the tree head of %(size)s entries is not valid with this server's key."
            )
            % {"size": head.tree_size}
        )


def _check_reports(result: Verification, latest: dict[int, int]) -> None:
    ids = sorted(latest)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        entries = {
            e.report_id: e
            for e in Entry.objects.filter(index__in=[latest[r] for r in chunk]).only(
                "index", "report_id", "content", "unit", "period", "recorded_at"
            )
        }
        states = report_states(chunk)
        names = _unit_names({e.unit for e in entries.values()})
        for report_id in chunk:
            entry = entries[report_id]
            where = _("report %(id)s of %(unit)s, %(period)s") % {
                "id": report_id,
                "unit": names.get(entry.unit, entry.unit),
                "period": period_label(entry.period),
            }
            result.problems += _compare(where, entry, states.get(report_id))
            result.reports += 1
    _check_unrecorded(result, latest)


def _compare(where: str, entry: Entry, state: ReportState | None) -> list[str]:
    """How a report differs from its last entry, one sentence per difference."""
    facts = {"where": where, "index": entry.index, "time": _local(entry.recorded_at)}
    if state is None:
        return [
            _("The %(where)s was deleted; ledger entry #%(index)s (%(time)s) records it.") % facts
        ]
    status, figures = read_content(entry.content)
    found: list[str] = []
    if state.status != status:
        found.append(
            _("The %(where)s is %(now)s, but ledger entry #%(index)s (%(time)s) records %(then)s.")
            % {**facts, "now": state.status, "then": status}
        )
    if state.status == status == Status.DRAFT:
        return found  # a draft's figures change freely until it is sent
    for code in sorted(set(figures) | set(state.figures)):
        then, now = figures.get(code, "-"), state.figures.get(code, "-")
        if code not in state.figures:
            message = _(
                "In the %(where)s, figure %(code)s (%(then)s) was deleted; ledger entry #%(index)s (%(time)s) records it."
            )
        elif code not in figures:
            message = _(
                "In the %(where)s, figure %(code)s (%(now)s) was added; ledger entry #%(index)s (%(time)s) does not record it."
            )
        elif then != now:
            message = _(
                "In the %(where)s, figure %(code)s is %(now)s, but ledger entry #%(index)s (%(time)s) records %(then)s."
            )
        else:
            continue
        found.append(message % {**facts, "code": code, "then": then, "now": now})
    return found


def _check_unrecorded(result: Verification, latest: dict[int, int]) -> None:
    """Reports sent, approved or returned that the ledger never recorded (inserted, or a draft's
    status changed behind the application's back)."""
    sent = Report.objects.exclude(status=Status.DRAFT).values_list(
        "pk", "org_unit__name", "period__code", "status"
    )
    for pk, unit, period, status in sent.iterator(chunk_size=BATCH):
        if pk not in latest:
            result.problems.append(
                _(
                    "The report %(id)s of %(unit)s, %(period)s is %(status)s but the ledger has no entry for it."
                )
                % {"id": pk, "unit": unit, "period": period_label(period), "status": status}
            )


def _unit_names(paths: set[str]) -> dict[str, str]:
    return dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "name"))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def _local_ms(timestamp_ms: int) -> str:
    return _local(datetime.datetime.fromtimestamp(timestamp_ms / 1000, tz=datetime.UTC))
