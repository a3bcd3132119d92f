"""Benchmark: importing a quarter for every current reporting unit of the national-scale set.

On PostgreSQL, builds the set of bench/national_set.py in a scratch database (or reuses a kept one
with --reuse), then imports the open quarter for all ≈4,000 current units × 60 data elements of the
regime "cds-dinh-ky-quy", as a province-wide data officer would: the template is downloaded as CSV
(bench figures: each unit's last approved figure plus one, so every rule still holds), uploaded,
validated in full — types, ranges, the regime's rules, and each figure against the unit's own
approved history among ≈13 million stored figures — and applied in one transaction with its audit
trail. Prints read+validate and apply times, values/s, and the goal (≥ 40,000 values/s).
Then imports the same file again with every figure changed once more (updates instead of inserts).

Usage: python bench/bench_national_import.py [--reuse] [--keep]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_national import build, child, tagged  # noqa: E402
from scratch import drop_database, scratch_database  # noqa: E402

DATABASE = "lotrinh_nat_import"
GOAL = 40_000

IMPORT = r"""
import dataclasses, io, time, django
django.setup()
from django.contrib.auth.models import User
from django.utils import timezone
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, template_spec, write_check
from lotrinh.reporting.importing.template import build_csv
from lotrinh.reporting.models import DataValue, Report, ReportingRegime, Status
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.services import Actor

regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
ensure_periods(regime, timezone.localdate())
spec_code = period_containing(regime.frequency, timezone.localdate(), regime.cutoff_day).code
period = regime.periods.get(code=spec_code)
last = regime.periods.filter(starts_on__lt=period.starts_on).order_by("-starts_on").first()
Report.objects.filter(regime=regime, period=period).delete()  # a rerun starts from the same state
from django.db import connection
with connection.cursor() as cursor:  # as autovacuum would before the next quarter: not timed
    cursor.execute("VACUUM ANALYZE reporting_datavalue, reporting_report, core_auditevent")
user = User.objects.filter(username="admin").first() or User.objects.create_superuser("admin", password="x")
percent = set(regime.fields.filter(data_element__value_type="percent").values_list("data_element__code", flat=True))
previous = {}
for unit_id, code, value in DataValue.objects.filter(
    report__regime=regime, report__period=last, report__status=Status.APPROVED
).values_list("report__org_unit_id", "data_element__code", "value"):
    previous.setdefault(unit_id, {})[code] = value
spec = template_spec(regime, period, write_check(user))
from lotrinh.orgunits.models import OrgUnit
ids = dict(OrgUnit.objects.filter(structure="2025").values_list("code", "pk"))

def figures(step):
    rows = []
    for row in spec.rows:
        old = previous.get(ids[row.unit_code], {})
        rows.append(dataclasses.replace(row, values={
            code: (value if value == 0 or code in percent else value + step)
            for code, value in old.items() if value is not None
        }))
    return build_csv(dataclasses.replace(spec, rows=rows)).encode("utf-8")

def run(label, data):
    started = time.perf_counter()
    plan = plan_file(regime, period, write_check(user), "national.csv", io.BytesIO(data), len(data))
    planned = time.perf_counter()
    assert not plan.errors, [e.message_en for e in plan.errors[:3]]
    result = apply_plan(Actor(user, None, "import"), regime, period, plan)
    done = time.perf_counter()
    print(f"IMPORT {label} {len(spec.rows)} {result.values} {len(plan.warnings)} "
          f"{planned - started:.3f} {done - planned:.3f}", flush=True)

stored = DataValue.objects.count()
print(f"STORED {stored} {period.code} {last.code}", flush=True)
run("first", figures(1))
run("again", figures(2))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse a kept set instead of building")
    parser.add_argument("--keep", action="store_true", help=f"keep the {DATABASE} database")
    options = parser.parse_args()
    url = scratch_database(DATABASE, reuse=options.reuse)
    if not url:
        print("postgresql: no server available, skipped")
        return
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="config.settings.base",
                LOTRINH_DATA_DIR=data_dir,
                LOTRINH_DATABASE_URL=url,
            )
            if not options.reuse:
                build(env, 60)
            lines = child(IMPORT, env)
        stored, period, last = tagged(lines, "STORED")[-1]
        print(
            f"national set: {int(stored):,} stored figures; importing {period} (history up to {last})"
        )
        for label, units, values, warnings, plan_s, apply_s in tagged(lines, "IMPORT"):
            rate = int(values) / (float(plan_s) + float(apply_s))
            what = "new figures" if label == "first" else "every figure changed"
            print(
                f"postgresql national import, {what}: {int(units):,} units, {int(values):,} values, "
                f"{int(warnings):,} warnings: read+validate {float(plan_s):.2f} s, apply "
                f"{float(apply_s):.2f} s = {rate:,.0f} values/s "
                f"(goal >= {GOAL:,}: {'met' if rate >= GOAL else 'NOT met'})"
            )
    finally:
        if not options.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
