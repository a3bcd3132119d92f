"""Reading a programme's reviewed tasks file (`NAME.tasks.jsonl`). Pure: no database.

One JSON object per line: `title`, `lead` (the agency that leads it today, by name, under the
programme's province), `partners` (names), `deadline` ("quý IV/2020", "30/09/2020", "2025",
"hằng năm"), `text` (the sentence of the document it comes from), and optionally
`lead_as_written`, `deadline_stated`, `evidence_required` and a reviewer's `note`. Every line is
checked before anything is written; an error names the file, line and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.parsing import ProgrammeFileError, locate
from lotrinh.workplan.deadlines import Deadline, parse_deadline


@dataclass(frozen=True)
class TaskRecord:
    line: int
    title: str
    lead: str
    partners: list[str]
    deadline: Deadline
    text: str
    start: int
    end: int
    evidence_required: bool


def tasks_file_for(manifest: Path) -> Path:
    """`phu-yen.programme.toml` → `phu-yen.tasks.jsonl` beside it."""
    return manifest.with_name(manifest.name.removesuffix(".programme.toml") + ".tasks.jsonl")


def _text_field(raw: dict[str, Any], name: str, label: str, line: int) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ProgrammeFileError(label, _("A non-empty text is required."), line=line, field=name)
    return " ".join(value.split())


def read_tasks(path: Path, document: str) -> list[TaskRecord]:
    """Every task of a tasks file, with its source located in the programme's document."""
    label = path.name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ProgrammeFileError(label, _("The file does not exist.")) from exc
    records = []
    for number, content in enumerate(lines, start=1):
        if not content.strip():
            continue
        try:
            raw = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ProgrammeFileError(
                label, _("This line is not valid JSON (%(reason)s)."), line=number, reason=exc.msg
            ) from exc
        if not isinstance(raw, dict):
            raise ProgrammeFileError(label, _("Each line must be a JSON object."), line=number)
        partners = raw.get("partners", [])
        if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
            raise ProgrammeFileError(
                label, _("“partners” must be a list of names."), line=number, field="partners"
            )
        try:
            deadline = parse_deadline(_text_field(raw, "deadline", label, number))
        except UserFacingError as exc:
            if isinstance(exc, ProgrammeFileError):
                raise
            raise ProgrammeFileError(
                label, exc.message, line=number, field="deadline", **exc.params
            ) from exc
        text = _text_field(raw, "text", label, number)
        span = locate(document, text)
        if span is None:
            raise ProgrammeFileError(
                label,
                _("This excerpt is not in the document: “%(excerpt)s”."),
                line=number,
                field="text",
                excerpt=text[:80],
            )
        records.append(
            TaskRecord(
                line=number,
                title=_text_field(raw, "title", label, number),
                lead=_text_field(raw, "lead", label, number),
                partners=[" ".join(p.split()) for p in partners],
                deadline=deadline,
                text=text,
                start=span[0],
                end=span[1],
                evidence_required=bool(raw.get("evidence_required", True)),
            )
        )
    return records
