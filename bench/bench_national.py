"""Benchmark: the national-scale set (issues #3 and #5) on PostgreSQL.

Builds the set of bench/national_set.py (both structures, ≈4,000 current and ≈11,000 legacy
reporting units, 60 data elements, every quarter since 2021) in a scratch database, then prints:
- the generation time and the exact totals (units, reports, values);
- the time and peak memory to assess every target of every programme with the SQL aggregation
  path (`assess_all`), next to a naive baseline that adds the same figures in Python loops over ORM
  objects, measured on a sample of targets and scaled to all of them, with the ratio;
- the time to keep every programme's history of quarter ends (`assess_history`), with its ratio
  to one `assess_all`;
- where the assessment's database time goes (query groups; with --explain, the slowest plan);
- p50/p95 latency of the programme dashboard, the unit overview and the assessment API for one user
  at a time and for 20 concurrent users against gunicorn (bench/bench_dashboards.py's measuring
  functions), and the memory of each worker;
- each goal of issue #5 (assessments ≤ 10 s, p95 ≤ 300 ms, memory ≤ 1 GB): met or not met.

Usage: python bench/bench_national.py [--keep] [--reuse] [--explain] [--elements N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scratch import drop_database, scratch_database  # noqa: E402

DATABASE = "lotrinh_nat_bench"
NAIVE_SAMPLE_EVERY = 20  # the naive baseline runs on every 20th target, then is scaled
GOAL_ASSESS_SECONDS = 10.0
GOAL_P95_MS = 300.0
GOAL_MEMORY_MB = 1024.0

PREPARE = r"""
import sys, time, django
django.setup()
started = time.perf_counter()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from lotrinh.core.management.commands.demo import Command as Demo
from lotrinh.indicators.services import load_catalogue, load_sample_programmes
from lotrinh.monitoring.published import load_observations
from lotrinh.orgunits.services import load_units
from lotrinh.reporting.regimes import load_regimes
load_units(); load_catalogue(); load_sample_programmes(); load_observations(); load_regimes()
reference = time.perf_counter() - started
sys.path.insert(0, "bench")
import national_set
summary = national_set.generate(elements=int(sys.argv[1]))
# The demo logins (admin, tinh_demo, xa_demo), made by `lotrinh demo`'s own code.
Demo()._ensure_demo_user()
Demo()._ensure_reporting_users()
print(f"SET {reference:.1f} {summary.seconds:.1f} {summary.legacy_units} {summary.current_units} "
      f"{summary.agencies_added} {summary.elements} {summary.periods} {summary.reports} {summary.values}")
"""

ASSESS = r"""
import collections, resource, sys, time, django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lotrinh.assessment.services import assess_all
runs = []
for _ in range(3):
    started = time.perf_counter(); count = assess_all(); runs.append(time.perf_counter() - started)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from django.db.models import Count
from lotrinh.assessment.models import Assessment
statuses = Assessment.objects.values_list("status").annotate(n=Count("id")).order_by("-n")
print("STATUSES " + " ".join(f"{status}={n}" for status, n in statuses))
with CaptureQueriesContext(connection) as captured:
    assess_all()
groups = collections.defaultdict(lambda: [0, 0.0])
for query in captured.captured_queries:
    words = query["sql"].split()
    group = " ".join(words[:2] + (["… FROM", words[words.index("FROM") + 1]] if "FROM" in words else []))
    groups[group][0] += 1; groups[group][1] += float(query["time"])
for group, (n, seconds) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:5]:
    print(f"QUERIES {n} {seconds:.2f} {group}")
total = sum(float(q["time"]) for q in captured.captured_queries)
print(f"QUERIES {len(captured.captured_queries)} {total:.2f} all queries")
if sys.argv[1] == "explain":
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        print("EXPLAIN " + slowest["sql"])
        for (line,) in cursor.fetchall():
            print("EXPLAIN " + line)
print(f"ASSESS {count} {peak:.0f} " + " ".join(f"{run:.2f}" for run in runs))
from lotrinh.assessment.services import assess_history
from lotrinh.indicators.models import Programme
started = time.perf_counter()
cutoffs = sum(len(assess_history(programme)) for programme in Programme.objects.all())
print(f"HISTORY {cutoffs} {time.perf_counter() - started:.2f}")
"""

# Naive: per target, load every approved figure of its elements as ORM objects and add up those of
# the programme's territory in Python (as bench_dashboards.py's baseline does). At national scale
# that is ~440,000 objects per ratio target, so it runs on a sample and streams with .iterator()
# (without it, one target would hold over a gigabyte of objects).
NAIVE = r"""
import sys, time, django
django.setup()
from collections import defaultdict
from lotrinh.indicators.models import Target
from lotrinh.reporting.models import DataValue
targets = list(Target.objects.select_related("indicator", "programme__org_unit").order_by("pk"))
sample = targets[::int(sys.argv[1])]
started = time.perf_counter()
for target in sample:
    ind = target.indicator
    elements = [e for e in (ind.numerator_id, ind.denominator_id, ind.reported_as_id) if e]
    totals = defaultdict(float)
    values = DataValue.objects.filter(data_element_id__in=elements, report__status="approved")
    for dv in values.select_related("report__org_unit", "report__period").iterator(chunk_size=5000):
        if dv.report.org_unit.path.startswith(target.programme.org_unit.path) and dv.value is not None:
            totals[(dv.report.period.code, dv.data_element_id)] += float(dv.value)
seconds = time.perf_counter() - started
print(f"NAIVE {len(sample)} {len(targets)} {seconds:.2f} {seconds * len(targets) / len(sample):.2f}")
"""


def child(code: str, env: dict[str, str], *args: str) -> list[str]:
    """Run Django code in a fresh process, echo its progress as it comes, return its output lines."""
    lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-u", "-c", code, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if not line.split(" ", 1)[0].isupper():  # tagged lines are results, printed later
                print(line, end="", flush=True)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, "child")
    return lines


def tagged(lines: Sequence[str], tag: str) -> list[list[str]]:
    return [line.split(" ", 1)[1].split() for line in lines if line.startswith(tag + " ")]


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def build(env: dict[str, str], elements: int) -> None:
    started = time.perf_counter()
    lines = child(PREPARE, env, str(elements))
    reference, generation, legacy, current, agencies, fields, periods, reports, values = tagged(
        lines, "SET"
    )[-1]
    print(
        f"set: {int(legacy):,} legacy + {int(current):,} current reporting units "
        f"({int(agencies):,} agencies added), {fields} data elements, {periods} quarters, "
        f"{int(reports):,} approved reports, {int(values):,} values"
    )
    print(
        f"generation: {float(generation):.1f} s (reference data {float(reference):.1f} s, "
        f"whole preparation {time.perf_counter() - started:.1f} s)"
    )


def assessments(env: dict[str, str], explain: bool) -> float:
    """Print the assessment timings, the query breakdown and the naive baseline; return peak MB."""
    lines = child(ASSESS, env, "explain" if explain else "-")
    for words in tagged(lines, "QUERIES"):
        print(
            f"  db time {float(words[1]):6.2f} s in {int(words[0]):5,} queries: {' '.join(words[2:])}"
        )
    for line in lines:
        if line.startswith("EXPLAIN "):
            print("  | " + line.removeprefix("EXPLAIN "))
    print("statuses: " + ", ".join(" ".join(words) for words in tagged(lines, "STATUSES")))
    count, peak, *runs = tagged(lines, "ASSESS")[-1]
    median = statistics.median(float(run) for run in runs)
    sampled, total, naive_s, naive_scaled = tagged(
        child(NAIVE, env, str(NAIVE_SAMPLE_EVERY)), "NAIVE"
    )[-1]
    print(
        f"assess all {count} targets: median {median:.2f} s of {len(runs)} runs "
        f"({', '.join(runs)} s), peak memory {float(peak):.0f} MB"
    )
    print(
        f"naive baseline: {float(naive_s):.1f} s for {sampled} of {total} targets, scaled "
        f"{float(naive_scaled):.1f} s = {float(naive_scaled) / median:.0f}x the SQL path"
    )
    print(
        f"goal assessments <= {GOAL_ASSESS_SECONDS:.0f} s: {verdict(median <= GOAL_ASSESS_SECONDS)}"
    )
    cutoffs, history = tagged(lines, "HISTORY")[-1]
    print(
        f"history of every programme (`lotrinh assess-history`): {cutoffs} quarter ends in "
        f"{float(history):.1f} s = {float(history) / median:.1f}x one assessment of everything today"
    )
    return float(peak)


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(t * 1000 for t in times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def latencies(env: dict[str, str]) -> list[float]:
    """Measure the three pages with bench_dashboards.py's functions; return the workers' MB."""
    # Imported here, and only these names: bench_dashboards.py is being changed by others.
    import bench_dashboards
    import local_server

    server = argparse.Namespace(
        workers=local_server.WORKERS, threads=local_server.THREADS, client="asyncio"
    )
    print(f"gunicorn {server.workers} workers x {server.threads} threads, {server.client} client")
    # (one user, concurrent users, worker MB, and in newer versions more, printed as it comes)
    quiet, busy, rss, *more = bench_dashboards._measure(env, server)
    users = getattr(bench_dashboards, "USERS", 20)
    baseline: dict[str, float] = {}
    worst = 0.0
    for label, results in (("one user at a time", quiet), (f"{users} concurrent users", busy)):
        for page in dict.fromkeys(name for name, _seconds, _status in results):
            times = [seconds for name, seconds, _status in results if name == page]
            errors = sum(1 for name, _s, status in results if name == page and status != 200)
            p50, p95 = _percentiles(times)
            ratio = f"  (p95 / one user {p95 / baseline[page]:.1f}x)" if page in baseline else ""
            if results is quiet:
                baseline[page] = p95
            else:
                worst = max(worst, p95)
            print(
                f"{label:20s} {page:20s} n={len(times):4d} errors={errors:2d} "
                f"p50 {p50:6.0f} ms  p95 {p95:6.0f} ms{ratio}"
            )
    for extra in more:
        print(f"server: {extra}")
    print(f"goal p95 <= {GOAL_P95_MS:.0f} ms under {users} users: {verdict(worst <= GOAL_P95_MS)}")
    return rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help=f"keep the {DATABASE} database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a kept set instead of building (and keep it)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query")
    parser.add_argument("--elements", type=int, default=60, help="data elements on the form")
    options = parser.parse_args()
    url = scratch_database(DATABASE, reuse=options.reuse)
    if not url:
        print("postgresql: no server available, skipped")
        return
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            (Path(data_dir) / "static").mkdir()  # no collectstatic: pages are measured, not assets
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="config.settings.base",
                LOTRINH_DATA_DIR=data_dir,
                LOTRINH_DATABASE_URL=url,
            )
            if not options.reuse:
                build(env, options.elements)
            peak = assessments(env, options.explain)
            rss = latencies(env)
        print("worker memory: " + ", ".join(f"{mb:.0f} MB" for mb in rss))
        print(
            f"goal memory <= {GOAL_MEMORY_MB:.0f} MB (workers, assessment process): "
            f"{verdict(max([peak, *rss]) <= GOAL_MEMORY_MB)}"
        )
    finally:
        # A reused set took minutes to build and other benchmarks read it: only --keep's absence
        # on a set built by this run drops it.
        if not (options.keep or options.reuse):
            drop_database(url)


if __name__ == "__main__":
    main()
