"""The one write of target extraction: store the targets a person reviewed into a programme.

`save_reviewed_targets` checks the permission, validates every row against the same bounds as the
programme files (lotrinh.indicators.parsing), then creates the programme (if new), the new
indicators and the targets in one transaction. On any problem it raises `ReviewError` listing
every problem found, and nothing is saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import can_manage_programme
from lotrinh.assessment.refresh import request_refresh
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.core.text import nfc, search_key
from lotrinh.indicators.models import (
    Baseline,
    Computation,
    Direction,
    Indicator,
    Programme,
    Target,
    UnitKind,
)
from lotrinh.indicators.parsing import (
    COMPARATORS,
    DOCUMENT_TYPES,
    LEVELS,
    MANIFEST_LENGTHS,
    MAX_ABS_VALUE,
    MAX_LENGTHS,
    MAX_RANK_TOTAL,
    MAX_YEAR,
    MIN_YEAR,
    PILLARS,
    SLUG,
    YEAR_SOURCES,
    locate,
)
from lotrinh.orgunits.models import OrgUnit, Tier

# Stored values have at most four decimal places (the columns' decimal_places).
MAX_DECIMAL_PLACES = 4


@dataclass(frozen=True)
class NewProgramme:
    """The facts of a programme to create; its document is the reviewed document."""

    code: str
    number: str
    title: str
    document_type: str
    issuer: str
    issued_on: datetime.date
    province: OrgUnit


@dataclass(frozen=True)
class ReviewedRow:
    """One accepted target as the reviewer left it.

    `indicator` is the catalogue indicator chosen for the row, or None to create (or reuse, when
    one of that name already exists) an indicator named `indicator_name`. `level` is "" when the
    target is for no particular tier; `comparator` is one of >=, <=, ~, =.
    """

    indicator: Indicator | None
    indicator_name: str
    pillar: str
    level: str
    year: int | None
    comparator: str
    strict: bool
    value: Decimal
    value_max: Decimal | None
    unit: str
    text: str
    rank_total: int | None = None
    period: str = ""
    year_source: str = "none"
    # A past figure the reviewer keeps as the indicator's baseline rather than as a target.
    is_baseline: bool = False
    # Which way is better, for an indicator created from this row ("" leaves it to the unit).
    direction: str = ""


@dataclass(frozen=True)
class Problem:
    """One reason the save was refused. `row` is the index in the rows given (None: the
    programme), `field` names the field at fault ("" when none does)."""

    row: int | None
    field: str
    message: str


class ReviewError(UserFacingError):
    """The reviewed targets were not saved; `problems` says why, row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            _("The targets were not saved: %(count)d problem(s) must be fixed first."),
            count=len(problems),
        )


@dataclass(frozen=True)
class SavedTargets:
    programme: Programme
    created: bool
    targets: int
    new_indicators: int
    baselines: int = 0


def _text(message: Promise, **params: object) -> str:
    return str(message) % params if params else str(message)


class _Checker:
    """Collects the problems of a save, so the reviewer sees all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, row: int | None, field: str, message: Promise, **params: object) -> None:
        self.problems.append(Problem(row, field, _text(message, **params)))

    def length(self, row: int | None, field: str, value: str, limit: int) -> None:
        if not value.strip():
            self.fail(row, field, _("A non-empty text is required."))
        elif len(value) > limit:
            self.fail(row, field, _("The text is longer than %(limit)d characters."), limit=limit)

    def number(self, row: int, field: str, value: Decimal | None) -> None:
        if value is None:
            return
        if not value.is_finite() or abs(value) > MAX_ABS_VALUE:
            self.fail(
                row,
                field,
                _("The number must lie between -%(limit)s and %(limit)s."),
                limit=MAX_ABS_VALUE,
            )
            return
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
            self.fail(
                row,
                field,
                _("Use at most %(places)d decimal places."),
                places=MAX_DECIMAL_PLACES,
            )


def _check_programme(check: _Checker, new: NewProgramme) -> None:
    for name, limit in MANIFEST_LENGTHS.items():
        check.length(None, name, getattr(new, name), limit)
    if new.code and not SLUG.match(new.code):
        check.fail(
            None, "code", _("The code may hold only lowercase letters a-z, digits and hyphens.")
        )
    elif Programme.objects.filter(code=new.code).exists():
        check.fail(None, "code", _("A programme with this code already exists."))
    if new.document_type not in DOCUMENT_TYPES:
        check.fail(None, "document_type", _("Choose a document type."))
    if new.province.tier != Tier.PROVINCE:
        check.fail(None, "province", _("Choose a province."))


def _check_row(check: _Checker, index: int, row: ReviewedRow, document: str) -> None:  # noqa: C901 - one flat check per field
    check.length(index, "indicator_name", row.indicator_name, MAX_LENGTHS["indicator"])
    check.length(index, "unit", row.unit, MAX_LENGTHS["unit"])
    check.length(index, "text", row.text, MAX_LENGTHS["text"])
    if row.pillar not in PILLARS:
        check.fail(index, "pillar", _("Choose a pillar."))
    if row.level and row.level not in LEVELS:
        check.fail(index, "level", _("Choose a tier, or none."))
    if row.year is not None and not MIN_YEAR <= row.year <= MAX_YEAR:
        check.fail(
            index,
            "year",
            _("The year must be a whole number from %(min)d to %(max)d."),
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    if row.comparator not in set(COMPARATORS.values()):
        check.fail(index, "comparator", _("Use one of the comparators >=, <=, ~ or =."))
    check.number(index, "value", row.value)
    check.number(index, "value_max", row.value_max)
    if row.value_max is not None and row.value.is_finite() and row.value_max < row.value:
        check.fail(
            index,
            "value_max",
            _("The upper value %(high)s is below the value %(low)s."),
            high=row.value_max,
            low=row.value,
        )
    if row.rank_total is not None and not 1 <= row.rank_total <= MAX_RANK_TOTAL:
        check.fail(index, "rank_total", _("Must be a positive whole number."))
    if row.direction and row.direction not in Direction.values:
        check.fail(index, "direction", _("Choose whether higher or lower is better."))
    if row.period not in {"", "annual"} or row.year_source not in YEAR_SOURCES:
        check.fail(index, "", _("This row was changed outside the form; extract again."))
    if row.text.strip() and locate(document, row.text) is None:
        check.fail(index, "text", _("This excerpt is not in the document."))


def _province_of(programme: NewProgramme | Programme) -> OrgUnit:
    return programme.province if isinstance(programme, NewProgramme) else programme.org_unit


def _unit_kind(unit: str) -> str:
    return {"%": UnitKind.PERCENT, "%GRDP": UnitKind.GRDP_SHARE, "rank": UnitKind.RANK}.get(
        unit, UnitKind.COUNT
    )


class _NewIndicators:
    """Creates the indicators of rows marked new; a name already in the catalogue (as a name or
    an alias, ignoring case and diacritics) reuses that indicator instead."""

    def __init__(self) -> None:
        self.by_key: dict[str, Indicator] = {}
        for indicator in Indicator.objects.only("pk", "name", "aliases"):
            for name in [indicator.name, *indicator.aliases]:
                self.by_key.setdefault(search_key(name), indicator)
        self.created = 0

    def get(self, row: ReviewedRow) -> Indicator:
        key = search_key(row.indicator_name)
        if key in self.by_key:
            return self.by_key[key]
        kind = _unit_kind(row.unit)
        base = slugify(key)[:60] or "indicator"
        code, suffix = base, 2
        while Indicator.objects.filter(code=code).exists():
            code, suffix = f"{base[:56]}-{suffix}", suffix + 1
        indicator = Indicator.objects.create(
            code=code,
            name=nfc(row.indicator_name.strip()),
            pillar=row.pillar,
            unit_kind=kind,
            unit=row.unit.strip(),
            direction=row.direction
            or (Direction.DECREASE if kind == UnitKind.RANK else Direction.INCREASE),
            computation=Computation.DIRECT,
            search_name=key,
        )
        self.by_key[key] = indicator
        self.created += 1
        return indicator


def _create_programme(new: NewProgramme, document: str) -> Programme:
    return Programme.objects.create(
        code=new.code,
        number=nfc(new.number.strip()),
        document_type=new.document_type,
        title=nfc(new.title.strip()),
        issuer=nfc(new.issuer.strip()),
        issued_on=new.issued_on,
        org_unit=new.province,
        source_note=str(_("Targets extracted from the document and reviewed in Lộ Trình.")),
        document_text=document,
        search_name=search_key(f"{new.number} {new.title} {new.province.name}"),
    )


def _statement(
    programme: Programme, row: ReviewedRow, indicator: Indicator, line: int
) -> Target | Baseline:
    """The row as a Target, or as a Baseline when the reviewer kept it as one."""
    span = locate(programme.document_text, row.text)
    assert span is not None  # checked before anything was written
    kind = Baseline if row.is_baseline else Target
    extra = {} if row.is_baseline else {"period": row.period}
    return kind(
        programme=programme,
        indicator=indicator,
        indicator_name=nfc(row.indicator_name.strip()),
        pillar=row.pillar,
        level=row.level,
        year=row.year,
        comparator=row.comparator,
        is_strict=row.strict,
        value=row.value,
        value_max=row.value_max,
        unit=row.unit.strip(),
        rank_total=row.rank_total,
        text=programme.document_text[span[0] : span[1]],
        text_start=span[0],
        text_end=span[1],
        year_source=row.year_source,
        source_line=line,
        **extra,
    )


def save_reviewed_targets(
    user: AbstractBaseUser | AnonymousUser,
    *,
    programme: NewProgramme | Programme,
    document_text: str,
    rows: list[ReviewedRow],
) -> SavedTargets:
    """Store the accepted `rows` as targets of `programme`, creating it when it is a NewProgramme.

    The user must keep the province's programmes (lotrinh.access.permissions.can_manage_programme).
    A new programme keeps `document_text` as its document. An existing programme keeps its own
    document unless it has none; every row's `text` must be found in the programme's document,
    so that its highlight is right. Raises ReviewError (nothing saved) when any check fails.
    """
    province = _province_of(programme)
    if not can_manage_programme(user, province):
        message = _(
            "Only programme officers and administrators of %(unit)s (or of the province it merged "
            "into) may save targets into its programmes. Ask an administrator of the province for "
            "the programme officer role."
        )
        raise ReviewError([Problem(None, "", _text(message, unit=province.name))])
    check = _Checker()
    if isinstance(programme, NewProgramme):
        _check_programme(check, programme)
        document = document_text
    else:
        document = programme.document_text if programme.document_text.strip() else document_text
    if not rows:
        check.fail(None, "", _("Accept at least one target."))
    for index, row in enumerate(rows):
        _check_row(check, index, row, document)
    if isinstance(programme, Programme):
        _check_not_saved_yet(check, programme, rows, document)
    if check.problems:
        raise ReviewError(check.problems)
    try:
        return _save(user, programme, document, rows)
    except IntegrityError as exc:  # another person created the same code a moment ago
        raise ReviewError(
            [Problem(None, "code", _text(_("A programme with this code already exists.")))]
        ) from exc


def _check_not_saved_yet(
    check: _Checker, programme: Programme, rows: list[ReviewedRow], document: str
) -> None:
    """Refuse rows already stored in the programme, so saving a review twice adds nothing twice."""
    fields = ("text_start", "level", "year", "value", "value_max", "unit")
    stored = {
        False: set(Target.objects.filter(programme=programme).values_list(*fields)),
        True: set(Baseline.objects.filter(programme=programme).values_list(*fields)),
    }
    for index, row in enumerate(rows):
        span = locate(document, row.text)
        if span is None:
            continue
        key = (span[0], row.level, row.year, row.value, row.value_max, row.unit.strip())
        if key in stored[row.is_baseline]:
            message = (
                _("This baseline is already in the programme.")
                if row.is_baseline
                else _("This target is already in the programme.")
            )
            check.fail(index, "", message)


def _save(
    user: AbstractBaseUser | AnonymousUser,
    programme: NewProgramme | Programme,
    document: str,
    rows: list[ReviewedRow],
) -> SavedTargets:
    with transaction.atomic():
        created = isinstance(programme, NewProgramme)
        if isinstance(programme, NewProgramme):
            target_programme = _create_programme(programme, document)
        else:
            target_programme = Programme.objects.select_for_update().get(pk=programme.pk)
            if not target_programme.document_text.strip():
                target_programme.document_text = document
                target_programme.save(update_fields=["document_text"])
        indicators = _NewIndicators()
        saved: dict[type[Target] | type[Baseline], list[Any]] = {Target: [], Baseline: []}
        for kind in saved:
            kept = [row for row in rows if row.is_baseline == (kind is Baseline)]
            last = kind.objects.filter(programme=target_programme).aggregate(
                last=Max("source_line")
            )["last"]
            saved[kind] = [
                _statement(target_programme, row, row.indicator or indicators.get(row), line)
                for line, row in enumerate(kept, start=(last or 0) + 1)
            ]
            kind.objects.bulk_create(saved[kind])
        targets, baselines = saved[Target], saved[Baseline]
        # One event for the targets, and one for the baselines when the review kept any.
        saved_counts = [("targets_extracted", len(targets), "created" if created else "appended")]
        if baselines:
            saved_counts.append(("baselines_extracted", len(baselines), ""))
        for action, count, reason in saved_counts:
            record(action, "programme", target_programme.pk, user=user, new=count, reason=reason)
    request_refresh([target_programme.pk])  # the new targets are assessed in the background
    return SavedTargets(target_programme, created, len(targets), indicators.created, len(baselines))
