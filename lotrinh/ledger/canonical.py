"""The canonical encodings the ledger hashes: a report's state and a log entry. Pure: no database.

JSON with sorted keys, no spaces, UTF-8, figures as plain decimal strings (never floats), so the
same state always gives the same bytes on any machine and in any language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


def figure_text(value: Decimal | str | None) -> str | None:
    """A figure as the ledger writes it: 120 for 120.0000, 0.5 for 0.5000, none for empty. Takes
    the stored figure as a Decimal or as the database's text of it ("120.0000", "1.2e+20")."""
    if value is None:
        return None
    text = str(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text).normalize(), "f")
    elif "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text  # -0 and 0.0000 are the same figure


def _dumps(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def report_content(status: str, figures: Mapping[str, str | None]) -> bytes:
    """A report's recorded state: its status and every figure by data element code."""
    return _dumps({"figures": dict(figures), "status": status})


def read_content(content: bytes | str) -> tuple[str, dict[str, str | None]]:
    """(status, figures) of a recorded state."""
    data = json.loads(content)
    return data["status"], data["figures"]


@dataclass(frozen=True)
class EntryFields:
    """What one log entry states; its canonical encoding is the leaf of the Merkle tree."""

    index: int
    report: int
    regime: str
    period: str
    unit: str  # the unit's path, e.g. 2025/52/21952/
    action: str
    actor: int | None  # user id, or none for the system
    recorded_at: str  # ISO 8601 in UTC, to the millisecond
    content_sha256: str
    previous: int | None  # this report's previous entry

    def encode(self) -> bytes:
        # The fields by name (dataclasses.asdict deep-copies, which an import of 3,000 reports felt).
        return _dumps({name: getattr(self, name) for name in self.__dataclass_fields__})

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> EntryFields:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})  # type: ignore[arg-type]
