"""The fact table's foreign keys: no figure outlives its report or data element, whatever writes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from lotrinh.indicators.models import DataElement
from lotrinh.reporting.integrity import check_data_values
from lotrinh.reporting.models import DataValue, Report
from lotrinh.reporting.services import open_report, save_values


@pytest.fixture
def saved(reporter, regime, open_period, commune):
    report = open_report(reporter, regime, open_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300", "ho_so_cong_viec_dien_tu": "200"})
    return report


def test_deleting_a_report_deletes_its_figures(saved):
    assert DataValue.objects.filter(report=saved).count() >= 2
    Report.objects.filter(pk=saved.pk).delete()
    assert not DataValue.objects.filter(report_id=saved.pk).exists()
    assert check_data_values().ok


def test_a_data_element_with_figures_cannot_be_deleted(saved):
    with pytest.raises(ProtectedError):
        DataElement.objects.get(code="tong_ho_so_cong_viec").delete()


def test_the_database_refuses_a_figure_orphaned_behind_django_s_back(saved, capsys):
    call_command("check_data")
    assert "figures without a report: 0" in capsys.readouterr().out
    table = connection.ops.quote_name(Report._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [saved.pk])  # noqa: S608
        connection.check_constraints()  # what commit checks for deferred constraints
    assert Report.objects.filter(pk=saved.pk).exists()
    assert check_data_values().ok


def test_the_database_refuses_a_figure_of_an_unknown_data_element(saved):
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET data_element_id = %s WHERE report_id = %s",  # noqa: S608
                [10**9, saved.pk],
            )
        connection.check_constraints()
    assert check_data_values().ok


def test_check_data_finds_a_figure_off_its_report_s_form(saved, regime):
    assert check_data_values().off_form == 0
    code = "tong_ho_so_cong_viec"
    orphaned = DataValue.objects.filter(report__regime=regime, data_element__code=code).count()
    regime.fields.filter(data_element__code=code).delete()
    found = check_data_values()
    assert orphaned >= 1
    assert (found.off_form, found.ok) == (orphaned, False)
    with pytest.raises(CommandError):
        call_command("check_data")
