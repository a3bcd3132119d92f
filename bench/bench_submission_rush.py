"""Benchmark: 200 reporters submitting their quarterly report within one minute, against a real server.

Prepares a scratch PostgreSQL database (units, sample regimes, 200 commune reporters with API
tokens), starts gunicorn, then runs 200 simulated reporters spread over 60 seconds; each saves its
figures (PUT, with an Idempotency-Key) and submits (POST). Prints p50/p95/max latency and errors,
next to a baseline measured in the same run: the same two requests made one reporter at a time.
Goal on the 2-core reference machine: no errors, p95 under 500 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load_units import postgres_url  # noqa: E402
from local_server import gunicorn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORTERS = 200
SPREAD_SECONDS = 60.0

PREPARE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from django.utils import timezone
from lotrinh.access.models import Membership, Role
from lotrinh.api.auth import issue_token
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.services import load_units
from lotrinh.indicators.services import load_catalogue
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.regimes import ensure_periods, load_regimes
from lotrinh.reporting.queries import expected_units
load_units(); load_catalogue(); load_regimes()
regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
ensure_periods(regime, timezone.localdate())
period = regime.periods.get(code=period_containing(regime.frequency, timezone.localdate()).code)
units = list(expected_units(regime, period).filter(tier="commune").order_by("code")[:REPORTERS])
out = []
for n, unit in enumerate(units):
    user = User.objects.create_user(f"rush{n}", password="x")
    Membership.objects.create(user=user, org_unit=unit, role=Role.REPORTER)
    out.append({"token": issue_token(user, "rush")[1], "path": f"/api/v1/reports/{regime.code}/{period.code}/{unit.structure}/{unit.code}"})
print(json.dumps(out))
""".replace("REPORTERS", str(REPORTERS))

FIGURES = {
    "tong_ho_so_cong_viec": 300,
    "ho_so_cong_viec_dien_tu": 240,
    "tong_so_tthc": 110,
    "so_dvctt": 90,
    "so_dvctt_toan_trinh": 60,
    "tong_ho_so_tthc": 150,
    "ho_so_tthc_truc_tuyen": 120,
}


def _request(
    url: str, method: str, token: str, key: str, body: dict[str, object] | None
) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url,
        data=data,
        method=method,
        headers={  # noqa: S310 - local server
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _reporter(
    base: str, reporter: dict[str, str], n: int, results: list[tuple[int, float]]
) -> None:
    url = base + reporter["path"]
    figures = {k: v + n % 7 for k, v in FIGURES.items()}
    results.append(
        _request(url + "/values", "PUT", reporter["token"], f"save-{n}", {"values": figures})
    )
    results.append(_request(url + "/submit", "POST", reporter["token"], f"submit-{n}", {}))


def _summary(name: str, results: list[tuple[int, float]]) -> str:
    latencies = sorted(seconds * 1000 for _status, seconds in results)
    errors = sum(1 for status, _s in results if status >= 400 or status == 0)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return (
        f"{name:28s} requests {len(results):4d} | errors {errors:3d} | p50 {statistics.median(latencies):6.0f} ms"
        f" | p95 {p95:6.0f} ms | max {latencies[-1]:6.0f} ms"
    )


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
        prepared = subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "-c", PREPARE],
            env=env,
            cwd=ROOT,
            check=True,  # noqa: S603
            capture_output=True,
            text=True,
        )
        reporters = json.loads(prepared.stdout.strip().splitlines()[-1])
        workers = max(2, (os.cpu_count() or 2) + 1)
        with gunicorn(env, workers=workers, ready_path="/api/v1/openapi.json") as (base, _pid):
            baseline: list[tuple[int, float]] = []
            for n, reporter in enumerate(reporters[:20]):  # one at a time: the quiet-day latency
                _reporter(base, reporter, n, baseline)
            rush: list[tuple[int, float]] = []
            rng = random.Random(7)  # noqa: S311 - arrival times, not secrets
            threads = []
            started = time.perf_counter()
            for n, reporter in enumerate(reporters[20:], start=20):
                delay = rng.uniform(0, SPREAD_SECONDS)
                thread = threading.Timer(delay, _reporter, args=(base, reporter, n, rush))
                threads.append(thread)
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
    print(
        f"gunicorn {workers} workers × 4 threads, PostgreSQL; {len(reporters) - 20} reporters in {elapsed:.0f} s"
    )
    print(_summary("baseline (one at a time)", baseline))
    print(_summary("rush (spread over 60 s)", rush))
    b95 = sorted(s for _st, s in baseline)[int(0.95 * (len(baseline) - 1))]
    r95 = sorted(s for _st, s in rush)[int(0.95 * (len(rush) - 1))]
    print(f"rush p95 / baseline p95 = {r95 / b95:.2f}x")


if __name__ == "__main__":
    main()
