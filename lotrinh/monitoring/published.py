"""Published figures (a DTI rank, a GRDP share from the statistics office): entered by an officer,
imported from a file or loaded from the shipped sample, each through `record_published_figure`,
which checks permission, validates, writes, audits and announces."""

from __future__ import annotations

import csv
import datetime
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from lotrinh.access.permissions import AnyUser
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import nfc, search_key
from lotrinh.indicators.models import Indicator, Observation, UnitKind
from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.indicators.services import SAMPLE_OBSERVATIONS
from lotrinh.monitoring.permissions import require_change_plan
from lotrinh.monitoring.signals import plan_changed
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, Tier
from lotrinh.reporting.importing.limits import MAX_UPLOAD_BYTES, MB
from lotrinh.reporting.importing.reading import check_zip
from lotrinh.reporting.validation import parse_number


def _indicators_by_name() -> dict[str, Indicator]:
    """Catalogue indicators by the search key of their name and of each alias."""
    by_name: dict[str, Indicator] = {}
    for indicator in Indicator.objects.all():
        for name in [indicator.name, *indicator.aliases]:
            by_name[search_key(name)] = indicator
    return by_name


def _observation_province(row: dict[str, str]) -> OrgUnit:
    """Rows whose province is its own successor are post-merger figures of the merged province."""
    structure = "2025" if row["province"] == row["successor_province"] else "legacy"
    province = OrgUnit.objects.filter(
        structure=structure, tier=Tier.PROVINCE, short_name=nfc(row["province"])
    ).first()
    if province is None:
        raise UserFacingError(_("No province is called “%(name)s”."), name=row["province"])
    return province


def _observation_row(row: dict[str, str], by_name: dict[str, Indicator]) -> PublishedFigure:
    indicator = by_name.get(search_key(row["indicator"]))
    if indicator is None:
        raise UserFacingError(
            _("Unknown indicator “%(name)s”; add it to the catalogue."), name=row["indicator"]
        )
    return PublishedFigure(
        indicator=indicator,
        province=_observation_province(row),
        year=int(row["year"]) if row["year"].strip().isdigit() else 0,
        period=row["period"],
        value=row["value"],
        unit=row["unit"],
        source_url=row.get("source_url", ""),
        reference=row.get("reference", ""),
        published_on=_date_or_none(row.get("published_on", "")),
        quote=row.get("quote", ""),
        indicator_name=row["indicator"],
    )


def _date_or_none(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 - a date only
    except ValueError:
        raise UserFacingError(
            _("“%(value)s” is not a date: write it as 30/09/2025."), value=text
        ) from None


# The columns a file of published figures must have; reference and published_on are optional.
FIGURE_COLUMNS = (
    "province",
    "successor_province",
    "indicator",
    "year",
    "period",
    "value",
    "unit",
    "source_url",
    "quote",
)
# A file of published figures holds a few hundred rows (the shipped one 129); more is not one.
MAX_FIGURE_ROWS = 5_000


class FigureFileError(UserFacingError):
    """A file of published figures that cannot be read as a whole (kind, size, columns)."""


def read_figure_rows(name: str, stream: IO[bytes], size: int) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8) or .xlsx (first sheet) of published figures, as text keyed by
    column, checked as the reported-figures import checks an upload (size first, then the zip's
    directory before openpyxl opens it). Raises FigureFileError or ImportRefusedError."""
    if size > MAX_UPLOAD_BYTES:
        raise FigureFileError(
            _("The file is %(size)s MB; files over %(limit)s MB are refused."),
            size=f"{size / MB:.1f}",
            limit=MAX_UPLOAD_BYTES // MB,
        )
    head = stream.read(4)
    stream.seek(0)
    if head == b"PK\x03\x04":
        header, rows = _xlsx_rows(stream)
    elif name.lower().endswith((".csv", ".txt")) and b"\x00" not in stream.read(4096):
        stream.seek(0)
        try:
            text = stream.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FigureFileError(_("Save the CSV file as UTF-8 and upload it again.")) from None
        reader = csv.reader(text.splitlines())
        header = [cell.strip() for cell in next(reader, [])]
        rows = list(itertools.islice(reader, MAX_FIGURE_ROWS + 1))
    else:
        raise FigureFileError(
            _("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file."), name=name
        )
    missing = [column for column in FIGURE_COLUMNS if column not in header]
    if missing:
        raise FigureFileError(
            _("The first row lacks the columns %(columns)s."), columns=", ".join(missing)
        )
    if len(rows) > MAX_FIGURE_ROWS:
        raise FigureFileError(
            _("The file has more than %(limit)s rows; split it."), limit=MAX_FIGURE_ROWS
        )
    return [
        dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=False))
        for cells in rows
        if any(cell.strip() for cell in cells)
    ]


def _xlsx_rows(stream: IO[bytes]) -> tuple[list[str], list[list[str]]]:
    check_zip(stream)
    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise FigureFileError(
            _("The workbook cannot be opened (%(reason)s)."), reason=type(error).__name__
        ) from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never trust (or pad to) the dimension the file declares
        found: list[list[str]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_FIGURE_ROWS + 1:
                break
            found.append([_cell_text(cell, number) for cell in cells[: len(FIGURE_COLUMNS) + 10]])
    finally:
        book.close()
    if not found:
        return [], []
    return [cell.strip() for cell in found[0]], found[1:]


def _cell_text(cell: Any, row: int) -> str:
    """A cell as the CSV would hold it: dates as 30/09/2025, decimals with a comma (the form's
    reading of "1.234" is one thousand two hundred and thirty-four)."""
    if getattr(cell, "data_type", None) == "f":
        raise FigureFileError(_("Row %(row)s holds a formula; type the figure itself."), row=row)
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return (
            str(int(number))
            if number == number.to_integral_value()
            else str(number).replace(".", ",")
        )
    return str(value)


@dataclass
class FigureRow:
    """One row of a file of published figures as its dry run found it."""

    line: int
    row: dict[str, str]
    error: UserFacingError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def error_vi(self) -> str:
        return "" if self.error is None else self.error.text("vi")

    @property
    def error_en(self) -> str:
        return "" if self.error is None else self.error.text("en")


def check_figure_rows(
    rows: list[dict[str, str]],
    actor: AnyUser | None,
    *,
    apply: bool,
    by_line: bool = False,
) -> list[FigureRow]:
    """Pass every row through `record_published_figure` and say what is wrong with each, in
    Vietnamese and English; keep them only with `apply` and when no row is wrong (all or
    nothing). Rows are numbered as a spreadsheet shows them (the header is line 1)."""
    by_name = _indicators_by_name()
    checked = []
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            result = FigureRow(line, row)
            try:
                with transaction.atomic():
                    record_published_figure(
                        actor,
                        _observation_row(row, by_name),
                        source_line=line if by_line else None,
                        channel="import",
                    )
            except UserFacingError as error:
                result.error = error
            except PermissionDenied:
                result.error = UserFacingError(
                    _("You may not enter figures of %(province)s."), province=row["province"]
                )
            checked.append(result)
        if not apply or any(not r.ok for r in checked):
            transaction.set_rollback(True)
    return checked


def load_observations(
    path: Path = SAMPLE_OBSERVATIONS, *, actor: AnyUser | None = None, apply: bool = True
) -> int:
    """Load published figures from a CSV or .xlsx (the columns of FIGURE_COLUMNS, optionally
    reference and published_on), each through `record_published_figure`, all or nothing. A
    leading ">" in the value marks a lower bound ("hơn 90%"). Without `apply` nothing is kept
    (a dry run). Returns the number of rows; a bad row raises ProgrammeFileError naming its
    line."""
    # The shipped file's rows are keyed by line (its figures may share a period); any other
    # file's rows replace the figure of the same indicator, province and period.
    by_line = path.resolve() == SAMPLE_OBSERVATIONS.resolve()
    try:
        with path.open("rb") as stream:
            rows = read_figure_rows(path.name, stream, path.stat().st_size)
    except UserFacingError as error:
        raise ProgrammeFileError(path.name, error.message, **error.params) from None
    checked = check_figure_rows(rows, actor, apply=apply, by_line=by_line)
    wrong = next((r for r in checked if not r.ok), None)
    if wrong is not None:
        assert wrong.error is not None
        raise ProgrammeFileError(
            path.name, wrong.error.message, line=wrong.line, **wrong.error.params
        )
    return len(rows)


@dataclass(frozen=True)
class PublishedFigure:
    """A figure someone else published (a DTI rank, a GRDP share), as an officer enters it."""

    indicator: Indicator
    province: OrgUnit
    year: int  # the reference year
    period: str  # the reference period as published: 2024, Q1/2024, 05/2024…
    value: str  # as written; a leading ">" marks a lower bound ("hơn 90%")
    unit: str
    source_url: str = ""
    reference: str = ""  # the publishing document's number
    published_on: datetime.date | None = None
    quote: str = ""
    indicator_name: str = ""  # as published; the catalogue's name when empty


def provinces_in(year: int) -> int:
    """How many provinces a national ranking of that year ranks: 63 until the 2025 reform, 34
    from 2025 on (rankings of 2025 are made on the merged provinces)."""
    return 63 if year < REFORM_DATE.year else 34


def _figure_value(figure: PublishedFigure) -> tuple[Decimal, bool]:
    raw = figure.value.strip()
    lower_bound = raw.startswith(">")
    try:
        value = parse_number(raw.lstrip(">").strip())
    except ValueError:
        value = None
    if value is None:
        raise UserFacingError(_("“%(value)s” is not a number."), value=figure.value)
    return value, lower_bound


def _check_range(figure: PublishedFigure, value: Decimal) -> None:
    kind = figure.indicator.unit_kind
    if kind in {UnitKind.PERCENT, UnitKind.GRDP_SHARE} and not 0 <= value <= 100:
        raise UserFacingError(
            _("A share is between 0 and 100 %%: %(value)s is not possible."), value=figure.value
        )
    if kind == UnitKind.RANK:
        total = provinces_in(figure.year)
        if value != value.to_integral_value() or not 1 <= value <= total:
            raise UserFacingError(
                _(
                    "A rank of %(year)s is a whole number from 1 to %(total)s (the number of "
                    "provinces then): %(value)s is not possible."
                ),
                year=figure.year,
                total=total,
                value=figure.value,
            )
        stated = re.search(r"/\s*(\d+)", figure.unit)
        if stated and int(stated.group(1)) != total:
            raise UserFacingError(
                _("The unit says “%(unit)s”, but a rank of %(year)s is out of %(total)s."),
                unit=figure.unit,
                year=figure.year,
                total=total,
            )
    elif value < 0:
        raise UserFacingError(_("%(value)s cannot be negative."), value=figure.value)


def _check_period(figure: PublishedFigure) -> None:
    today = timezone.localdate()
    if not 2000 <= figure.year <= today.year:
        raise UserFacingError(
            _("The reference year must be between 2000 and %(this_year)s."), this_year=today.year
        )
    if not figure.period.strip():
        raise UserFacingError(_("Give the reference period as published (2024, Q1/2024…)."))
    published = figure.published_on
    if published is not None and (published > today or published.year < figure.year):
        raise UserFacingError(
            _("The publication date %(day)s is in the future or before the reference year."),
            day=published.strftime("%d/%m/%Y"),
        )


def check_published_figure(figure: PublishedFigure) -> tuple[Decimal, bool]:
    """The figure's value and whether it is a lower bound; raises UserFacingError, in Vietnamese
    and English, on the first thing that is wrong (range, unit, rank, period, source)."""
    if figure.province.tier != Tier.PROVINCE:
        raise UserFacingError(
            _("%(unit)s is not a province: published figures are kept per province."),
            unit=figure.province.name,
        )
    value, lower_bound = _figure_value(figure)
    if not figure.unit.strip():
        raise UserFacingError(_("Give the figure's unit (%, hạng/34, điểm/100…)."))
    _check_period(figure)
    _check_range(figure, value)
    if not figure.source_url.strip() and not figure.reference.strip():
        raise UserFacingError(_("Give the document or web address where the figure is published."))
    if figure.source_url.strip() and not figure.source_url.strip().startswith(
        ("http://", "https://")
    ):
        raise UserFacingError(
            _("“%(value)s” is not a web address (it starts with https://)."),
            value=figure.source_url,
        )
    return value, lower_bound


def record_published_figure(
    actor: AnyUser | None,
    figure: PublishedFigure,
    *,
    source_line: int | None = None,
    channel: str = "web",
) -> Observation:
    """Store a published figure, replacing the one of the same indicator, province and period
    (or of the same line of the shipped file), audit it and announce it. `actor` None is the
    system (the sample loader). Nothing is written if anything is wrong."""
    if actor is not None:
        require_change_plan(actor, figure.province)
    value, lower_bound = check_published_figure(figure)
    key: dict[str, Any] = (
        {"source_line": source_line}
        if source_line is not None
        else {
            "indicator": figure.indicator,
            "org_unit": figure.province,
            "year": figure.year,
            "period_label": figure.period.strip(),
            "source_line": None,
        }
    )
    with transaction.atomic():
        old = Observation.objects.select_for_update().filter(**key).first()
        observation, _created = Observation.objects.update_or_create(
            **key,
            defaults={
                "indicator": figure.indicator,
                "indicator_name": nfc(figure.indicator_name or figure.indicator.name),
                "org_unit": figure.province,
                "year": figure.year,
                "period_label": figure.period.strip(),
                "value": value,
                "is_lower_bound": lower_bound,
                "unit": figure.unit.strip(),
                "source_url": figure.source_url.strip(),
                "reference": figure.reference.strip(),
                "published_on": figure.published_on,
                "quote": nfc(figure.quote),
            },
        )
        if actor is not None or old is None or old.value != value:
            record(
                "figure_published",
                "observation",
                observation.pk,
                user=actor,
                channel=channel if actor is not None else "system",
                field=figure.indicator.code,
                old="" if old is None else str(old.value),
                new=str(value),
                reason=figure.source_url.strip() or figure.reference.strip(),
            )
        if actor is not None:
            province = figure.province
            transaction.on_commit(lambda: plan_changed.send(sender=Observation, province=province))
    return observation
