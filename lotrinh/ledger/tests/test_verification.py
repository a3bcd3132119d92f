"""`lotrinh ledger verify` names what was changed behind the application's back, and passes a
database changed only through the application."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from lotrinh.ledger.models import Entry
from lotrinh.ledger.verification import _local
from lotrinh.reporting import services
from lotrinh.reporting.models import DataValue, Report
from lotrinh.reporting.periods import period_label

from .conftest import EXPLAINED, GOOD


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English sentences (the command speaks the site's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def approved(reporter, approver, regime, open_period, commune):
    report = services.open_report(reporter, regime, open_period, commune)
    services.save_values(reporter, report, dict(GOOD), EXPLAINED)
    services.submit_report(reporter, report)
    return services.approve_report(approver, report)


def _verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return 1, err.getvalue() + str(exc)
    return 0, out.getvalue()


def _sql(statement: str, *params: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _names(report: Report) -> tuple[str, str, str]:
    entry = Entry.objects.filter(report_id=report.pk).order_by("-index").first()
    assert entry is not None and entry.action == "approved"
    return report.org_unit.name, period_label(report.period.code), _local(entry.recorded_at)


def _element_id(code: str) -> int:
    return DataValue.objects.filter(data_element__code=code).values_list(
        "data_element_id", flat=True
    )[0]


def test_a_database_changed_only_through_the_application_verifies(approved):
    code, output = _verify()
    assert code == 0, output
    assert "entries" in output


def test_a_changed_figure_is_named_with_its_report_and_entry_time(approved):
    element = _element_id("so_dvctt")
    _sql(
        "UPDATE reporting_datavalue SET value = 95 WHERE report_id = %s AND data_element_id = %s",
        approved.pk,
        element,
    )
    code, output = _verify()
    unit, period, time = _names(approved)
    assert code == 1
    line = next(line for line in output.splitlines() if "so_dvctt" in line)
    assert unit in line and period in line and time in line
    assert "95" in line and "90" in line


def test_a_deleted_figure_is_named(approved):
    _sql(
        "DELETE FROM reporting_datavalue WHERE report_id = %s AND data_element_id = %s",
        approved.pk,
        _element_id("tong_so_tthc"),
    )
    code, output = _verify()
    unit, period, time = _names(approved)
    assert code == 1
    line = next(line for line in output.splitlines() if "tong_so_tthc" in line)
    assert "deleted" in line and unit in line and period in line and time in line


def test_an_inserted_figure_is_named(approved, regime):
    recorded = set(approved.values.values_list("data_element__code", flat=True))
    extra = regime.fields.exclude(data_element__code__in=recorded).select_related("data_element")
    field = extra.first()
    assert field is not None, "the regime's form has a figure the report left empty"
    _sql(
        "INSERT INTO reporting_datavalue (report_id, data_element_id, value, comment, version, updated_at) "
        "VALUES (%s, %s, 7, '', 1, CURRENT_TIMESTAMP)",
        approved.pk,
        field.data_element_id,
    )
    code, output = _verify()
    unit, period, time = _names(approved)
    assert code == 1
    line = next(line for line in output.splitlines() if field.data_element.code in line)
    assert "added" in line and unit in line and period in line and time in line


def test_a_changed_status_is_named(approved):
    _sql("UPDATE reporting_report SET status = 'submitted' WHERE id = %s", approved.pk)
    code, output = _verify()
    unit, period, time = _names(approved)
    assert code == 1
    assert any(
        "submitted" in line and "approved" in line and unit in line and time in line
        for line in output.splitlines()
    )


def test_a_deleted_report_is_named(approved):
    unit, period, time = _names(approved)
    _sql("DELETE FROM reporting_datavalue WHERE report_id = %s", approved.pk)
    _sql("DELETE FROM reporting_report WHERE id = %s", approved.pk)
    code, output = _verify()
    assert code == 1
    line = next(line for line in output.splitlines() if f"report {approved.pk} " in line)
    assert "deleted" in line and unit in line and period in line and time in line


def test_an_altered_entry_is_named(approved):
    entry = Entry.objects.filter(report_id=approved.pk).order_by("-index").first()
    _sql(
        'UPDATE ledger_entry SET content = replace(content, \'"90"\', \'"95"\') WHERE "index" = %s',
        entry.index,
    )
    code, output = _verify()
    assert code == 1
    assert f"#{entry.index}" in output and "altered" in output


def test_a_rewritten_entry_and_hash_no_longer_match_the_signed_tree_head(approved):
    call_command("ledger", "sth", stdout=StringIO())
    entry = Entry.objects.filter(report_id=approved.pk).order_by("-index").first()
    _sql("UPDATE ledger_entry SET action = 'returned' WHERE \"index\" = %s", entry.index)
    _sql("UPDATE reporting_report SET status = 'returned' WHERE id = %s", approved.pk)
    code, output = _verify()
    assert code == 1
    assert f"#{entry.index}" in output and "Merkle" in output


def test_reports_sent_before_the_ledger_are_adopted_once(approved):
    # A database from before the ledger: no entries, no tree, no signed heads.
    _sql("DELETE FROM ledger_treehead")
    _sql("DELETE FROM ledger_node")
    _sql("DELETE FROM ledger_entry")
    _sql("UPDATE ledger_log SET size = 0")
    code, output = _verify()
    assert code == 1 and "no entry" in output
    call_command("ledger", "adopt", stdout=StringIO())
    code, output = _verify()
    assert code == 0, output
    assert Entry.objects.get(report_id=approved.pk).action == "adopted"
