"""API shapes of the ledger: a report's receipt (lotrinh.ledger.services.make_receipt)."""

from __future__ import annotations

from ninja import Schema


class EntryOut(Schema):
    index: int
    report: int
    regime: str
    period: str
    unit: str
    action: str
    actor: int | None
    recorded_at: str
    content_sha256: str
    previous: int | None


class TreeHeadOut(Schema):
    tree_size: int
    timestamp: int
    sha256_root_hash: str
    tree_head_signature: str
    key_id: str


class ReceiptOut(Schema):
    entry: EntryOut
    content: str
    leaf_hash: str
    inclusion_proof: list[str]
    tree_head: TreeHeadOut
    public_key: str
    how_to_verify: str
