"""Period identifiers of DHIS2 (2025Q1), SDMX (2025-Q1) and ADX/ISO 8601 (2025-01-01/P3M), both ways.

A period is its kind and its first day (`Span`); each format writes and reads that pair, so a
round trip through any of them gives back the same period. Weeks are ISO weeks, Monday first:
DHIS2's 2025W1 begins on Monday 30/12/2024.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

DAY, WEEK, MONTH, QUARTER, SIXMONTH, YEAR = "day", "week", "month", "quarter", "sixmonth", "year"
MONTHS = {MONTH: 1, QUARTER: 3, SIXMONTH: 6, YEAR: 12}
DURATIONS = {DAY: "P1D", WEEK: "P7D", MONTH: "P1M", QUARTER: "P3M", SIXMONTH: "P6M", YEAR: "P1Y"}


class PeriodError(ValueError):
    """A period identifier that none of the formats reads; the message is in both languages."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"“{text}” không phải mã kỳ hợp lệ (ví dụ 2025Q1, 2025-Q1, 2025-01-01/P3M) / "
            f"“{text}” is not a valid period id (e.g. 2025Q1, 2025-Q1, 2025-01-01/P3M)."
        )


@dataclass(frozen=True)
class Span:
    kind: str
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        if self.kind == DAY:
            return self.start
        if self.kind == WEEK:
            return self.start + datetime.timedelta(days=6)
        months = self.start.month - 1 + MONTHS[self.kind]
        following = datetime.date(self.start.year + months // 12, months % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @property
    def number(self) -> int:
        """Its number within the year (the quarter, the month, the ISO week...)."""
        if self.kind == WEEK:
            return self.start.isocalendar().week
        if self.kind == DAY:
            return self.start.timetuple().tm_yday
        return (self.start.month - 1) // MONTHS[self.kind] + 1

    @property
    def year(self) -> int:
        return self.start.isocalendar().year if self.kind == WEEK else self.start.year


def _span(kind: str, year: int, number: int, text: str) -> Span:
    try:
        if kind == WEEK:
            return Span(WEEK, datetime.date.fromisocalendar(year, number, 1))
        count = 12 // MONTHS[kind]
        if not 1 <= number <= count:
            raise PeriodError(text)
        return Span(kind, datetime.date(year, (number - 1) * MONTHS[kind] + 1, 1))
    except ValueError as error:
        raise PeriodError(text) from error


_DHIS2 = re.compile(
    r"^(?P<year>\d{4})(?:(?P<month>\d{2})(?P<day>\d{2})?|Q(?P<quarter>\d)|S(?P<half>\d)|W(?P<week>\d{1,2}))?$"
)
_SDMX = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-M(?P<mnum>\d{2})|-Q(?P<quarter>\d)"
    r"|-S(?P<half>\d)|-W(?P<week>\d{2})|-A1)?$"
)
_ISO = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})/(?P<duration>P(?:1D|7D|1M|3M|6M|1Y))$")


def _from_match(match: re.Match[str], text: str) -> Span:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("day"):
        try:
            return Span(DAY, datetime.date(year, int(groups["month"]), int(groups["day"])))
        except ValueError as error:
            raise PeriodError(text) from error
    for key, kind in (("month", MONTH), ("mnum", MONTH), ("quarter", QUARTER), ("half", SIXMONTH)):
        if groups.get(key):
            return _span(kind, year, int(groups[key]), text)
    if groups.get("week"):
        return _span(WEEK, year, int(groups["week"]), text)
    return Span(YEAR, datetime.date(year, 1, 1))


def parse_dhis2(text: str) -> Span:
    match = _DHIS2.match(text.strip())
    if match is None:
        raise PeriodError(text)
    return _from_match(match, text)


def parse_sdmx(text: str) -> Span:
    match = _SDMX.match(text.strip())
    if match is None:
        raise PeriodError(text)
    return _from_match(match, text)


def parse_iso(text: str) -> Span:
    """An ISO 8601 start/duration, as ADX writes periods; the start must begin such a period."""
    match = _ISO.match(text.strip())
    if match is None:
        raise PeriodError(text)
    try:
        start = datetime.date.fromisoformat(match["start"])
    except ValueError as error:
        raise PeriodError(text) from error
    kind = next(k for k, d in DURATIONS.items() if d == match["duration"])
    span = Span(kind, start)
    aligned = (
        start.isoweekday() == 1
        if kind == WEEK
        else kind == DAY or (start.day == 1 and (start.month - 1) % MONTHS[kind] == 0)
    )
    if not aligned:
        raise PeriodError(text)
    return span


def parse_any(text: str) -> Span:
    """Read a period in any of the three formats."""
    for parse in (parse_iso, parse_sdmx, parse_dhis2):
        try:
            return parse(text)
        except PeriodError:
            continue
    raise PeriodError(text)


def dhis2_id(span: Span) -> str:
    return {
        DAY: f"{span.start:%Y%m%d}",
        WEEK: f"{span.year}W{span.number}",
        MONTH: f"{span.start:%Y%m}",
        QUARTER: f"{span.year}Q{span.number}",
        SIXMONTH: f"{span.year}S{span.number}",
        YEAR: f"{span.year}",
    }[span.kind]


def sdmx_id(span: Span) -> str:
    return {
        DAY: span.start.isoformat(),
        WEEK: f"{span.year}-W{span.number:02d}",
        MONTH: f"{span.start:%Y-%m}",
        QUARTER: f"{span.year}-Q{span.number}",
        SIXMONTH: f"{span.year}-S{span.number}",
        YEAR: f"{span.year}",
    }[span.kind]


def iso_interval(span: Span) -> str:
    return f"{span.start.isoformat()}/{DURATIONS[span.kind]}"
