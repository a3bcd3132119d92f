"""Read and check a programme's files (manifest, document, targets, baselines) without a database.

Everything a loader needs is validated here first, so that a bad file is rejected whole, with the
file, line and field named, before anything is written.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import nfc

PILLARS = {"government", "economy", "society", "foundation"}
LEVELS = {"tỉnh", "huyện", "xã"}
YEAR_SOURCES = {"explicit", "section", "none", "document_date"}
DOCUMENT_TYPES = {"resolution", "decision", "conclusion", "plan"}
# Comparators as the review schema writes them, plus the mathematical signs people type.
COMPARATORS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", "~": "~", "≈": "~", "=": "="}
MIN_YEAR, MAX_YEAR = 1945, 2100
MAX_FILE_BYTES = 20 * 1024 * 1024
# Bounds that match the database columns, so a bad file is rejected here, by line and field,
# rather than failing (PostgreSQL) or being stored truncated (SQLite) later.
MAX_ABS_VALUE = Decimal("9999999999")
MAX_RANK_TOTAL = 10000
MAX_LENGTHS = {"indicator": 400, "unit": 60, "text": 5000, "note": 2000}
MANIFEST_LENGTHS = {"code": 80, "number": 60, "title": 500, "issuer": 200}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_RECORD_FIELDS = {
    "doc",
    "province",
    "pillar",
    "indicator",
    "level",
    "year",
    "value",
    "value_max",
    "unit",
    "comparator",
    "strict",
    "rank_total",
    "text",
    "year_source",
    "restatement",
    "implicit_value",
    "borderline",
    "period",
    "note",
    "kind",
}
_REQUIRED = ["doc", "pillar", "indicator", "year", "value", "unit", "comparator", "text"]
_MANIFEST_REQUIRED = [
    "code",
    "number",
    "document_type",
    "title",
    "issuer",
    "issued_on",
    "province",
    "document",
    "targets",
]


class ProgrammeFileError(UserFacingError):
    """A problem in a programme file, located by file, line (1-based) and field."""

    def __init__(
        self,
        file: str,
        problem: Promise | str,
        *,
        line: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        super().__init__(problem, **params)

    def text(self, language: str) -> str:
        with translation.override(language):
            problem = str(self.problem) % self.params if self.params else str(self.problem)
            where: Promise | str
            if self.line is not None and self.field:
                where = _("%(file)s, line %(line)d, field “%(field)s”")
            elif self.line is not None:
                where = _("%(file)s, line %(line)d")
            elif self.field:
                where = _("%(file)s, field “%(field)s”")
            else:
                where = "%(file)s"
            located = str(where) % {"file": self.file, "line": self.line, "field": self.field}
            return f"{located}: {problem}"


@dataclass(frozen=True)
class StatementRecord:
    """One reviewed target or baseline, checked and normalised."""

    line: int
    pillar: str
    indicator: str
    level: str
    year: int | None
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str
    strict: bool
    rank_total: int | None
    text: str
    text_start: int
    text_end: int
    year_source: str
    period: str = ""
    restatement: bool = False
    implicit_value: bool = False
    borderline: bool = False
    note: str = ""


@dataclass
class ProgrammeFiles:
    code: str
    number: str
    document_type: str
    title: str
    issuer: str
    issued_on: datetime.date
    province_structure: str
    province_code: str
    document_name: str
    document_text: str
    source_note: str
    targets: list[StatementRecord] = field(default_factory=list)
    baselines: list[StatementRecord] = field(default_factory=list)


def _read_text(path: Path, label: str) -> str:
    if not path.is_file():
        raise ProgrammeFileError(label, _("The file does not exist."))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ProgrammeFileError(label, _("The file is larger than the limit of 20 MB."))
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ProgrammeFileError(label, _("This is not a text file (it contains binary data)."))
    try:
        return nfc(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ProgrammeFileError(
            label, _("The file is not valid UTF-8 text (byte %(position)d)."), position=exc.start
        ) from exc


def span_pattern(fragment: str) -> re.Pattern[str]:
    """A pattern that finds `fragment` in a document whatever whitespace or line breaks split it."""
    words = nfc(fragment).split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def locate(document: str, fragment: str) -> tuple[int, int] | None:
    """Return the (start, end) character offsets of `fragment` in `document`, or None."""
    if not fragment.split():
        return None
    match = span_pattern(fragment).search(document)
    return (match.start(), match.end()) if match else None


class _RecordChecker:
    """Checks one JSON line of a targets or baselines file; raises ProgrammeFileError at the first problem."""

    def __init__(self, label: str, line: int, raw: dict[str, Any], document: str):
        self.label, self.line, self.raw, self.document = label, line, raw, document

    def fail(self, field_name: str | None, problem: Promise, **params: Any) -> ProgrammeFileError:
        return ProgrammeFileError(self.label, problem, line=self.line, field=field_name, **params)

    def string(self, name: str, *, required: bool = True) -> str:
        value = self.raw.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, _("A non-empty text is required."))
        limit = MAX_LENGTHS.get(name)
        if limit is not None and len(value.strip()) > limit:
            raise self.fail(name, _("The text is longer than %(limit)d characters."), limit=limit)
        return nfc(value.strip())

    def choice(self, name: str, allowed: set[str], *, nullable: bool = False) -> str:
        value = self.raw.get(name)
        if value is None and nullable:
            return ""
        if value not in allowed:
            raise self.fail(
                name,
                _("“%(value)s” is not one of: %(allowed)s."),
                value=value,
                allowed=", ".join(sorted(allowed)),
            )
        return str(value)

    def number(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.raw.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, _("A number is required, not “%(value)s”."), value=value)
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
        if not number.is_finite() or abs(number) > MAX_ABS_VALUE:
            raise self.fail(
                name,
                _("The number must lie between -%(limit)s and %(limit)s."),
                limit=MAX_ABS_VALUE,
            )
        return number

    def year(self) -> int | None:
        value = self.raw.get("year")
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not MIN_YEAR <= value <= MAX_YEAR
        ):
            raise self.fail(
                "year",
                _("The year must be a whole number from %(min)d to %(max)d, not “%(value)s”."),
                min=MIN_YEAR,
                max=MAX_YEAR,
                value=value,
            )
        return value

    def flag(self, name: str) -> bool:
        value = self.raw.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, _("Must be true or false, not “%(value)s”."), value=value)
        return value

    def check(self) -> StatementRecord:
        unknown = sorted(set(self.raw) - _RECORD_FIELDS)
        if unknown:
            raise self.fail(
                unknown[0],
                _("Unknown field. Allowed fields: %(allowed)s."),
                allowed=", ".join(sorted(_RECORD_FIELDS)),
            )
        for name in _REQUIRED:
            if name not in self.raw or (name != "year" and self.raw[name] is None):
                raise self.fail(name, _("This field is missing."))
        comparator = self.raw.get("comparator")
        if comparator not in COMPARATORS:
            raise self.fail(
                "comparator",
                _("“%(value)s” is not a comparator; use >=, <=, ~ or =."),
                value=comparator,
            )
        value = self.number("value")
        value_max = self.number("value_max", required=False)
        if value is not None and value_max is not None and value_max < value:
            raise self.fail(
                "value_max",
                _("The upper value %(high)s is below the value %(low)s."),
                high=value_max,
                low=value,
            )
        rank_total = self.raw.get("rank_total")
        if rank_total is not None and (
            isinstance(rank_total, bool)
            or not isinstance(rank_total, int)
            or not 1 <= rank_total <= MAX_RANK_TOTAL
        ):
            raise self.fail(
                "rank_total",
                _("Must be a positive whole number, not “%(value)s”."),
                value=rank_total,
            )
        text = self.string("text")
        span = locate(self.document, text)
        if span is None:
            raise self.fail(
                "text",
                _("This excerpt is not in the document: “%(excerpt)s”."),
                excerpt=text[:80] + ("…" if len(text) > 80 else ""),
            )
        assert value is not None
        return StatementRecord(
            line=self.line,
            pillar=self.choice("pillar", PILLARS),
            indicator=self.string("indicator"),
            level=self.choice("level", LEVELS, nullable=True),
            year=self.year(),
            value=value,
            value_max=value_max,
            unit=self.string("unit"),
            comparator=COMPARATORS[comparator],
            strict=self.flag("strict"),
            rank_total=rank_total,
            text=text,
            text_start=span[0],
            text_end=span[1],
            year_source=self.choice("year_source", YEAR_SOURCES)
            if "year_source" in self.raw
            else "explicit",
            period=self.choice("period", {"annual"}, nullable=True),
            restatement=self.flag("restatement"),
            implicit_value=self.flag("implicit_value"),
            borderline=self.flag("borderline"),
            note=self.string("note", required=False),
        )


def read_statements(
    path: Path, document_name: str, document: str, *, only_this_document: bool
) -> list[StatementRecord]:
    """Read a JSON-lines file of reviewed records that belong to `document_name`.

    With `only_this_document`, records naming another document are skipped (a shared baselines
    file); otherwise they are an error (a targets file belongs to one document).
    """
    label = path.name
    records: list[StatementRecord] = []
    for number, line in enumerate(_read_text(path, label).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ProgrammeFileError(
                label, _("This line is not valid JSON (%(reason)s)."), line=number, reason=exc.msg
            ) from exc
        except ValueError as exc:  # e.g. an integer with thousands of digits
            raise ProgrammeFileError(
                label,
                _("This line is not valid JSON (%(reason)s)."),
                line=number,
                reason=str(exc)[:80],
            ) from exc
        if not isinstance(raw, dict):
            raise ProgrammeFileError(label, _("Each line must be a JSON object."), line=number)
        if not isinstance(raw.get("doc"), str):
            raise ProgrammeFileError(label, _("This field is missing."), line=number, field="doc")
        if raw.get("doc") != document_name:
            if only_this_document:
                continue
            raise ProgrammeFileError(
                label,
                _("This record belongs to “%(doc)s”, not to “%(expected)s”."),
                line=number,
                field="doc",
                doc=raw.get("doc"),
                expected=document_name,
            )
        records.append(_RecordChecker(label, number, raw, document).check())
    return records


def _manifest_value(manifest: dict[str, Any], label: str, key: str) -> Any:
    if key not in manifest or manifest[key] in ("", None):
        raise ProgrammeFileError(label, _("The manifest needs “%(key)s”."), field=key, key=key)
    return manifest[key]


def _check_manifest(manifest: dict[str, Any], label: str) -> None:
    """Check the manifest's own fields; raise ProgrammeFileError naming the first bad one."""
    for key in _MANIFEST_REQUIRED:
        _manifest_value(manifest, label, key)
    if not isinstance(manifest["code"], str) or not SLUG.match(manifest["code"]):
        raise ProgrammeFileError(
            label,
            _("The code may hold only lowercase letters a-z, digits and hyphens."),
            field="code",
        )
    for key, limit in MANIFEST_LENGTHS.items():
        if len(str(manifest[key])) > limit:
            raise ProgrammeFileError(
                label, _("The text is longer than %(limit)d characters."), field=key, limit=limit
            )
    if manifest["document_type"] not in DOCUMENT_TYPES:
        raise ProgrammeFileError(
            label,
            _("“%(value)s” is not one of: %(allowed)s."),
            field="document_type",
            value=manifest["document_type"],
            allowed=", ".join(sorted(DOCUMENT_TYPES)),
        )
    issued_on = manifest["issued_on"]
    if not isinstance(issued_on, datetime.date) or isinstance(issued_on, datetime.datetime):
        raise ProgrammeFileError(
            label, _("Write the date as YYYY-MM-DD, without quotes."), field="issued_on"
        )
    province = manifest["province"]
    if not isinstance(province, dict) or not province.get("code"):
        raise ProgrammeFileError(
            label, _('Write the province as {structure = "legacy", code = "52"}.'), field="province"
        )


def _sibling(folder: Path, manifest: dict[str, Any], key: str, label: str) -> Path:
    """The file a manifest names, which must sit beside the manifest (no paths, no "..")."""
    name = str(manifest[key])
    if Path(name).name != name or name in {".", ".."}:
        raise ProgrammeFileError(
            label, _("Name a file in the same folder as the manifest, without a path."), field=key
        )
    return folder / name


def read_programme(manifest_path: Path) -> ProgrammeFiles:
    """Read and check a programme manifest (TOML) and the files it names, all beside it."""
    label = manifest_path.name
    try:
        manifest = tomllib.loads(_read_text(manifest_path, label))
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeFileError(
            label, _("The manifest is not valid TOML (%(reason)s)."), reason=str(exc)
        ) from exc
    _check_manifest(manifest, label)
    folder = manifest_path.parent
    document_name = str(manifest["document"])
    document = _read_text(_sibling(folder, manifest, "document", label), document_name)
    if not document.strip():
        raise ProgrammeFileError(document_name, _("The document is empty."))
    province = manifest["province"]
    files = ProgrammeFiles(
        code=manifest["code"],
        number=nfc(str(manifest["number"])),
        document_type=manifest["document_type"],
        title=nfc(str(manifest["title"])),
        issuer=nfc(str(manifest["issuer"])),
        issued_on=manifest["issued_on"],
        province_structure=str(province.get("structure", "legacy")),
        province_code=str(province["code"]),
        document_name=document_name,
        document_text=document,
        source_note=nfc(str(manifest.get("source_note", ""))),
    )
    files.targets = read_statements(
        _sibling(folder, manifest, "targets", label),
        document_name,
        document,
        only_this_document=False,
    )
    if manifest.get("baselines"):
        files.baselines = read_statements(
            _sibling(folder, manifest, "baselines", label),
            document_name,
            document,
            only_this_document=True,
        )
    return files
