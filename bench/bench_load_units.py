"""Benchmark: loading all of Vietnam's units and the crosswalk, bulk loader vs a naive ORM loop.

Prints, for SQLite and (when reachable) PostgreSQL: seconds for the bulk loader into an empty
database, seconds for a second (idempotent) run, and a naive baseline that saves one unit per
query, measured in the same run, with the ratio. Each database is a scratch one made here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0, interactive=False)
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession
from lotrinh.orgunits.package_data import read_package_units
from lotrinh.orgunits.services import _unit_from_record, load_units

started = time.perf_counter(); data = read_package_units(); read_s = time.perf_counter() - started
started = time.perf_counter(); first = load_units(data); first_s = time.perf_counter() - started
started = time.perf_counter(); load_units(data); again_s = time.perf_counter() - started
units = OrgUnit.objects.count(); links = OrgUnitSuccession.objects.count()
OrgUnitSuccession.objects.all().delete()
OrgUnit.objects.filter(tier="commune").delete(); OrgUnit.objects.filter(tier="district").delete(); OrgUnit.objects.all().delete()

# Naive baseline: one INSERT per unit (parents looked up one by one), inside one transaction,
# on a sample of the communes, then scaled to the full count.
sample = [r for r in data.units if r.tier != "commune"] + [r for r in data.units if r.tier == "commune"][:2000]
started = time.perf_counter()
with transaction.atomic():
    for record in sample:
        parent = OrgUnit.objects.get(structure=record.structure, code=record.parent_code) if record.parent_code else None
        _unit_from_record(record, parent).save()
naive_s = (time.perf_counter() - started) * len(data.units) / len(sample)
print(f"{connection.vendor:10s} read package {read_s:5.2f} s | bulk load {units} units + {links} links {first_s:5.2f} s "
      f"| second run {again_s:5.2f} s | naive per-row (scaled from {len(sample)}) {naive_s:6.2f} s "
      f"| naive/bulk = {naive_s / first_s:4.1f}x")
"""


def run(database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", LOTRINH_DATA_DIR=data_dir
        )
        if database_url:
            env["LOTRINH_DATABASE_URL"] = database_url
        else:
            env.pop("LOTRINH_DATABASE_URL", None)
        subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, check=True)  # noqa: S603


def postgres_url() -> str | None:
    """The shared benchmark database, emptied (bench_import and bench_submission_rush use it too)."""
    return scratch_database("lotrinh_bench")


if __name__ == "__main__":
    run(None)
    url = postgres_url()
    if url:
        run(url)
    else:
        print("postgresql: no server available, skipped")
