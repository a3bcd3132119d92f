"""The ledger's writes: `record`, the one function that appends entries for report events, and
`sign_tree_head`. Callers are the reporting services and the bulk import, inside their own
transaction, so an entry exists exactly when its change is committed.

Every append also asks for a signed tree head (`request_tree_head`): one task per burst of
appends, run no sooner than LOTRINH_LEDGER_STH_INTERVAL_SECONDS after the previous head, so the
published head is never older than that while the ledger grows, and a busy hour signs at most
one head per interval."""

from __future__ import annotations

import base64
import datetime
import hashlib
from collections.abc import Collection
from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import require_view_unit
from lotrinh.core.bulk import insert_rows
from lotrinh.core.errors import UserFacingError
from lotrinh.ledger import merkle
from lotrinh.ledger.canonical import EntryFields
from lotrinh.ledger.models import Entry, Log, Node, TreeHead
from lotrinh.ledger.queries import report_states, stored_nodes, with_stored_nodes
from lotrinh.ledger.receipts import key_id, tree_head_bytes
from lotrinh.ledger.signing import public_key_bytes, signing_key
from lotrinh.reporting.models import Report, Status

ENTRY_COLUMNS = (
    "index",
    "report_id",
    "regime",
    "period",
    "unit",
    "action",
    "actor_id",
    "recorded_at",
    "content",
    "content_sha256",
    "previous",
)


def utc_text(moment: datetime.datetime) -> str:
    """An entry's time as it is hashed: ISO 8601 in UTC to the millisecond (what Django's JSON
    serialisation keeps, so that dumpdata and loaddata copies still verify)."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def _now() -> datetime.datetime:
    """The current time to the millisecond, as entries store and hash it."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def entry_fields(entry: Entry) -> EntryFields:
    return EntryFields(
        index=entry.index,
        report=entry.report_id,
        regime=entry.regime,
        period=entry.period,
        unit=entry.unit,
        action=entry.action,
        actor=entry.actor_id,
        recorded_at=utc_text(entry.recorded_at),
        content_sha256=entry.content_sha256,
        previous=entry.previous,
    )


def _locked_log() -> Log:
    """The log row, locked until the caller's transaction ends: appends take turns."""
    log, _created = Log.objects.select_for_update().get_or_create(pk=1)
    return log


def _frontier(size: int) -> merkle.Frontier:
    keys = merkle.Frontier.edge_keys(size)
    nodes = stored_nodes(keys)
    return merkle.Frontier(size, {level: nodes[level, index] for level, index in keys})


def record(
    report_ids: Collection[int], action: str, user: AbstractBaseUser | AnonymousUser | None
) -> int:
    """Append one entry per report: the action, who, when, and the report's status and figures as
    they now stand in this transaction. Returns the number of entries appended."""
    if not report_ids:
        return 0
    with transaction.atomic():
        log = _locked_log()
        states = report_states(report_ids)
        previous = dict(
            Entry.objects.filter(report_id__among=list(states))
            .values("report_id")
            .annotate(last=Max("index"))
            .values_list("report_id", "last")
        )
        frontier = _frontier(log.size)
        now = _now()
        actor_id = user.pk if user is not None and user.is_authenticated else None
        entries, nodes = [], []
        for report_id in sorted(states):
            state = states[report_id]
            content = state.content
            fields = EntryFields(
                index=frontier.size,
                report=report_id,
                regime=state.regime,
                period=state.period,
                unit=state.unit,
                action=action,
                actor=actor_id,
                recorded_at=utc_text(now),
                content_sha256=hashlib.sha256(content).hexdigest(),
                previous=previous.get(report_id),
            )
            entries.append(
                (
                    fields.index,
                    report_id,
                    fields.regime,
                    fields.period,
                    fields.unit,
                    action,
                    actor_id,
                    now,
                    content.decode(),
                    fields.content_sha256,
                    fields.previous,
                )
            )
            nodes += [
                (level, index, value.hex())
                for level, index, value in frontier.append(merkle.leaf_hash(fields.encode()))
            ]
        insert_rows(Entry, ENTRY_COLUMNS, entries)
        insert_rows(Node, ("level", "index", "hash"), nodes)
        Log.objects.filter(pk=log.pk).update(size=frontier.size)
        request_tree_head(log)
    return len(entries)


# A head awaited for longer than the interval plus this was lost (its task deleted by hand, or
# every retry failed): the next append queues another.
STALE_REQUEST = datetime.timedelta(minutes=10)


def sth_interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=max(0, settings.LOTRINH_LEDGER_STH_INTERVAL_SECONDS))


def next_head_due(now: datetime.datetime, latest: TreeHead | None) -> datetime.datetime:
    """When the next head should be signed: at once after a quiet spell, else one interval after
    the latest head."""
    if latest is None:
        return now
    signed = datetime.datetime.fromtimestamp(latest.timestamp / 1000, tz=datetime.UTC)
    return max(now, signed + sth_interval())


def request_tree_head(log: Log) -> bool:
    """With the log row locked by the caller's append: queue the task that signs a head, unless one
    is already awaited. Queued in the append's transaction, so with the database's task queue both
    are kept or neither. Returns whether a task was queued."""
    from lotrinh.ledger.tasks import sign_tree_head_task  # the task module imports this one

    now = timezone.now()
    waiting = log.head_wanted_since
    if waiting is not None and now - waiting < sth_interval() + STALE_REQUEST:
        return False
    Log.objects.filter(pk=log.pk).update(head_wanted_since=now)
    task = sign_tree_head_task
    due = next_head_due(now, latest_tree_head())
    if due > now and task.get_backend().supports_defer:
        task = task.using(run_after=due)
    task.enqueue()
    return True


def sign_awaited_tree_head() -> TreeHead:
    """The awaited head (the task's work): clears the request and signs, in one transaction with
    the log locked, so an append committed after it asks for the next head."""
    with transaction.atomic():
        log = _locked_log()
        Log.objects.filter(pk=log.pk).update(head_wanted_since=None)
        return sign_tree_head()


def adopt_unrecorded() -> int:
    """Record, as they stand, the sent reports the ledger has no entry for: those of a database
    that was in use before the ledger. Run once, when the ledger is started; returns how many."""
    recorded = set(Entry.objects.values_list("report_id", flat=True).distinct())
    unrecorded = [
        pk
        for pk in Report.objects.exclude(status=Status.DRAFT).values_list("pk", flat=True)
        if pk not in recorded
    ]
    for start in range(0, len(unrecorded), 5_000):
        record(unrecorded[start : start + 5_000], "adopted", None)
    return len(unrecorded)


def sign_tree_head() -> TreeHead:
    """The signed head of the log as it stands now: the latest one if nothing was appended since,
    else a new one, signed and kept."""
    with transaction.atomic():
        size = _locked_log().size
        latest = TreeHead.objects.filter(tree_size=size).first()
        if latest is not None:
            return latest
        root = with_stored_nodes(lambda nodes: merkle.root(nodes, size))
        timestamp = int(timezone.now().timestamp() * 1000)
        signature = signing_key().sign(tree_head_bytes(size, timestamp, root))
        return TreeHead.objects.create(
            tree_size=size,
            timestamp=timestamp,
            root_hash=root.hex(),
            signature=base64.b64encode(signature).decode(),
            key_id=key_id(public_key_bytes()),
        )


def sth_json(head: TreeHead) -> dict[str, object]:
    """A tree head as published: sizes and hashes only (RFC 6962 §4.3's get-sth, plus the key)."""
    return {
        "tree_size": head.tree_size,
        "timestamp": head.timestamp,
        "sha256_root_hash": base64.b64encode(bytes.fromhex(head.root_hash)).decode(),
        "tree_head_signature": head.signature,
        "key_id": head.key_id,
    }


class LedgerError(UserFacingError):
    """A request the ledger cannot answer: sizes out of range."""

    status_code = 400


class NotInLedgerError(LedgerError):
    """The report has no entry yet (a draft)."""

    status_code = 404


def current_size() -> int:
    return Log.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def consistency(first: int, second: int) -> dict[str, object]:
    """RFC 6962 §2.1.2's proof that the log of `first` entries is a prefix of the log of `second`
    (both no larger than the log), as base64 hashes; O(log² n) stored nodes are read."""
    size = current_size()
    if not 0 <= first <= second <= size:
        raise LedgerError(
            _("The sizes must satisfy 0 ≤ first ≤ second ≤ %(size)s (the log's size)."), size=size
        )
    proof = with_stored_nodes(lambda nodes: merkle.consistency_proof(nodes, first, second))
    return {
        "first": first,
        "second": second,
        "consistency": [base64.b64encode(h).decode() for h in proof],
    }


def make_receipt(user: AbstractBaseUser | AnonymousUser, report: Report) -> dict[str, object]:
    """A report's receipt: its last entry with the figures it records, the entry's audit path, a
    signed tree head that includes it and the public key (lotrinh.ledger.receipts checks it)."""
    require_view_unit(user, report.org_unit)
    entry = Entry.objects.filter(report_id=report.pk).order_by("-index").first()
    if entry is None:
        raise NotInLedgerError(
            _("This report is not in the ledger yet: a receipt is given once it has been sent.")
        )
    head = (
        TreeHead.objects.filter(tree_size__gt=entry.index).order_by("-tree_size").first()
        or sign_tree_head()
    )
    fields = entry_fields(entry)
    path = with_stored_nodes(
        lambda nodes: merkle.inclusion_proof(nodes, entry.index, head.tree_size)
    )
    return {
        "entry": asdict(fields),
        "content": entry.content,
        "leaf_hash": base64.b64encode(merkle.leaf_hash(fields.encode())).decode(),
        "inclusion_proof": [base64.b64encode(h).decode() for h in path],
        "tree_head": sth_json(head),
        "public_key": base64.b64encode(public_key_bytes()).decode(),
        "how_to_verify": "lotrinh ledger verify-receipt FILE --public-key PUBLISHED_KEY",
    }


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def public_key_text() -> str:
    """The log's public key as published: base64 of its 32 raw bytes."""
    return base64.b64encode(public_key_bytes()).decode()
