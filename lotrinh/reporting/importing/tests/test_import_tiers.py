"""An import reads each unit's own form: a figure of a field only other tiers report is refused
at its cell, naming the element, the unit and the period, and nothing of the file is written."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, template_spec, write_check
from lotrinh.reporting.importing.reading import ImportRefusedError
from lotrinh.reporting.importing.tests.conftest import (
    column_of,
    row_of,
    set_figure,
    snapshot,
    xlsx_for,
)
from lotrinh.reporting.models import DataValue
from lotrinh.reporting.services import Actor
from lotrinh.reporting.tests.conftest import DEPARTMENT_FIELD

pytestmark = pytest.mark.django_db


def _plan(data, regime, period, user):
    return plan_file(regime, period, write_check(user), "mau.xlsx", io.BytesIO(data), len(data))


def test_the_template_greys_the_cells_of_fields_a_unit_does_not_report(
    regime, clean_period, approver, commune, agency, department_field
):
    spec = template_spec(regime, clean_period, write_check(approver.user))
    rows = {row.unit_code: row for row in spec.rows}
    assert rows[commune.code].not_reported == {DEPARTMENT_FIELD}
    assert rows[agency.code].not_reported == frozenset()
    sheet = load_workbook(io.BytesIO(xlsx_for(regime, clean_period, approver.user)))["Số liệu"]
    column = column_of(sheet, DEPARTMENT_FIELD)
    assert sheet.cell(row_of(sheet, commune.code), column).fill.fgColor.rgb.endswith("BFBFBF")
    assert sheet.cell(row_of(sheet, agency.code), column).fill.fill_type is None


def test_a_commune_row_naming_a_department_field_is_refused_and_nothing_is_written(
    regime, clean_period, approver, commune, agency, department_field
):
    def edit(book):
        set_figure(book, agency.code, DEPARTMENT_FIELD, 3)  # right: a department reports it
        set_figure(book, commune.code, "tong_ho_so_cong_viec", 300)
        set_figure(book, commune.code, DEPARTMENT_FIELD, 2)  # wrong: communes do not

    before = snapshot(clean_period)
    plan = _plan(
        xlsx_for(regime, clean_period, approver.user, edit=edit),
        regime,
        clean_period,
        approver.user,
    )
    (error,) = plan.errors
    with translation.override("en"):
        label = clean_period.label
    assert (error.code, error.message_en) == (
        "not_reported_by_unit",
        f"{commune.name} ({commune.code}) does not report “Số trung tâm dữ liệu ({DEPARTMENT_FIELD})” "
        f"for {label}: that figure is on the form of other tiers' units only.",
    )
    assert error.message_vi != error.message_en and commune.name in error.message_vi
    assert not plan.can_apply
    assert [u.unit_code for u in plan.units] == [agency.code]  # the commune's row keeps nothing
    with pytest.raises(ImportRefusedError):
        apply_plan(Actor(approver.user, "10.0.0.1", "import"), regime, clean_period, plan)
    assert snapshot(clean_period) == before


def test_a_department_row_imports_its_figure(
    regime, clean_period, approver, agency, department_field
):
    data = xlsx_for(
        regime,
        clean_period,
        approver.user,
        edit=lambda book: set_figure(book, agency.code, DEPARTMENT_FIELD, 3),
    )
    plan = _plan(data, regime, clean_period, approver.user)
    assert plan.errors == [] and plan.can_apply
    apply_plan(Actor(approver.user, "10.0.0.1", "import"), regime, clean_period, plan)
    assert (
        DataValue.objects.get(report__org_unit=agency, data_element__code=DEPARTMENT_FIELD).value
        == 3
    )
