"""An import records one ledger entry per report it touches, holding the figures it wrote."""

from __future__ import annotations

import io
import json

import pytest

from lotrinh.ledger.models import Entry
from lotrinh.orgunits.models import Tier
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, write_check
from lotrinh.reporting.importing.tests.conftest import set_figure, xlsx_for
from lotrinh.reporting.models import Report
from lotrinh.reporting.services import Actor

pytestmark = pytest.mark.django_db


def test_an_import_appends_one_entry_per_report_with_its_figures(
    regime,
    clean_period,
    approver,
    gia_lai,
):
    communes = list(gia_lai.children.filter(tier=Tier.COMMUNE).order_by("code")[:3])

    def edit(book):
        for n, unit in enumerate(communes):
            set_figure(book, unit.code, "tong_so_tthc", 100 + n)

    data = xlsx_for(regime, clean_period, approver.user, edit=edit)
    plan = plan_file(
        regime, clean_period, write_check(approver.user), "t.xlsx", io.BytesIO(data), len(data)
    )
    before = Entry.objects.count()
    apply_plan(Actor(approver.user, None, "import"), regime, clean_period, plan)

    reports = Report.objects.filter(regime=regime, period=clean_period, org_unit__in=communes)
    entries = Entry.objects.filter(index__gte=before).order_by("report_id")
    assert sorted(e.report_id for e in entries) == sorted(r.pk for r in reports)
    assert {e.action for e in entries} == {"imported"}
    figures = sorted(json.loads(e.content)["figures"]["tong_so_tthc"] for e in entries)
    assert figures == ["100", "101", "102"]
    assert entries[0].actor_id == approver.user.pk
