"""A task's deadline as resolutions write it — a date, a quarter, a year, or every year. Pure.

Each deadline has a last day (`due_on`) stored beside it, so "overdue as of day D" is one indexed
comparison; a recurring yearly task has none, since each year's round is reported on its own.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import nfc

DATE, QUARTER, YEAR, YEARLY = "date", "quarter", "year", "yearly"
ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_QUARTER = re.compile(
    r"qu[ýy]\s*(?P<q>IV|III|II|I|[1-4])\s*[/.\-]?\s*(?:năm\s*)?(?P<y>\d{4})", re.I
)
_DATE = re.compile(r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")
_YEAR = re.compile(r"(?:năm|trong năm|đến năm)?\s*(?P<y>20\d\d)\b", re.I)
_DATE_DEADLINE = re.compile(
    r"(?:trước|chậm nhất|hoàn thành|trong)\s*(?:ngày\s*)?" + _DATE.pattern, re.I
)
_YEAR_DEADLINE = re.compile(r"(?:trong năm|hoàn thành(?: trong)? năm)\s+(?P<y>20\d\d)", re.I)
_YEARLY = re.compile(r"h[aằ]ng năm|hàng năm|định kỳ hằng năm|annually|every year|yearly", re.I)


@dataclass(frozen=True)
class Deadline:
    kind: str
    year: int | None = None
    quarter: int | None = None
    day: datetime.date | None = None

    @property
    def due_on(self) -> datetime.date | None:
        """The last day on which the task is still on time; None for a recurring task."""
        if self.kind == DATE:
            return self.day
        if self.kind == QUARTER and self.year and self.quarter:
            month = self.quarter * 3
            return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])
        if self.kind == YEAR and self.year:
            return datetime.date(self.year, 12, 31)
        return None

    @property
    def label(self) -> str:
        """As people write it: 30/09/2020, quý IV/2020, năm 2025, hằng năm."""
        if self.kind == DATE and self.day:
            return self.day.strftime("%d/%m/%Y")
        if self.kind == QUARTER and self.quarter:
            roman = {v: k for k, v in ROMAN_QUARTERS.items()}[self.quarter]
            return str(_("quarter %(quarter)s/%(year)s") % {"quarter": roman, "year": self.year})
        if self.kind == YEAR:
            return str(_("year %(year)s") % {"year": self.year})
        return str(_("every year"))


def written(deadline: Deadline) -> str:
    """The deadline as `parse_deadline` reads it back, whatever the page's language."""
    if deadline.kind == DATE and deadline.day:
        return deadline.day.strftime("%d/%m/%Y")
    if deadline.kind == QUARTER and deadline.quarter:
        roman = {v: k for k, v in ROMAN_QUARTERS.items()}[deadline.quarter]
        return f"quý {roman}/{deadline.year}"
    if deadline.kind == YEAR:
        return str(deadline.year)
    return "hằng năm"


def parse_deadline(text: str) -> Deadline:
    """Read a deadline ("30/9/2020", "quý IV/2020", "2025", "hằng năm"); a clear error otherwise."""
    text = nfc(" ".join(text.split()))
    if _YEARLY.search(text):
        return Deadline(YEARLY)
    if match := _DATE.search(text):
        try:
            day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise UserFacingError(
                _("The deadline %(text)s is not a real date."), text=match.group(0)
            ) from None
        return Deadline(DATE, year=day.year, day=day)
    if match := _QUARTER.search(text):
        number = match["q"].upper()
        quarter = ROMAN_QUARTERS.get(number) or int(number)
        return Deadline(QUARTER, year=int(match["y"]), quarter=quarter)
    if match := _YEAR.search(text) if not re.search(r"qu[ýy]", text, re.I) else None:
        return Deadline(YEAR, year=int(match["y"]))
    raise UserFacingError(
        _(
            "The deadline “%(text)s” cannot be read: write a date (30/09/2020), a quarter "
            "(quý IV/2020), a year (2025) or “hằng năm”."
        ),
        text=text,
    )


def find_deadline(sentence: str) -> tuple[Deadline, str] | None:
    """The deadline a sentence states, with the words that state it; None when it states none.
    Only a quarter, an explicit date, "trong năm …"/"năm …" or "hằng năm" counts: a bare year in
    a programme's title ("đến năm 2030") is a horizon, not a task's deadline."""
    sentence = nfc(sentence)
    if match := _QUARTER.search(sentence):
        return parse_deadline(match.group(0)), match.group(0)
    if match := _DATE_DEADLINE.search(sentence):
        return parse_deadline(match.group(0)), match.group(0)
    if match := _YEAR_DEADLINE.search(sentence):
        return Deadline(YEAR, year=int(match["y"])), match.group(0)
    if match := _YEARLY.search(sentence):
        return Deadline(YEARLY), match.group(0)
    return None
