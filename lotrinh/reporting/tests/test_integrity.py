"""The fact table has no database foreign keys: Django keeps the rules, check-data finds breaches."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
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


def test_check_data_finds_figures_orphaned_behind_django_s_back(saved, capsys):
    call_command("check_data")
    assert "figures without a report: 0" in capsys.readouterr().out
    figures = DataValue.objects.filter(report=saved).count()
    table = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [saved.pk])  # noqa: S608
    found = check_data_values()
    assert (found.without_report, found.without_element, found.ok) == (figures, 0, False)
    with pytest.raises(CommandError):
        call_command("check_data")
