"""Database reads for the import: the state a plan is compared against, and template contents.

Everything is read in a handful of queries whatever the number of rows (no query per unit), and
permissions come from lotrinh.access.permissions, the same choke point as the views and the API.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone, translation

from lotrinh.access.permissions import can_report_for
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.importing.plan import ImportContext, ImportPlan, UnitState, build_plan
from lotrinh.reporting.importing.reading import Table, read_upload
from lotrinh.reporting.importing.template import TemplateField, TemplateRow, TemplateSpec
from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status
from lotrinh.reporting.queries import (
    element_specs,
    expected_units,
    form_fields,
    period_structure,
    rule_specs,
)
from lotrinh.reporting.usual_ranges import usual_ranges
from lotrinh.reporting.validation import UsualRange

AnyUser = AbstractBaseUser | AnonymousUser
# None means "no user to check" (the command run by the server's operator without --user).
WriteCheck = Callable[[OrgUnit], bool]


def write_check(user: AnyUser | None) -> WriteCheck:
    if user is None:
        return lambda unit: True
    return lambda unit: can_report_for(user, unit)


def _stored_values(
    report_ids: list[int], element_codes: dict[int, str]
) -> dict[int, dict[str, Decimal | None]]:
    stored: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    rows = DataValue.objects.filter(report_id__among=report_ids).values_list(
        "report_id", "data_element_id", "value"
    )
    for report_id, element_id, value in rows.iterator(chunk_size=10_000):
        if element_id in element_codes:
            stored[report_id][element_codes[element_id]] = value
    return stored


def _usual_ranges_by_code(
    regime: ReportingRegime, period: Period, unit_ids: list[int], element_codes: dict[int, str]
) -> dict[int, dict[str, UsualRange]]:
    """Each unit's usual range per figure on the form (see reporting.usual_ranges)."""
    return {
        unit_id: {
            element_codes[element]: usual
            for element, usual in ranges.items()
            if element in element_codes
        }
        for unit_id, ranges in usual_ranges(regime, period, unit_ids).items()
    }


def load_context(
    regime: ReportingRegime,
    period: Period,
    may_write: WriteCheck,
    codes: Iterable[str] | None = None,
    today: datetime.date | None = None,
) -> ImportContext:
    """The state of the period's expected units (those named in `codes`, or all of them)."""
    fields = form_fields(regime, period, None)
    element_codes = {f.data_element_id: f.data_element.code for f in fields}
    structure = period_structure(period)
    wanted = None if codes is None else {c.strip() for c in codes if c}
    units = list(expected_units(regime, period).only("pk", "code", "name", "path", "tier"))
    if wanted is not None:
        numbers = {int(c) for c in wanted if c.isdigit()}
        units = [
            u for u in units if u.code in wanted or (u.code.isdigit() and int(u.code) in numbers)
        ]
    reports = {
        r["org_unit_id"]: r
        for r in Report.objects.filter(
            regime=regime, period=period, org_unit_id__among=[u.pk for u in units]
        ).values("pk", "org_unit_id", "version", "status")
    }
    stored = _stored_values([r["pk"] for r in reports.values()], element_codes)
    usual = _usual_ranges_by_code(regime, period, [u.pk for u in units], element_codes)
    states = {}
    for unit in units:
        report = reports.get(unit.pk)
        states[unit.code] = UnitState(
            unit_id=unit.pk,
            code=unit.code,
            name=unit.name,
            may_write=may_write(unit),
            tier=unit.tier,
            report_id=report["pk"] if report else None,
            report_version=report["version"] if report else None,
            status=report["status"] if report else None,
            status_label=Status(report["status"]).label if report else "",
            stored=stored.get(report["pk"], {}) if report else {},
            usual=usual.get(unit.pk, {}),
        )
    tiers = sorted({unit.tier for unit in units})
    others = {}
    if wanted is not None:
        missing = wanted - set(states)
        others = dict(
            OrgUnit.objects.filter(structure=structure, code__in=missing).values_list(
                "code", "name"
            )
        )
    return ImportContext(
        regime_code=regime.code,
        regime_name=regime.name,
        period_code=period.code,
        structure=structure,
        period_locked=period.is_locked,
        period_opens_on=period.cutoff_from,
        today=today or timezone.localdate(),
        field_names={f.data_element.code: f.data_element.name for f in fields},
        elements={tier: element_specs(regime, period, tier) for tier in tiers},
        rules={tier: rule_specs(regime, period, tier) for tier in tiers},
        units=states,
        other_units=others,
    )


def prepare_plan(
    regime: ReportingRegime, period: Period, may_write: WriteCheck, table: Table
) -> ImportPlan:
    """The dry run: read the state of the units named in the file and compare. Writes nothing."""
    context = load_context(regime, period, may_write, codes=[row.unit_code for row in table.rows])
    return build_plan(table, context)


def template_spec(
    regime: ReportingRegime, period: Period, may_write: WriteCheck, within: OrgUnit | None = None
) -> TemplateSpec:
    """The template of a period for the units (in `within`'s subtree) the user may report for."""
    context = load_context(regime, period, may_write)
    paths = {}
    if within is not None:
        paths = dict(
            expected_units(regime, period)
            .filter(in_subtree(within.path))
            .values_list("code", "path")
        )
    fields = {f.data_element.code: f for f in form_fields(regime, period, None)}
    rows = [
        TemplateRow(
            state.code,
            state.name,
            dict(state.stored),
            frozenset(code for code in fields if not fields[code].reported_by(state.tier)),
        )
        for state in context.units.values()
        if state.may_write and (within is None or state.code in paths)
    ]
    rows.sort(key=lambda r: (paths.get(r.unit_code, ""), r.unit_code))
    return TemplateSpec(
        regime_code=regime.code,
        regime_name=regime.name,
        period_code=period.code,
        structure=context.structure,
        fields=[
            TemplateField(code, name, fields[code].help_text)
            for code, name in context.field_names.items()
        ],
        rows=rows,
        instructions=_instructions(regime, period, any(row.not_reported for row in rows)),
    )


def _instructions(regime: ReportingRegime, period: Period, some_greyed: bool) -> list[str]:
    with translation.override("vi"):  # the instructions are Vietnamese first, like their text
        label = period.label
    return [
        f"{regime.name} — kỳ {label} ({period.cutoff_from:%d/%m/%Y} – {period.cutoff_to:%d/%m/%Y})",
        "Điền số liệu vào trang “Số liệu”, mỗi đơn vị một dòng. Không sửa dòng tiêu đề, cột mã đơn vị, "
        "không thêm hay xóa cột, không dùng công thức (nhập con số). Ô để trống: giữ nguyên số liệu đã lưu.",
        "Fill in the “Số liệu” sheet, one row per unit. Do not change the header, the unit codes or "
        "the columns, and type figures rather than formulas. An empty cell keeps the stored figure.",
        "Tải tệp lên trang Nhập số liệu: hệ thống kiểm tra thử và liệt kê mọi thay đổi, mọi lỗi trước "
        "khi ghi. / Upload it on the Import page: a dry run lists every change and error before "
        "anything is written.",
        *(
            [
                "Ô tô xám: đơn vị không báo cáo chỉ tiêu này (chỉ đơn vị cấp khác báo cáo); để "
                "trống. / Grey cell: the unit does not report this figure (only units of another "
                "tier do); leave it empty."
            ]
            if some_greyed
            else []
        ),
        *regime.instructions.splitlines(),
    ]


def plan_file(
    regime: ReportingRegime,
    period: Period,
    may_write: WriteCheck,
    name: str,
    stream: IO[bytes],
    size: int,
) -> ImportPlan:
    """Read a file and return its dry run; raises ImportRefusedError when the file cannot be used at all."""
    return prepare_plan(regime, period, may_write, read_upload(name, stream, size))
