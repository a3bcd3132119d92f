"""Benchmark: the open data's CKAN API under 50 concurrent clients, the full DCAT catalogue, a
`ckanapi dump`, and how soon an approval shows in `datastore_search`.

On a scratch PostgreSQL database loaded like `lotrinh demo` (the sample set; `--reuse` keeps a
database a previous run loaded), or with `--national` on the national-scale set of
bench/national_set.py (13 million approved figures; `--national --reuse` measures the set
`bench/bench_national.py --keep` left in `lotrinh_nat_bench`, without building another), against
the product's gunicorn (bench/local_server.py), prints, each figure with the machine's load average:
- p50/p95 of `package_search` and `datastore_search`, first for one client at a time (the
  baseline), then for 50 concurrent clients (each a thread with its own keep-alive connection,
  back to back), with the ratio;
- the server's CPU per request of each, in process (the WSGI application called 2,000 times
  after 20 unmeasured calls, one process per case): answered from the kept answers (the
  result) and with LOTRINH_OPEN_DATA_CACHE_ENTRIES=0, made by the view every time (the baseline);
- what one count of the request limit costs in process, in the file-based cache, in the
  process's memory and, when LOTRINH_REDIS_URL is set, in Redis;
- the time of a full `/catalog.ttl`, next to `/data.json` (the same datasets as JSON) as baseline;
- the time of `ckanapi dump datasets --all`, next to fetching `package_list` and every
  `package_show` in this process one after another (the same requests without the command);
- the time from an approval's commit to its figures in `datastore_search` (polled every 50 ms),
  next to the request that first showed it and to one request of unchanged data. The national set
  has no submitted report: the newest approved report of Gia Lai is set back to submitted first
  (a preparation, waited for until its figures left the published data), then approved through
  the service as any approval is.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_server import THREADS, WORKERS, gunicorn  # noqa: E402
from scratch import scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "lotrinh_opendata17_bench"
NATIONAL_KEPT = "lotrinh_nat_bench"  # bench_national.py --keep
NATIONAL_DATABASE = "lotrinh_opendata_nat_bench"  # built here when none is kept
NATIONAL_ELEMENTS = 60  # the form of bench_national.py by default
CLIENTS = 50
REQUESTS_PER_CLIENT = 10
BASELINE_REQUESTS = 30

# The national set's reports are all approved: one is set back to submitted, as a preparation.
UNAPPROVE = r"""
import json, django
django.setup()
from django.utils import timezone
from lotrinh.reporting.models import Report, Status
report = Report.objects.filter(status=Status.APPROVED, org_unit__path__startswith="2025/52/").order_by("-period__cutoff_to", "pk").first()
Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED, decided_at=None, updated_at=timezone.now())
print(json.dumps({"report": report.pk, "day": report.period.cutoff_to.isoformat()}))
"""

APPROVE = r"""
import json, sys, time, django
django.setup()
from django.contrib.auth.models import User
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.services import Actor, approve_report
report = Report.objects.filter(status=Status.SUBMITTED, org_unit__path__startswith="2025/52/").order_by("-period__cutoff_to", "pk").first()
admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-od", "b@example.vn", "x")
approve_report(Actor(admin), report)
print(json.dumps({"at": time.time(), "day": report.period.cutoff_to.isoformat()}))
"""

# The server's CPU per request, in process: the WSGI application as gunicorn calls it.
CPU_PER_REQUEST = r"""
import io, json, sys, time, django
django.setup()
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
path, query = sys.argv[1].split("?", 1)
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
           "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
def call():
    statuses = []
    body = application(dict(environ), lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    assert statuses[0].startswith("200"), statuses
for _ in range(20):
    call()
started = time.process_time()
for _ in range(int(sys.argv[2])):
    call()
print(json.dumps((time.process_time() - started) / int(sys.argv[2])))
"""
CPU_REQUESTS = 2000

# What counting one request against the open data's limit costs in each kind of cache.
LIMIT_COST = r"""
import json, os, sys, tempfile, time, django
django.setup()
from django.test import override_settings
from lotrinh.core.throttle import Limit
kinds = {
    "file-based": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                   "LOCATION": tempfile.mkdtemp(), "OPTIONS": {"MAX_ENTRIES": 10000}},
    "process memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if os.environ.get("LOTRINH_REDIS_URL"):
    kinds["Redis"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ["LOTRINH_REDIS_URL"], "KEY_PREFIX": "bench-limit"}
found = {}
for kind, cache in kinds.items():
    with override_settings(CACHES={"default": cache}):
        limit, count = Limit("bench", 10**9, 60, "default"), int(sys.argv[1])
        limit.record("127.0.0.1")
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            limit.record("127.0.0.1")
        found[kind] = ((time.perf_counter() - wall) / count, (time.process_time() - cpu) / count)
print(json.dumps(found))
"""


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, base: str) -> None:
        address = urllib.parse.urlsplit(base)
        self.host, self.port = address.hostname or "", address.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            return 0, b"", time.perf_counter() - started
        return response.status, body, time.perf_counter() - started


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as `uptime` gives it."""
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def load(base: str, path: str, clients: int, each: int) -> tuple[list[float], int]:
    """`clients` threads each requesting `path` `each` times (after one unmeasured request)."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal errors
        client = Client(base)
        client.get(path)
        for _ in range(each):
            status, _body, seconds = client.get(path)
            with lock:
                times.append(seconds)
                errors += status != 200

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors


def timed(base: str, path: str) -> tuple[float, bytes]:
    status, body, seconds = Client(base).get(path)
    assert status == 200, (path, status)
    return seconds, body


def prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "lotrinh"), "demo", "--no-static"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    print(f"loaded the sample set in {time.perf_counter() - started:.0f} s")


def api_paths(dataset: str) -> dict[str, str]:
    return {
        "package_search": "/api/3/action/package_search?q=ho+so&rows=10",
        "datastore_search": f"/api/3/action/datastore_search?resource_id={dataset}-csv&limit=100",
    }


def cpu_per_request(env: dict[str, str], path: str, kept_answers: bool) -> float:
    """Seconds of CPU per request of `path` in one process, with or without the kept answers."""
    without = {} if kept_answers else {"LOTRINH_OPEN_DATA_CACHE_ENTRIES": "0"}
    return float(child_answer({**env, **without}, CPU_PER_REQUEST, path, str(CPU_REQUESTS)))


def child_answer(env: dict[str, str], script: str, *arguments: str) -> Any:
    """Run `script` in a fresh Python with the product's settings; the JSON of its last line."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_cpu(env: dict[str, str], dataset: str) -> None:
    for name, path in api_paths(dataset).items():
        made = cpu_per_request(env, path, kept_answers=False)
        kept = cpu_per_request(env, path, kept_answers=True)
        print(
            f"{name}: server CPU per request ({CPU_REQUESTS} in process) made by the view "
            f"{made * 1000:.2f} ms, from the kept answers {kept * 1000:.2f} ms "
            f"(ratio {kept / made:.2f}×); {load_average()}"
        )


def measure_limit(env: dict[str, str]) -> None:
    found = child_answer(env, LIMIT_COST, str(CPU_REQUESTS))
    costs = "; ".join(
        f"{kind} {wall * 1e6:.0f} µs ({cpu * 1e6:.0f} µs CPU)"
        for kind, (wall, cpu) in found.items()
    )
    print(f"one count of the request limit ({CPU_REQUESTS} in process): {costs}; {load_average()}")


def measure_api(base: str, dataset: str) -> None:
    for name, path in api_paths(dataset).items():
        single, _errors = load(base, path, 1, BASELINE_REQUESTS)
        many, errors = load(base, path, CLIENTS, REQUESTS_PER_CLIENT)
        (p50, p95), (b50, b95) = percentiles(many), percentiles(single)
        print(
            f"{name}: 1 client p50 {b50 * 1000:.0f} ms p95 {b95 * 1000:.0f} ms; "
            f"{CLIENTS} clients p50 {p50 * 1000:.0f} ms p95 {p95 * 1000:.0f} ms "
            f"(p95 ratio {p95 / b95:.1f}×, goal p95 ≤ 150 ms), {errors} errors; {load_average()}"
        )


def measure_catalogues(base: str, env: dict[str, str]) -> None:
    timed(base, "/data.json")  # both lists built once by the worker before timing
    ttl, body = timed(base, "/catalog.ttl")
    data_json, _ = timed(base, "/data.json")
    print(
        f"/catalog.ttl (first page, {body.count(b'a dcat:Dataset')} datasets): {ttl:.2f} s; "
        f"/data.json (all): {data_json:.2f} s (ratio {ttl / data_json:.1f}×); {load_average()}"
    )
    names = json.loads(timed(base, "/api/3/action/package_list")[1])["result"]
    started = time.perf_counter()
    client = Client(base)
    client.get("/api/3/action/package_list")
    for name in names:
        client.get(f"/api/3/action/package_show?id={name}")
    direct = time.perf_counter() - started
    command = Path(sys.executable).parent / "ckanapi"
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [
                str(command),
                "dump",
                "datasets",
                "--all",
                "-r",
                base,
                "-O",
                f"{folder}/d.jsonl",
                "-q",
            ],
            env={**env, "PATH": f"{command.parent}{os.pathsep}{os.environ['PATH']}"},
            check=True,
        )
        dump = time.perf_counter() - started
    print(
        f"ckanapi dump datasets --all ({len(names)} datasets): {dump:.1f} s; the same requests "
        f"one after another: {direct:.1f} s (ratio {dump / direct:.1f}×); {load_average()}"
    )


def approved(day: str, text: bytes) -> int:
    records = json.loads(text)["result"]["records"]
    return sum(r["units_approved"] or 0 for r in records if r["period_end"] == day)


def poll(
    base: str, path: str, day: str, shown: Callable[[int], bool], since: float
) -> float | None:
    """Request `path` every 50 ms until `shown` holds for the approved units of `day`; the time
    of the request that showed it, or None once 60 s have passed since `since`."""
    while True:
        seconds, body = timed(base, path)
        if shown(approved(day, body)):
            return seconds
        if time.time() - since > 60:
            return None
        time.sleep(0.05)


def unapprove(base: str, env: dict[str, str], path: str) -> None:
    """Set the newest approved report of Gia Lai back to submitted, and wait until its figures
    have left `datastore_search`."""
    _seconds, body = timed(base, path)
    answer = child_answer(env, UNAPPROVE)
    before = approved(answer["day"], body)
    if poll(base, path, answer["day"], lambda units: units < before, time.time()) is None:
        raise SystemExit("a report set back to submitted still shows after 60 s")


def measure_approval(base: str, env: dict[str, str], dataset: str, national: bool) -> None:
    path = f"/api/3/action/datastore_search?resource_id={dataset}-csv&limit=32000"
    if national:
        unapprove(base, env, path)
    one, body = timed(base, path)

    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", APPROVE],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    before = approved(answer["day"], body)
    last = poll(base, path, answer["day"], lambda units: units > before, answer["at"])
    if last is None:
        print("approval → visible: not visible after 60 s")
        return
    latency = time.time() - answer["at"]
    print(
        f"approval → visible in datastore_search: {latency:.2f} s (goal ≤ 5 s); the request "
        f"that first showed it (rebuilding the list and the rows): {last:.2f} s; one "
        f"datastore_search of unchanged data: {one * 1000:.0f} ms; {load_average()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="Reuse a loaded database.")
    parser.add_argument(
        "--national",
        action="store_true",
        help=f"The national-scale set: with --reuse the one kept in {NATIONAL_KEPT}.",
    )
    options = parser.parse_args()
    national = NATIONAL_KEPT if options.reuse else NATIONAL_DATABASE
    name = national if options.national else DATABASE
    url = scratch_database(name, reuse=options.reuse)
    if url is None:
        print("no PostgreSQL server: skipped")
        return
    data_dir = tempfile.mkdtemp(prefix="bench-open-data-")
    env = {
        **os.environ,
        "LOTRINH_DATABASE_URL": url,
        "LOTRINH_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE": "1000000",
    }
    if not options.reuse:
        if options.national:
            import bench_national

            bench_national.build(env, NATIONAL_ELEMENTS)
        else:
            prepare(env)
    print(f"database {name}; {load_average()}")
    dataset = "ho-so-cong-viec-truc-tuyen-gia-lai"
    measure_limit(env)
    measure_cpu(env, dataset)
    with gunicorn(env, workers=WORKERS, threads=THREADS, ready_path="/api/3") as (base, _pid):
        timed(base, "/api/3/action/package_list")
        measure_api(base, dataset)
        measure_catalogues(base, env)
        measure_approval(base, env, dataset, options.national)


if __name__ == "__main__":
    main()
