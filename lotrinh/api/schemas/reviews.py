"""API shapes of review reports: the drafts kept for a programme, and a request for a new one."""

from __future__ import annotations

import datetime

from ninja import Schema


class ReviewIn(Schema):
    """A draft to make: its cut-off, format and language; `metadata` (the letterhead's fields,
    as the programme page's form has them) replaces the remembered letterhead when given."""

    as_of: datetime.date
    format: str = "docx"  # docx | pdf
    language: str = "vi"  # vi | en
    metadata: dict[str, str] | None = None


class ReviewOut(Schema):
    id: int
    as_of: datetime.date
    layout: str
    format: str
    language: str
    created_at: datetime.datetime
    created_by: str
    size: int
    download: str  # the address of the file
