"""Published figures (a DTI rank, a GRDP share from the statistics office): entered by an officer,
imported from a file or loaded from the shipped sample, each through `record_published_figure`,
which checks permission, validates, writes, audits and announces."""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


def load_observations(
    path: Path = SAMPLE_OBSERVATIONS, *, actor: AnyUser | None = None, apply: bool = True
) -> int:
    """Load published figures from a CSV (province, successor_province, indicator, year, period,
    value, unit, source_url, quote; optionally reference and published_on), each through
    `record_published_figure`, all or nothing. A leading ">" in the value marks a lower bound
    ("hơn 90%"). Rows are keyed by line, so loading again updates rather than duplicates.
    Without `apply` nothing is kept (a dry run). Returns the number of rows; a bad row raises
    ProgrammeFileError naming its line."""
    by_name = _indicators_by_name()
    # The shipped file's rows are keyed by line (its figures may share a period); any other
    # file's rows replace the figure of the same indicator, province and period.
    by_line = path.resolve() == SAMPLE_OBSERVATIONS.resolve()
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            try:
                record_published_figure(
                    actor,
                    _observation_row(row, by_name),
                    source_line=line if by_line else None,
                    channel="import",
                )
            except UserFacingError as error:
                raise ProgrammeFileError(
                    path.name, error.message, line=line, **error.params
                ) from None
        if not apply:
            transaction.set_rollback(True)
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
