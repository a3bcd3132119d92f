"""`lotrinh extract-targets FILE [--format jsonl|csv|table]`: propose the targets of a document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotrinh.core.errors import UserFacingError
from lotrinh.core.spreadsheets import SafeCsvWriter
from lotrinh.extraction.documents import ExtractionError, check_size, read_document
from lotrinh.extraction.limits import current_limits
from lotrinh.extraction.parsing import SCHEMA_FIELDS, as_record, extract_document


class Command(BaseCommand):
    help = "Read a .txt, .docx or .pdf document and print the targets it states."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["jsonl", "csv", "table"], default="jsonl")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if not path.is_file():
                raise ExtractionError(_("The file %(path)s does not exist."), path=str(path))
            limits = current_limits()
            check_size(path.stat().st_size, limits.largest_upload)
            result = extract_document(read_document(path.read_bytes(), path.name, limits), limits)
        except UserFacingError as exc:
            raise CommandError(exc.bilingual()) from exc
        records = [as_record(target) for target in result.targets]
        if options["format"] == "jsonl":
            for record in records:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
        elif options["format"] == "csv":
            writer = SafeCsvWriter(self.stdout, lineterminator="\n")
            writer.writerow(SCHEMA_FIELDS)
            writer.writerows([record.get(name, "") for name in SCHEMA_FIELDS] for record in records)
        else:
            self._table(records)
        for note in result.notes:
            self.stderr.write(str(note))

    def _table(self, records: list[dict[str, Any]]) -> None:
        columns = ("year", "level", "comparator", "value", "unit", "pillar", "indicator", "rule")
        self.stdout.write(
            "  ".join(f"{column:<10}" for column in columns[:6]) + "  indicator  [rule]"
        )
        for record in records:
            cells = [record[column] for column in columns[:6]]
            value = (
                record["value"]
                if record["value_max"] is None
                else f"{record['value']}–{record['value_max']}"
            )
            cells[3] = value
            line = "  ".join(f"{'' if cell is None else cell!s:<10}" for cell in cells)
            self.stdout.write(f"{line}  {record['indicator']}  [{record['rule']}]")
