"""Reporting periods and their cut-off windows (Decree 09/2019/NĐ-CP, Điều 12). Pure functions.

A period's data are counted from the cut-off day (the 15th by default) of the month before the
period to the day before it in the period's last month: Q2 2025 counts 15/03/2025 – 14/06/2025; the
year 2025 counts 15/12/2024 – 14/12/2025. Period ids follow DHIS2/SDMX habits: 202506, 2025Q2,
2025S1, 2025; people read them as "Quý II/2025" (period_label).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext as _

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_CODE = re.compile(r"^(?P<year>\d{4})(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|S(?P<half>[12]))?$")


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    frequency: str
    year: int
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    cutoff_from: datetime.date
    cutoff_to: datetime.date


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def period_code(frequency: str, year: int, number: int) -> str:
    return {
        "monthly": f"{year}{number:02d}",
        "quarterly": f"{year}Q{number}",
        "semiannual": f"{year}S{number}",
        "annual": f"{year}",
    }[frequency]


def period_spec(frequency: str, year: int, number: int, cutoff_day: int = 15) -> PeriodSpec:
    """The calendar span and cut-off window of the `number`-th period of `year` (1-based)."""
    months = MONTHS_PER_PERIOD[frequency]
    if not 1 <= number <= 12 // months:
        raise ValueError(
            f"{frequency} periods of a year are numbered 1 to {12 // months}, not {number}"
        )
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    before_year, before_month = _add_months(year, first_month, -1)
    return PeriodSpec(
        code=period_code(frequency, year, number),
        frequency=frequency,
        year=year,
        number=number,
        starts_on=datetime.date(year, first_month, 1),
        ends_on=_day(year, last_month, 31),
        cutoff_from=_day(before_year, before_month, cutoff_day),
        cutoff_to=_day(year, last_month, cutoff_day) - datetime.timedelta(days=1),
    )


def parse_period_code(code: str) -> tuple[str, int, int]:
    """(frequency, year, number) of an id such as 2025Q2, 2025S1, 2025 or 202506."""
    match = _CODE.match(code.strip())
    if not match:
        raise ValueError(f"not a period id: {code!r}")
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {code!r}")
        return "monthly", year, month
    if match["quarter"]:
        return "quarterly", year, int(match["quarter"])
    if match["half"]:
        return "semiannual", year, int(match["half"])
    return "annual", year, 1


def period_label(code: str) -> str:
    """How a period is shown to people ("Quý III/2026", "Q3 2026"); its code stays for machines.

    A code that is not a period id is returned unchanged rather than hidden.
    """
    try:
        frequency, year, number = parse_period_code(code)
    except ValueError:
        return code
    if frequency == "quarterly":
        quarter = (_("Q1 %(year)s"), _("Q2 %(year)s"), _("Q3 %(year)s"), _("Q4 %(year)s"))
        return quarter[number - 1] % {"year": year}
    if frequency == "semiannual":
        half = _("First half of %(year)s") if number == 1 else _("Second half of %(year)s")
        return half % {"year": year}
    if frequency == "monthly":
        return _("%(month)02d/%(year)s") % {"month": number, "year": year}
    return _("Year %(year)s") % {"year": year}


# For messages rendered later in each language (UserFacingError, import issues): the label is
# translated when the message is, not when it is raised.
period_label_lazy = lazy(period_label, str)


def periods_between(
    frequency: str, first: datetime.date, last: datetime.date, cutoff_day: int = 15
) -> list[PeriodSpec]:
    """Every period whose cut-off window ends on or after `first` and starts on or before `last`."""
    months = MONTHS_PER_PERIOD[frequency]
    specs: list[PeriodSpec] = []
    for year in range(first.year, last.year + 2):
        for number in range(1, 12 // months + 1):
            spec = period_spec(frequency, year, number, cutoff_day)
            if spec.cutoff_to >= first and spec.cutoff_from <= last:
                specs.append(spec)
    return specs


def period_containing(frequency: str, day: datetime.date, cutoff_day: int = 15) -> PeriodSpec:
    """The period whose cut-off window contains `day` (the one being counted on that day)."""
    for spec in periods_between(frequency, day, day, cutoff_day):
        if spec.cutoff_from <= day <= spec.cutoff_to:
            return spec
    raise ValueError(f"no period contains {day}")  # unreachable: windows tile the calendar


def period_code_on(frequency: str, day: datetime.date) -> str:
    """The code of the period of `frequency` whose calendar span (first to last day) holds `day`."""
    months = MONTHS_PER_PERIOD[frequency]
    return period_code(frequency, day.year, (day.month - 1) // months + 1)
