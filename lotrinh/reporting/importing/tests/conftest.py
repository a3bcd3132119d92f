"""Fixtures for the import tests: the reporting fixtures (a clean open period in Gia Lai among
them), and helpers that build filled-in templates the way a user would."""

import io

from openpyxl import load_workbook

from lotrinh.core.models import AuditEvent
from lotrinh.reporting.importing.context import template_spec, write_check
from lotrinh.reporting.importing.template import build_csv, build_xlsx
from lotrinh.reporting.models import DataValue, Report
from lotrinh.reporting.tests import conftest as reporting

# The reporting tests' fixtures, shared here (a conftest only reaches its own directory).
regime = reporting.regime
open_period = reporting.open_period
gia_lai = reporting.gia_lai
commune = reporting.commune
reporter = reporting.reporter
approver = reporting.approver
agency = reporting.agency
clean_period = reporting.clean_period
department_field = reporting.department_field


def snapshot(period):
    """Everything an import could touch for a period: values, reports and the audit trail."""
    return (
        sorted(
            DataValue.objects.filter(report__period=period).values_list(
                "pk", "value", "version", "comment"
            )
        ),
        sorted(Report.objects.filter(period=period).values_list("pk", "version", "status")),
        AuditEvent.objects.count(),
    )


def xlsx_for(regime_, period, user, within=None, edit=None):
    """The downloaded template, then `edit(sheet)` applied to it as a user would in Excel."""
    data = build_xlsx(template_spec(regime_, period, write_check(user), within))
    if edit is None:
        return data
    book = load_workbook(io.BytesIO(data))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_for(regime_, period, user, within=None, delimiter=","):
    return build_csv(template_spec(regime_, period, write_check(user), within), delimiter)


def column_of(sheet, code):
    for cell in sheet[1]:
        if cell.value == code:
            return cell.column
    raise KeyError(code)


def row_of(sheet, unit_code):
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == unit_code:
            return row[0].row
    raise KeyError(unit_code)


def set_figure(book, unit_code, code, value):
    sheet = book["Số liệu"]
    sheet.cell(row_of(sheet, unit_code), column_of(sheet, code), value)
