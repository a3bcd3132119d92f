"""Benchmark: importing a CSV of ~200,000 figures (every current commune × 60 data elements).

For SQLite and (when reachable) PostgreSQL, each in a scratch database made here, prints values/s
for the full import (read + validate with the regime's 30 rules + apply) on the bulk path, for the
service path (open_report + save_values per report, on a sample of units, scaled), and for a naive
baseline (one ORM save per value, no validation, on a sample, scaled), with the ratios.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load_units import postgres_url  # noqa: E402

CHILD = r"""
import io, time, datetime
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from django.utils import timezone
from lotrinh.indicators.models import DataElement
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.services import load_units
from lotrinh.reporting.models import DataValue, FormField, Period, Report, ReportingRegime, ValidationRule
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.queries import expected_units, due_date
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, write_check
from lotrinh.reporting.services import Actor

load_units()
FIELDS = 60
regime = ReportingRegime.objects.create(code="bench", name="Bench", content="-", frequency="quarterly",
    reporting_tiers=["commune"], receiving_unit="-", first_year=2025)
regime.scopes.set(OrgUnit.objects.filter(structure="2025", tier="province"))
for i in range(1, FIELDS + 1):
    element = DataElement.objects.create(code=f"bench_e{i:02d}", name=f"Chỉ tiêu {i}")
    FormField.objects.create(regime=regime, data_element=element, position=i)
for i in range(1, FIELDS // 2 + 1):
    ValidationRule.objects.create(regime=regime, code=f"r{i}", expression=f"bench_e{2*i:02d} <= bench_e{2*i-1:02d}",
        message_vi="-", message_en="-")
ensure_periods(regime, timezone.localdate())
periods = list(regime.periods.order_by("-starts_on"))
user = User.objects.create_superuser("bench", password="x")
actor = Actor(user, None, "import")
units = list(expected_units(regime, periods[0]).order_by("code").values_list("code", flat=True))

def csv_for(period, codes):
    out = io.StringIO()
    out.write(f"#lotrinh-import,template_version=1,regime=bench,period={period.code},structure=2025\n")
    out.write("ma_don_vi,ten_don_vi," + ",".join(f"bench_e{i:02d}" for i in range(1, FIELDS + 1)) + "\n")
    for n, code in enumerate(codes):
        out.write(f"{code},," + ",".join(str(1000 + n % 97 - (1 - i % 2) * 10) for i in range(1, FIELDS + 1)) + "\n")
    return out.getvalue().encode()

def run(period, codes, method):
    data = csv_for(period, codes)
    started = time.perf_counter()
    plan = plan_file(regime, period, write_check(user), "bench.csv", io.BytesIO(data), len(data))
    planned = time.perf_counter()
    assert not plan.errors, plan.errors[:3]
    result = apply_plan(actor, regime, period, plan, method=method)
    done = time.perf_counter()
    return result.values, planned - started, done - planned

values, plan_s, apply_s = run(periods[0], units, "bulk")
bulk_rate = values / (plan_s + apply_s)
sample = units[:150]
s_values, s_plan, s_apply = run(periods[1], sample, "service")
service_rate = s_values / (s_plan + s_apply)
# Naive: one INSERT per value through the ORM, no validation, no audit, in one transaction.
period = periods[2]
unit_objs = list(OrgUnit.objects.filter(structure="2025", code__in=units[:150]))
elements = list(DataElement.objects.filter(code__startswith="bench_e").order_by("code"))
started = time.perf_counter()
count = 0
with transaction.atomic():
    for unit in unit_objs:
        report = Report.objects.create(regime=regime, period=period, org_unit=unit, due_on=due_date(regime, period, unit))
        for element in elements:
            DataValue(report=report, data_element=element, org_unit=unit, period=period, value=1000).save()
            count += 1
naive_rate = count / (time.perf_counter() - started)
print(f"{connection.vendor:10s} bulk import {values} values: read+validate {plan_s:5.2f} s, apply {apply_s:5.2f} s "
      f"= {bulk_rate:8,.0f} values/s | service path ({s_values} values) {service_rate:7,.0f} values/s "
      f"| naive save-per-value ({count}) {naive_rate:7,.0f} values/s | bulk/naive = {bulk_rate / naive_rate:4.1f}x, "
      f"bulk/service = {bulk_rate / service_rate:4.1f}x")
"""


def run(database_url: str | None) -> None:
    import os
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", LOTRINH_DATA_DIR=data_dir
        )
        if database_url:
            env["LOTRINH_DATABASE_URL"] = database_url
        else:
            env.pop("LOTRINH_DATABASE_URL", None)
        subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=root, check=True)  # noqa: S603


if __name__ == "__main__":
    run(None)
    url = postgres_url()
    if url:
        run(url)
    else:
        print("postgresql: no server available, skipped")
