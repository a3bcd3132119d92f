"""PostgreSQL: a large import rebuilds the period's partition and swaps it in. The result is the one
row-by-row writing gives (ids, explanations and other units' figures kept), and a failure leaves
the table exactly as it was."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection

from lotrinh.orgunits.models import Tier
from lotrinh.reporting import partitions
from lotrinh.reporting.importing import apply as apply_module
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, write_check
from lotrinh.reporting.importing.tests.conftest import csv_for, snapshot
from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.services import Actor, open_report, save_values

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's"),
]


def bounds():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT child.relname, pg_get_expr(child.relpartbound, child.oid) FROM pg_inherits
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE inhparent = 'reporting_datavalue'::regclass"""
        )
        return dict(cursor.fetchall())


def filled_csv(regime, period, user, within, figures):
    """The approver's CSV template with `figures` {unit code: {code: value}} typed in."""
    text = csv_for(regime, period, user, within).lstrip("\ufeff")
    lines = text.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("ma_don_vi"))
    header = lines[header_at].split(",")
    out = lines[: header_at + 1]
    for line in lines[header_at + 1 :]:
        cells = line.split(",")
        for code, value in figures.get(cells[0], {}).items():
            cells[header.index(code)] = str(value)
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode()


@pytest.fixture
def swap_always(monkeypatch):
    monkeypatch.setattr(apply_module, "SWAP_FROM_CHANGES", 1)
    swaps = []
    real = partitions.swap_period

    def counted(*args, **kwargs):
        swaps.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(partitions, "swap_period", counted)
    return swaps


def test_a_large_import_swaps_in_a_rebuilt_partition_with_the_row_by_row_result(
    regime, clean_period, reporter, approver, commune, gia_lai, swap_always
):
    communes = list(gia_lai.children.filter(tier=Tier.COMMUNE).order_by("code")[:4])
    assert communes[0] == commune
    report = open_report(reporter, regime, clean_period, commune)
    save_values(reporter, report, {"tong_ho_so_cong_viec": "300"})
    kept = DataValue.objects.get(report=report, data_element__code="tong_ho_so_cong_viec")
    DataValue.objects.filter(pk=kept.pk).update(comment="Số liệu đã rà soát")
    others = sorted(
        DataValue.objects.filter(period=clean_period)
        .exclude(org_unit__in=communes)
        .values_list("pk", "value", "comment", "version")
    )
    figures = {
        c.code: {"tong_ho_so_cong_viec": 400 + n, "ho_so_cong_viec_dien_tu": 200 + n}
        for n, c in enumerate(communes)
    }
    data = filled_csv(regime, clean_period, approver.user, gia_lai, figures)
    plan = plan_file(
        regime, clean_period, write_check(approver.user), "mau.csv", io.BytesIO(data), len(data)
    )
    assert not plan.errors
    apply_plan(Actor(approver.user, None, "import"), regime, clean_period, plan, method="bulk")

    assert swap_always == [clean_period.pk]
    updated = DataValue.objects.get(pk=kept.pk)  # the same row: its id and explanation kept
    assert (updated.value, updated.comment) == (Decimal(400), "Số liệu đã rà soát")
    assert updated.version == Report.objects.get(pk=report.pk).version
    for n, unit in enumerate(communes):
        assert dict(
            DataValue.objects.filter(period=clean_period, org_unit=unit).values_list(
                "data_element__code", "value"
            )
        ) == {"tong_ho_so_cong_viec": 400 + n, "ho_so_cong_viec_dien_tu": 200 + n}
    assert (
        sorted(
            DataValue.objects.filter(period=clean_period)
            .exclude(org_unit__in=communes)
            .values_list("pk", "value", "comment", "version")
        )
        == others
    )
    name = partitions.partition_name(clean_period.pk)
    assert bounds()[name] == f"FOR VALUES IN ('{clean_period.pk}')"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), bool_and(indisvalid) FROM pg_index WHERE indrelid = %s::regclass",
            [name],
        )
        assert cursor.fetchone() == (4, True)
    # The swapped-in partition keeps the table's rules: (report, element) is still unique.
    with pytest.raises(Exception, match="duplicate key"):  # noqa: B017, PT011
        DataValue.objects.create(
            report=report,
            data_element=kept.data_element,
            org_unit=commune,
            period=clean_period,
            value=1,
        )


def test_a_failure_after_the_swap_leaves_every_figure_and_the_partition_as_they_were(
    regime, clean_period, approver, gia_lai, swap_always, monkeypatch
):
    communes = list(gia_lai.children.filter(tier=Tier.COMMUNE).order_by("code")[:3])
    figures = {c.code: {"tong_ho_so_cong_viec": 500} for c in communes}
    data = filled_csv(regime, clean_period, approver.user, gia_lai, figures)
    plan = plan_file(
        regime, clean_period, write_check(approver.user), "mau.csv", io.BytesIO(data), len(data)
    )
    before, parts = snapshot(clean_period), bounds()

    def broken(model, *args, **kwargs):  # the audit trail is written after the swap
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        apply_plan(Actor(approver.user, None, "import"), regime, clean_period, plan, method="bulk")
    assert swap_always == [clean_period.pk]
    assert snapshot(clean_period) == before
    assert bounds() == parts


def test_figures_of_a_period_without_a_partition_wait_in_the_default_one_until_it_is_made(
    regime, clean_period, reporter, commune
):
    period = Period.objects.bulk_create(  # bulk_create sends no signal: no partition yet
        [
            Period(
                regime=regime,
                code="2099Q1",
                starts_on="2099-01-01",
                ends_on="2099-03-31",
                cutoff_from="2098-12-15",
                cutoff_to="2099-03-14",
            )
        ]
    )[0]
    report = Report.objects.create(
        regime=regime, period=period, org_unit=commune, due_on="2099-03-20"
    )
    element = regime.fields.first().data_element
    DataValue.objects.create(
        report=report, data_element=element, org_unit=commune, period=period, value=7
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_datavalue_default")
        assert cursor.fetchone() == (1,)
        partitions.ensure_partitions([period.pk])
        cursor.execute("SELECT count(*) FROM reporting_datavalue_default")
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT value FROM {partitions.partition_name(period.pk)}")  # noqa: S608
        assert cursor.fetchone() == (Decimal(7),)
    assert DataValue.objects.get(report=report).value == 7


def test_new_periods_get_their_partitions(db):
    regime = ReportingRegime.objects.create(
        code="thu-nghiem",
        name="Thử nghiệm",
        content="-",
        frequency="quarterly",
        reporting_tiers=["commune"],
        receiving_unit="-",
        first_year=2024,
    )
    periods = ensure_periods(regime, datetime.date(2025, 6, 1))
    assert len(periods) == 6
    found = bounds()
    for period in periods:
        assert found[partitions.partition_name(period.pk)] == f"FOR VALUES IN ('{period.pk}')"
    single = Period.objects.create(
        regime=regime,
        code="2030Q1",
        starts_on="2030-01-01",
        ends_on="2030-03-31",
        cutoff_from="2029-12-15",
        cutoff_to="2030-03-14",
    )
    assert partitions.partition_name(single.pk) in bounds()
