"""Checking a receipt offline: no database, no Django, only the file and the `cryptography`
library. `lotrinh ledger verify-receipt FILE` runs this before Django is set up.

A receipt holds one entry, the report state it records, the entry's audit path and a signed tree
head (RFC 6962 §3.5) with the log's public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lotrinh.ledger import merkle
from lotrinh.ledger.canonical import EntryFields


def tree_head_bytes(size: int, timestamp_ms: int, root: bytes) -> bytes:
    """The signed bytes of a tree head (RFC 6962 §3.5: version 0, tree_hash, timestamp, size, root)."""
    return struct.pack(">BBQQ", 0, 1, timestamp_ms, size) + root


def key_id(public_key: bytes) -> str:
    """A short name of a public key: the hex SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_key).hexdigest()


def verify_tree_head(sth: dict[str, object], public_key: bytes) -> bool:
    """Whether this signed tree head was signed by the holder of `public_key`."""
    signed = tree_head_bytes(
        int(sth["tree_size"]),  # type: ignore[call-overload]
        int(sth["timestamp"]),  # type: ignore[call-overload]
        base64.b64decode(str(sth["sha256_root_hash"])),
    )
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            base64.b64decode(str(sth["tree_head_signature"])), signed
        )
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class ReceiptCheck:
    """Each check a receipt passed or failed, in order, with the facts it proves."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and bool(self.passed)


def check_receipt(receipt: dict[str, object], trusted_key: bytes | None = None) -> ReceiptCheck:
    """Check every link from the recorded figures to the signature; `trusted_key` is the log's
    public key as published, which the key inside the receipt must equal."""
    result = ReceiptCheck()
    try:
        entry = EntryFields.from_dict(receipt["entry"])  # type: ignore[arg-type]
        content = str(receipt["content"]).encode()
        sth: dict[str, object] = receipt["tree_head"]  # type: ignore[assignment]
        path = [base64.b64decode(p) for p in receipt["inclusion_proof"]]  # type: ignore[attr-defined]
        public_key = base64.b64decode(str(receipt["public_key"]))
    except (KeyError, TypeError, ValueError) as exc:
        result.failed.append(f"not a receipt: missing or unreadable field {exc}")
        return result
    if trusted_key is not None and trusted_key != public_key:
        result.failed.append("the receipt's public key is not the trusted one")
    if hashlib.sha256(content).hexdigest() == entry.content_sha256:
        result.passed.append("the recorded figures hash to the entry's content_sha256")
    else:
        result.failed.append("the recorded figures do not match the entry's content_sha256")
    leaf = merkle.leaf_hash(entry.encode())
    if base64.b64encode(leaf).decode() != receipt.get("leaf_hash"):
        result.failed.append("the entry does not hash to the receipt's leaf hash")
    size = int(sth.get("tree_size", 0))  # type: ignore[call-overload]
    implied = merkle.root_from_inclusion(entry.index, size, leaf, path)
    if implied is not None and base64.b64encode(implied).decode() == sth.get("sha256_root_hash"):
        result.passed.append(f"entry {entry.index} is in the log of {size} entries")
    else:
        result.failed.append(f"the inclusion proof does not lead to the tree head of {size}")
    if verify_tree_head(sth, public_key):
        result.passed.append(f"the tree head is signed by key {key_id(public_key)[:16]}")
    else:
        result.failed.append("the tree head's signature is not valid")
    return result


def main(args: list[str]) -> int:
    """`lotrinh ledger verify-receipt FILE [--public-key BASE64]`: exit 0 when every check passes."""
    if not args or args[0].startswith("-"):
        print("usage: lotrinh ledger verify-receipt FILE [--public-key BASE64]")
        return 2
    trusted = None
    if "--public-key" in args:
        trusted = base64.b64decode(args[args.index("--public-key") + 1])
    try:
        with open(args[0], encoding="utf-8") as handle:
            receipt = json.load(handle)
    except (OSError, ValueError) as exc:
        print(f"Không đọc được biên nhận / Cannot read the receipt: {exc}")
        return 2
    result = check_receipt(receipt, trusted)
    for line in result.passed:
        print(f"OK    {line}")
    for line in result.failed:
        print(f"FAIL  {line}")
    if result.ok:
        entry = receipt["entry"]
        print(
            f"Biên nhận hợp lệ / Valid receipt: {entry['action']} "
            f"report {entry['report']} {entry['period']} {entry['unit']} at {entry['recorded_at']}"
        )
        if trusted is None:
            print(
                "Đối chiếu khóa công khai với khóa được công bố / Compare the public key with the published one (--public-key)."
            )
        return 0
    print("Biên nhận KHÔNG hợp lệ / The receipt is NOT valid.")
    return 1
