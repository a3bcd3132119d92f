"""Turn rows read from a file into a plan: exactly what would change, and every error. Pure.

The database state the plan needs (units, their reports, stored figures, history, permissions) is
gathered beforehand by `context.load_context`; here we only compare and validate, so a dry run
writes nothing and this module can be tested without a database.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotrinh.reporting.errors import NOT_REPORTED_BY_UNIT
from lotrinh.reporting.importing.reading import (
    UNIT_CODE,
    UNIT_NAME,
    ImportIssue,
    ImportRefusedError,
    RawRow,
    Table,
    issue,
)
from lotrinh.reporting.importing.template import TEMPLATE_VERSION
from lotrinh.reporting.periods import period_label_lazy
from lotrinh.reporting.validation import ElementSpec, Issue, RuleSpec, UsualRange, check_report

EDITABLE = {"draft", "returned"}


@dataclass(frozen=True)
class UnitState:
    """One unit that may appear in the file, as the database holds it now."""

    unit_id: int
    code: str
    name: str
    may_write: bool
    tier: str = ""
    report_id: int | None = None
    report_version: int | None = None
    status: str | None = None
    status_label: str | Promise = ""  # lazy: each language names the status in itself
    stored: dict[str, Decimal | None] = field(default_factory=dict)
    usual: Mapping[str, UsualRange] = field(default_factory=dict)  # code -> from its history


@dataclass
class ImportContext:
    regime_code: str
    regime_name: str
    period_code: str
    structure: str
    period_locked: bool
    period_opens_on: datetime.date
    today: datetime.date
    field_names: dict[str, str]  # code -> name, in form order: the whole form, every tier's
    elements: dict[str, list[ElementSpec]]  # tier -> the form of its units (form_fields)
    rules: dict[str, list[RuleSpec]]  # tier -> the rules that check its units' reports
    units: dict[str, UnitState]  # expected units, by code
    other_units: dict[str, str]  # codes of the structure's units that do not report: code -> name


@dataclass(frozen=True)
class Change:
    unit_code: str
    unit_name: str
    field: str
    field_name: str
    old: Decimal | None
    new: Decimal | None
    where: str


@dataclass
class UnitChanges:
    """The figures to write for one unit: what apply hands to save_values (or the bulk path)."""

    unit_id: int
    unit_code: str
    report_id: int | None
    report_version: int | None
    values: dict[str, Decimal | None]
    old: dict[str, Decimal | None]
    unit_name: str = ""
    sheet: str = ""
    row: int = 0
    columns: Mapping[str, int] = field(default_factory=dict)  # code -> 1-based column of its cell


class ChangeList(Sequence[Change]):
    """Every figure a plan would change, one per cell, made when read: a file of 200,000 figures
    needs its count and the first few hundred for the dry run, not 200,000 objects."""

    def __init__(self, units: list[UnitChanges], field_names: Mapping[str, str]) -> None:
        self._units = units
        self._field_names = field_names

    def __len__(self) -> int:
        return sum(len(unit.values) for unit in self._units)

    def __iter__(self) -> Iterator[Change]:
        from openpyxl.utils import get_column_letter

        for unit in self._units:
            for code, new in unit.values.items():
                yield Change(
                    unit.unit_code,
                    unit.unit_name,
                    code,
                    self._field_names.get(code, code),
                    unit.old.get(code),
                    new,
                    f"'{unit.sheet}'!{get_column_letter(unit.columns[code])}{unit.row}",
                )

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> list[Change]: ...

    def __getitem__(self, index: int | slice) -> Change | list[Change]:
        if isinstance(index, slice) and index.start is None and index.step is None:
            return (
                list(itertools.islice(self, index.stop)) if index.stop is not None else list(self)
            )
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class ImportPlan:
    regime_code: str
    period_code: str
    rows: int = 0
    units: list[UnitChanges] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    field_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def changes(self) -> ChangeList:
        return ChangeList(self.units, self.field_names)

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def can_apply(self) -> bool:
        return not self.errors and any(unit.values for unit in self.units)

    def fingerprint(self) -> str:
        """Identifies this exact set of changes on this exact state of the reports. Apply rebuilds the
        plan and refuses when its fingerprint differs from the one the user saw in the dry run."""
        digest = hashlib.sha256(f"{self.regime_code}|{self.period_code}".encode())
        for unit in self.units:
            digest.update(f"|{unit.unit_code}:{unit.report_id}:{unit.report_version}".encode())
            for code, value in sorted(unit.values.items()):
                digest.update(f"|{code}={value}".encode())
        return digest.hexdigest()[:32]


def check_template(table: Table, context: ImportContext) -> None:
    """Refuse a file that is not this regime and period's template, or whose columns differ."""
    meta = table.meta
    if not meta or "regime" not in meta or "period" not in meta:
        raise ImportRefusedError(
            _(
                "This file is not a Lộ Trình import template (its “_meta” part is missing). Download the template for the regime and period and fill it in."
            )
        )
    if meta.get("template_version") != TEMPLATE_VERSION:
        raise ImportRefusedError(
            _(
                "This template is version %(found)s; the current version is %(version)s. Download it again."
            ),
            found=meta.get("template_version") or "?",
            version=TEMPLATE_VERSION,
        )
    if (meta["regime"], meta["period"]) != (context.regime_code, context.period_code):
        raise ImportRefusedError(
            _(
                "This file is the template of regime “%(found_regime)s”, period %(found_period)s, but you are importing into regime “%(regime)s”, period %(period)s."
            ),
            found_regime=meta["regime"],
            found_period=period_label_lazy(str(meta["period"])),
            regime=context.regime_code,
            period=period_label_lazy(context.period_code),
        )
    if meta.get("structure", context.structure) != context.structure:
        raise ImportRefusedError(
            _(
                "This template lists the units of structure “%(found)s”; period %(period)s is reported by units of structure “%(structure)s”."
            ),
            found=meta["structure"],
            period=period_label_lazy(context.period_code),
            structure=context.structure,
        )
    _check_columns(table, [UNIT_CODE, UNIT_NAME, *context.field_names])


def _check_columns(table: Table, expected: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    seen: dict[str, int] = {}
    for index, code in enumerate(table.header, start=1):
        if code in seen:
            raise ImportRefusedError(
                _(
                    "Column “%(code)s” appears twice in the header (columns %(first)s and %(second)s)."
                ),
                code=code,
                first=get_column_letter(seen[code]),
                second=get_column_letter(index),
            )
        seen[code] = index
    missing = [code for code in expected if code not in seen]
    extra = [
        f"{get_column_letter(i)} (“{code}”)" for code, i in seen.items() if code not in expected
    ]
    blank = [get_column_letter(i) for i, code in enumerate(table.header, start=1) if not code]
    if missing:
        raise ImportRefusedError(
            _(
                "These columns are missing from the header row: %(codes)s. Download the template again."
            ),
            codes=", ".join(missing),
        )
    if extra or blank:
        raise ImportRefusedError(
            _(
                "These columns are not part of the template: %(columns)s. Remove them and upload again."
            ),
            columns=", ".join(extra + [f"{c} (—)" for c in blank]),
        )


def check_period(context: ImportContext) -> None:
    if context.period_locked:
        raise ImportRefusedError(
            _("The period %(period)s is locked: figures can no longer be changed."),
            period=period_label_lazy(context.period_code),
        )
    if context.today < context.period_opens_on:
        raise ImportRefusedError(
            _("The period %(period)s opens on %(day)s."),
            period=period_label_lazy(context.period_code),
            day=context.period_opens_on.strftime("%d/%m/%Y"),
        )


def build_plan(table: Table, context: ImportContext) -> ImportPlan:
    """Compare every row with the stored figures and check it as the form does (check_report);
    raises ImportRefusedError for the whole file (wrong template, columns, closed period),
    otherwise lists changes and issues."""
    check_template(table, context)
    check_period(context)
    plan = _empty_plan(table, context)
    first_row: dict[str, int] = {}
    for row in table.rows:
        given = _given(row)
        unit = _row_unit(table, row, context, first_row, plan.issues, has_figures=bool(given))
        if unit is None or not given:
            continue
        _plan_row(table, row, unit, given, context, plan)
    return plan


def _empty_plan(table: Table, context: ImportContext) -> ImportPlan:
    plan = ImportPlan(
        context.regime_code,
        context.period_code,
        rows=len(table.rows),
        field_names=context.field_names,
    )
    plan.issues.extend(table.issues)
    return plan


def _given(row: RawRow) -> dict[str, object]:
    """The row's cells that are not empty, as typed: an empty cell leaves the stored figure as it
    is (an import never erases a figure)."""
    return {
        code: raw
        for code, raw in row.values.items()
        if raw is not None and not (type(raw) is str and (not raw or raw.isspace()))
    }


def _find_unit(code: str, units: dict[str, UnitState]) -> UnitState | None:
    found = units.get(code)
    if found is None and code.isdigit():
        # Excel may have dropped the leading zeros of "00004"; compare as numbers then.
        found = next((u for c, u in units.items() if c.isdigit() and int(c) == int(code)), None)
    return found


def _row_unit(
    table: Table,
    row: RawRow,
    context: ImportContext,
    first_row: dict[str, int],
    issues: list[ImportIssue],
    *,
    has_figures: bool,
) -> UnitState | None:
    def refuse(kind: str, message: object, /, **params: object) -> None:
        issues.append(issue(table.sheet, row.row, 1, kind, message, "error", **params))

    if not row.unit_code:
        if has_figures:
            refuse("no_unit", _("This row has figures but no unit code."))
        return None
    unit = _find_unit(row.unit_code, context.units)
    if unit is None:
        if row.unit_code in context.other_units:
            refuse(
                "unit_not_reporting",
                _("%(unit)s (%(code)s) does not report under this regime for %(period)s."),
                unit=context.other_units[row.unit_code],
                code=row.unit_code,
                period=period_label_lazy(context.period_code),
            )
        else:
            refuse(
                "unknown_unit",
                _("There is no unit with code “%(code)s” in this structure."),
                code=row.unit_code,
            )
        return None
    if unit.code in first_row:
        refuse(
            "duplicate_row",
            _(
                "Unit %(code)s (%(unit)s) appears again; it is first on row %(first)s. Keep one row per unit."
            ),
            code=unit.code,
            unit=unit.name,
            first=first_row[unit.code],
        )
        return None
    first_row[unit.code] = row.row
    if has_figures and not unit.may_write:
        refuse("forbidden_unit", _("You may not report for %(unit)s."), unit=unit.name)
        return None
    return unit


def _plan_row(
    table: Table,
    row: RawRow,
    unit: UnitState,
    given: dict[str, object],
    context: ImportContext,
    plan: ImportPlan,
) -> None:
    elements, rules = context.elements[unit.tier], context.rules[unit.tier]
    on_form = {spec.code for spec in elements}
    off_form = [code for code in given if code not in on_form]
    for code in off_form:  # a field only other tiers' units report: nothing of the row is kept
        plan.issues.append(
            issue(
                table.sheet,
                row.row,
                row.columns[code],
                "not_reported_by_unit",
                NOT_REPORTED_BY_UNIT,
                unit=f"{unit.name} ({unit.code})",
                element=f"{context.field_names.get(code, code)} ({code})",
                period=period_label_lazy(context.period_code),
            )
        )
    if off_form:
        return
    merged: dict[str, object] = {**unit.stored, **given}
    result = check_report(merged, elements, rules, usual=unit.usual)
    unchanged = {
        code
        for code in given
        if code in unit.stored and result.values.get(code) == unit.stored[code]
    }
    bad: set[str] = set()
    rule_codes = {rule.code for rule in rules}
    reported_rules: set[str] = set()
    for found in result.issues:
        target = _issue_field(found, given, unchanged)
        if target is None or found.code in reported_rules:
            continue
        if found.code in rule_codes:  # one issue per broken rule, at its first given figure
            reported_rules.add(found.code)
        if found.severity == "error":
            bad.add(target)
        plan.issues.append(
            ImportIssue(
                table.sheet,
                row.row,
                row.columns[target],
                found.code,
                found.severity,
                found.message_vi,
                found.message_en,
            )
        )
    if bad:
        return
    _keep_changed(table, row, unit, {code: result.values[code] for code in given}, plan)


def _keep_changed(
    table: Table,
    row: RawRow,
    unit: UnitState,
    values: dict[str, Decimal | None],
    plan: ImportPlan,
) -> None:
    """Record the figures of a row without errors that differ from the stored ones."""
    stored = unit.stored
    changed = (
        {code: v for code, v in values.items() if code not in stored or stored[code] != v}
        if stored
        else values
    )
    if not changed:
        return
    if unit.status is not None and unit.status not in EDITABLE:
        plan.issues.append(
            issue(
                table.sheet,
                row.row,
                1,
                "report_locked",
                _(
                    "The report of %(unit)s is %(status)s and cannot be changed; ask the approver to reopen it."
                ),
                unit=unit.name,
                status=unit.status_label or unit.status,
            )
        )
        return
    _record(table, row, unit, changed, plan)


def _issue_field(found: Issue, given: dict[str, object], unchanged: set[str]) -> str | None:
    """The cell an issue belongs to: only figures given in this row count (a figure left empty keeps
    its stored value, and a draft may still miss required ones until it is submitted). A warning
    belongs only to a cell that changes the stored figure: a downloaded template holds every stored
    figure, and the person importing is asked about what they change, not about what is there."""
    if found.code == "required":
        return None
    if found.severity == "warning" and found.field in unchanged:
        return None
    if found.field in given:
        return found.field
    return None


def _record(
    table: Table,
    row: RawRow,
    unit: UnitState,
    changed: dict[str, Decimal | None],
    plan: ImportPlan,
) -> None:
    plan.units.append(
        UnitChanges(
            unit.unit_id,
            unit.code,
            unit.report_id,
            unit.report_version,
            changed,
            {code: unit.stored.get(code) for code in changed}
            if unit.stored
            else dict.fromkeys(changed),
            unit_name=unit.name,
            sheet=table.sheet,
            row=row.row,
            columns=row.columns,
        )
    )
