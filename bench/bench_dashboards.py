"""Benchmark: assessing every target, and dashboard latency under 20 concurrent users (sample data).

On a scratch PostgreSQL database loaded like `lotrinh demo` (real units, the five programmes,
published figures, ~16,000 illustrative reports), prints:
- the time to assess all 142 targets with the SQL aggregation path, next to a naive baseline that
  sums the same figures in Python loops over ORM objects, with the ratio;
- p50/p95 latency of the programme dashboard, the unit overview and the assessment API under 20
  concurrent signed-in users against gunicorn, next to one user at a time;
- the resident memory of each gunicorn worker afterwards.
The issue's full goal is measured on a national-scale set (≈20 million values); this run uses the
sample set, so its numbers are a lower bound of the work, not the national figure.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load_units import postgres_url  # noqa: E402
from local_server import gunicorn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
USERS = 20
ROUNDS = 10

PREPARE = r"""
import time, django
django.setup()
from django.core.management import call_command
call_command("demo", no_static=True, verbosity=0)
from collections import defaultdict
from lotrinh.assessment.services import assess_all
from lotrinh.indicators.models import Target
from lotrinh.reporting.models import DataValue
started = time.perf_counter(); count = assess_all(); fast = time.perf_counter() - started
# Naive: per target, load every approved figure of its elements as objects and add them up in Python.
started = time.perf_counter()
for target in Target.objects.select_related("indicator", "programme__org_unit"):
    ind = target.indicator
    elements = [e for e in (ind.numerator_id, ind.denominator_id, ind.reported_as_id) if e]
    totals = defaultdict(float)
    for dv in DataValue.objects.filter(data_element_id__in=elements, report__status="approved").select_related("org_unit", "period"):
        if dv.org_unit.path.startswith(target.programme.org_unit.path) and dv.value is not None:
            totals[(dv.period.code, dv.data_element_id)] += float(dv.value)
naive = time.perf_counter() - started
print(f"ASSESS {count} {fast:.2f} {naive:.2f}")
"""


def _session(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()  # noqa: S310 - local server
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode(
        {"username": username, "password": "lotrinh-demo", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/"}
    )  # noqa: S310
    opener.open(request).read()  # noqa: S310 - local server
    return opener


PAGES = {
    "programme dashboard": "/programmes/binh-dinh-05-nq-tu/progress/",
    "unit overview": "/units/2025/52/overview/",
    "assessment API": "/api/v1/programmes/binh-dinh-05-nq-tu/assessments",
}


def _hit(
    opener: urllib.request.OpenerDirector, url: str, out: list[tuple[str, float, int]], name: str
) -> None:
    started = time.perf_counter()
    try:
        status = opener.open(url, timeout=60).status  # noqa: S310 - local server
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    out.append((name, time.perf_counter() - started, status))


def _report(label: str, results: list[tuple[str, float, int]]) -> None:
    for name in PAGES:
        times = sorted(t * 1000 for n, t, _s in results if n == name)
        errors = sum(1 for n, _t, s in results if n == name and s != 200)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{label:22s} {name:20s} n={len(times):4d} errors={errors:2d} p50 {statistics.median(times):6.0f} ms"
            f"  p95 {p95:6.0f} ms"
        )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _measure(
    env: dict[str, str],
) -> tuple[list[tuple[str, float, int]], list[tuple[str, float, int]], list[float]]:
    """Start gunicorn, measure one user then USERS concurrent users, return latencies and worker RSS."""
    with gunicorn(env, workers=3) as (base, pid):
        single = _session(base, "tinh_demo")
        quiet: list[tuple[str, float, int]] = []
        for _round in range(5):
            for name, path in PAGES.items():
                _hit(single, base + path, quiet, name)
        busy: list[tuple[str, float, int]] = []

        def user(opener: urllib.request.OpenerDirector) -> None:
            for _round in range(ROUNDS):
                for name, path in PAGES.items():
                    _hit(opener, base + path, busy, name)

        threads = [
            threading.Thread(target=user, args=(_session(base, "tinh_demo"),)) for _ in range(USERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        workers = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        rss = [_rss_mb(int(worker)) for worker in workers.stdout.split()]
    return quiet, busy, rss


def main() -> None:
    url = postgres_url()
    if not url:
        print("postgresql: no server available, skipped")
        return
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings.base",
            LOTRINH_DATA_DIR=data_dir,
            LOTRINH_DATABASE_URL=url,
        )
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        _tag, count, fast, naive = prepared.stdout.strip().splitlines()[-1].split()
        print(
            f"assess all {count} targets: {float(fast):.2f} s (SQL aggregation) vs {float(naive):.2f} s "
            f"(naive Python loops) = {float(naive) / float(fast):.1f}x"
        )
        quiet, busy, rss = _measure(env)
    _report("one user at a time", quiet)
    _report(f"{USERS} concurrent users", busy)
    print("worker memory: " + ", ".join(f"{mb:.0f} MB" for mb in rss))


if __name__ == "__main__":
    main()
