"""A review's letterhead as typed by a person: read, checked and explained field by field (pure).

The number must be a whole number, the date must exist, the signer must be named: otherwise the
field gets a sentence in Vietnamese and English and nothing is generated.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

FIELDS = (
    "layout",
    "parent_body",
    "issuing_body",
    "number",
    "symbol",
    "place",
    "issued_on",
    "title",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)
FIELD_LABELS = {
    "layout": _("layout"),
    "parent_body": _("parent body"),
    "issuing_body": _("issuing body"),
    "number": _("number"),
    "symbol": _("symbol"),
    "place": _("place"),
    "issued_on": _("date"),
    "title": _("summary line"),
    "signer_authority": _("signing on behalf of"),
    "signer_title": _("signer's title"),
    "signer_name": _("signer"),
    "recipients": _("recipients"),
}
REQUIRED = ("issuing_body", "number", "symbol", "place", "issued_on", "title", "signer_title")
LAYOUTS = ("state", "party")
_SYMBOL = re.compile(r"^[A-ZĐ0-9]+([-/][A-ZĐ0-9]+)+$")
_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Metadata:
    layout: str
    parent_body: str
    issuing_body: str
    number: int
    symbol: str
    place: str
    issued_on: datetime.date
    title: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        found = asdict(self)
        found["issued_on"] = self.issued_on.isoformat()
        found["recipients"] = list(self.recipients)
        return found

    @classmethod
    def from_json(cls, stored: Mapping[str, object]) -> Metadata:
        """The letterhead kept with a draft (`as_json`), already checked when it was kept."""
        values = dict(stored)
        values["issued_on"] = datetime.date.fromisoformat(str(values["issued_on"]))
        values["recipients"] = tuple(values["recipients"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def as_form(self) -> dict[str, str]:
        """The fields as a form shows them (dates as 05/02/2025, recipients one per line)."""
        found = {name: str(value) for name, value in asdict(self).items()}
        found["issued_on"] = self.issued_on.strftime("%d/%m/%Y")
        found["recipients"] = "\n".join(self.recipients)
        return found


class MetadataError(UserFacingError):
    """Fields that cannot be used, each with its bilingual sentence; the message lists them."""

    def __init__(self, errors: dict[str, UserFacingError]) -> None:
        self.errors = errors
        super().__init__(_("The letterhead cannot be used: %(problems)s"))

    def text(self, language: str) -> str:
        with translation.override(language):
            problems = " ".join(
                f"{FIELD_LABELS.get(name, name)}: {error.text(language)}"
                for name, error in self.errors.items()
            )
            return str(self.message) % {"problems": problems}


def parse_day(text: str) -> datetime.date:
    """A date typed as 05/02/2025 (or 2025-02-05); a clear error for 31/02 or "hôm qua"."""
    text = text.strip()
    match = _DAY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
        else:
            year, month, day = (int(part) for part in text.split("-"))
    except ValueError:
        raise UserFacingError(
            _("“%(text)s” is not a date: write it as day/month/year, e.g. 05/02/2025."), text=text
        ) from None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise UserFacingError(
            _("The date %(text)s does not exist (check the day and the month)."), text=text
        ) from None


def _number(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not 0 < int(cleaned) < 100000:
        raise UserFacingError(
            _("The document number must be a whole number such as 15, not “%(text)s”."),
            text=cleaned,
        )
    return int(cleaned)


def _symbol(text: str) -> str:
    cleaned = text.strip().upper()
    if not _SYMBOL.match(cleaned):
        raise UserFacingError(
            _(
                "The symbol must be letters joined by - or /, such as BC-UBND or BC/TU, "
                "not “%(text)s”."
            ),
            text=text.strip(),
        )
    return cleaned


def parse_metadata(raw: Mapping[str, object]) -> Metadata:
    """Read every field; raise MetadataError naming each field that cannot be used."""
    text = {name: str(raw.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, UserFacingError] = {}
    for name in REQUIRED:
        if not text[name]:
            errors[name] = UserFacingError(_("This field is required."))
    if not text["signer_name"]:
        errors["signer_name"] = UserFacingError(
            _("Name the person who signs (or write a placeholder to complete later).")
        )
    if text["layout"] not in LAYOUTS:
        errors["layout"] = UserFacingError(_("Choose the layout: state body or party committee."))
    number, symbol, issued_on = 0, "", datetime.date.min
    try:
        number = _number(text["number"]) if "number" not in errors else 0
    except UserFacingError as error:
        errors["number"] = error
    try:
        symbol = _symbol(text["symbol"]) if "symbol" not in errors else ""
    except UserFacingError as error:
        errors["symbol"] = error
    try:
        issued_on = parse_day(text["issued_on"]) if "issued_on" not in errors else issued_on
    except UserFacingError as error:
        errors["issued_on"] = error
    if errors:
        raise MetadataError(errors)
    recipients = tuple(
        line.strip().lstrip("-").strip().rstrip(";.").strip()
        for line in text["recipients"].splitlines()
        if line.strip().lstrip("-").strip()
    )
    return Metadata(
        layout=text["layout"],
        parent_body=text["parent_body"],
        issuing_body=text["issuing_body"],
        number=number,
        symbol=symbol,
        place=text["place"],
        issued_on=issued_on,
        title=text["title"],
        signer_authority=text["signer_authority"],
        signer_title=text["signer_title"],
        signer_name=text["signer_name"],
        recipients=recipients,
    )
