"""Back up, destroy, restore, verify: on SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lotrinh.ledger.models import Entry
from lotrinh.reporting import services
from lotrinh.reporting.models import DataValue, Report

from .conftest import EXPLAINED, GOOD


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English sentences (the command speaks the site's language)."""
    with translation.override("en"):
        yield


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_destroy_restore_verifies_the_ledger(
    tmp_path, reporter, approver, regime, open_period, commune
):
    report = services.open_report(reporter, regime, open_period, commune)
    services.save_values(reporter, report, dict(GOOD), EXPLAINED)
    services.submit_report(reporter, report)
    services.approve_report(approver, report)
    counts = (Report.objects.count(), DataValue.objects.count(), Entry.objects.count())
    backup = tmp_path / "lotrinh.backup"
    call_command("backup", str(backup), stdout=StringIO())

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup), stdout=StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert Report.objects.count() == 0 and Entry.objects.count() == 0
    out = StringIO()
    call_command("restore", str(backup), stdout=out, stderr=StringIO())

    assert (Report.objects.count(), DataValue.objects.count(), Entry.objects.count()) == counts
    assert Report.objects.get(pk=report.pk).status == "approved"
    assert "matches" in out.getvalue()
