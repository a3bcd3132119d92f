"""Benchmark: assessing every target, and dashboard latency under 20 concurrent users (sample data).

On a scratch PostgreSQL database loaded like `lotrinh demo` (real units, the five programmes,
published figures, ~16,000 illustrative reports), prints:
- the time to assess all 142 targets with the SQL aggregation path, next to a naive baseline that
  sums the same figures in Python loops over ORM objects, with the ratio;
- p50/p95 latency of the programme dashboard, the unit overview and the assessment API, first for
  one user at a time (the baseline), then for 20 concurrent signed-in users, with the ratio;
- the server's CPU time per request (gunicorn workers and PostgreSQL backends), which the noise of
  other jobs on the machine moves much less than latency, and each worker's memory afterwards.

The server is the product's gunicorn with the workers × threads chosen for a 2-core machine
(bench/local_server.py: 2 × 2; --workers/--threads to try others). Each of the 20 users signs in
with its own session, then requests the three pages in turn, back to back with no think time:
one round to warm up (each server thread's first requests open its database connection and fill
the caches; printed, not counted), then ROUNDS measured rounds. The users are asyncio tasks in this
one process, each on its own keep-alive HTTP/1.1 connection (as a browser keeps one), so the client
takes little of the two CPUs it shares with the server and PostgreSQL. `--client threads` uses the
earlier client instead (one Python thread per user, urllib, a new connection per request), which
leaves the server less CPU. A response counts as an error unless it is a 200.

The issue's full goal is measured on a national-scale set (bench/bench_national.py); this run uses
the sample set. `--latency-only` reuses the database a previous run prepared.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_server import THREADS, WORKERS, gunicorn  # noqa: E402
from scratch import scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "lotrinh_bench_dashboards"
USERS = 20
ROUNDS = 10
BASELINE_ROUNDS = 10
WARMUP_ROUNDS = 1  # not measured: each server thread's first requests connect and fill caches

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
    for dv in DataValue.objects.filter(data_element_id__in=elements, report__status="approved").select_related("report__org_unit", "report__period"):
        if dv.report.org_unit.path.startswith(target.programme.org_unit.path) and dv.value is not None:
            totals[(dv.report.period.code, dv.data_element_id)] += float(dv.value)
naive = time.perf_counter() - started
print(f"ASSESS {count} {fast:.2f} {naive:.2f}")
"""

PAGES = {
    "programme dashboard": "/programmes/binh-dinh-05-nq-tu/progress/",
    "unit overview": "/units/2025/52/overview/",
    "assessment API": "/api/v1/programmes/binh-dinh-05-nq-tu/assessments",
}

Result = tuple[str, float, int]  # page name, seconds, HTTP status (0: no answer)


def _session(base: str, username: str) -> urllib.request.OpenerDirector:
    """Sign in through the login form; the opener keeps the session cookie."""
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
    opener.cookie_header = "; ".join(f"{c.name}={c.value}" for c in jar)  # type: ignore[attr-defined]
    return opener


class Connection:
    """One user's keep-alive HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, base: str, cookie: str) -> None:
        address = urllib.parse.urlsplit(base)
        self.host, self.port, self.cookie = address.hostname or "", address.port or 80, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """GET `path`, read the whole body, return the status (retries once on a closed connection)."""
        for attempt in (1, 2):
            try:
                return await self._get(path)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        return 0  # pragma: no cover - the loop returns or raises

    async def _get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: {self.cookie}\r\nAccept: */*\r\n\r\n"
        )
        self.writer.write(request.encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _sep, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _user(
    base: str, cookie: str, rounds: int, out: list[list[Result]], start: asyncio.Event
) -> None:
    """One user: every page in turn, back to back, `rounds` times (results by round)."""
    connection = Connection(base, cookie)
    await connection.get("/")  # open the connection before the clock starts
    await start.wait()
    for round_ in range(rounds):
        for name, path in PAGES.items():
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.get(path), timeout=60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                status = 0
                connection.close()
            out[round_].append((name, time.perf_counter() - started, status))
    connection.close()


async def _users(base: str, cookies: list[str], rounds: int) -> list[list[Result]]:
    out: list[list[Result]] = [[] for _round in range(rounds)]
    start = asyncio.Event()
    tasks = [asyncio.create_task(_user(base, c, rounds, out, start)) for c in cookies]
    await asyncio.sleep(0.5)  # every user connected and waiting
    start.set()
    await asyncio.gather(*tasks)
    return out


def _threaded_users(
    base: str, openers: list[urllib.request.OpenerDirector], rounds: int
) -> list[list[Result]]:
    """The earlier client: one thread per user, urllib, a new connection per request."""
    out: list[list[Result]] = [[] for _round in range(rounds)]

    def user(opener: urllib.request.OpenerDirector) -> None:
        for round_ in range(rounds):
            for name, path in PAGES.items():
                started = time.perf_counter()
                try:
                    status = opener.open(base + path, timeout=60).status  # noqa: S310 - local
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError:
                    status = 0
                out[round_].append((name, time.perf_counter() - started, status))

    threads = [threading.Thread(target=user, args=(opener,)) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def _run(
    client: str, base: str, openers: list[urllib.request.OpenerDirector], rounds: int
) -> tuple[list[Result], list[Result]]:
    """WARMUP_ROUNDS then `rounds` rounds of every user; returns (measured, warm-up) results."""
    if client == "threads":
        by_round = _threaded_users(base, openers, WARMUP_ROUNDS + rounds)
    else:
        cookies = [opener.cookie_header for opener in openers]  # type: ignore[attr-defined]
        by_round = asyncio.run(_users(base, cookies, WARMUP_ROUNDS + rounds))
    measured = [result for results in by_round[WARMUP_ROUNDS:] for result in results]
    return measured, [result for results in by_round[:WARMUP_ROUNDS] for result in results]


def _percentiles(results: list[Result], name: str) -> tuple[int, int, float, float]:
    times = sorted(t * 1000 for n, t, _s in results if n == name)
    errors = sum(1 for n, _t, s in results if n == name and s != 200)
    return len(times), errors, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _report(label: str, results: list[Result], baseline: list[Result] | None = None) -> None:
    for name in PAGES:
        count, errors, p50, p95 = _percentiles(results, name)
        ratio = (
            f"  (p95 ÷ one user {p95 / _percentiles(baseline, name)[3]:.1f}x)" if baseline else ""
        )
        print(
            f"{label:22s} {name:20s} n={count:4d} errors={errors:2d} p50 {p50:6.0f} ms"
            f"  p95 {p95:6.0f} ms{ratio}"
        )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each process (all its threads), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def _server_pids(url: str, gunicorn_pid: int) -> tuple[list[int], list[int]]:
    """The gunicorn workers and the PostgreSQL backends serving this benchmark's database."""
    import psycopg

    workers = subprocess.run(["pgrep", "-P", str(gunicorn_pid)], capture_output=True, text=True)
    with psycopg.connect(url) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(pid) for pid in workers.stdout.split()], [pid for (pid,) in backends]


def _cpu_per_request(url: str, gunicorn_pid: int, before: dict[int, float], requests: int) -> str:
    """Server CPU time per request during the busy phase: a measure the machine's noise hardly moves."""
    workers, backends = _server_pids(url, gunicorn_pid)
    after = _cpu_seconds(workers + backends)

    def spent(pids: list[int]) -> float:
        return sum(after[p] - before.get(p, 0.0) for p in pids if p in after) * 1000 / requests

    return (
        f"CPU per request: gunicorn {spent(workers):.1f} ms + PostgreSQL {spent(backends):.1f} ms"
    )


def _measure(
    env: dict[str, str], args: argparse.Namespace
) -> tuple[list[Result], list[Result], list[float], str, str]:
    """Start gunicorn, measure one user then USERS concurrent users; return latencies, worker RSS,
    the server's CPU time per request and the latency of the concurrent users' warm-up round."""
    url = env["LOTRINH_DATABASE_URL"]
    with gunicorn(env, workers=args.workers, threads=args.threads) as (base, pid):
        openers = [_session(base, "tinh_demo") for _ in range(USERS)]
        quiet, _warmup = _run(args.client, base, openers[:1], BASELINE_ROUNDS)
        before = _cpu_seconds([p for group in _server_pids(url, pid) for p in group])
        busy, warmup = _run(args.client, base, openers, ROUNDS)
        cpu = _cpu_per_request(url, pid, before, len(busy) + len(warmup))
        rss = [_rss_mb(worker) for worker in _server_pids(url, pid)[0]]
    cold = " ".join(f"{name} {_percentiles(warmup, name)[3]:.0f} ms," for name in PAGES)
    return quiet, busy, rss, cpu, f"p95 of the unmeasured warm-up round: {cold.rstrip(',')}"


def _prepare(env: dict[str, str]) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--client", choices=["asyncio", "threads"], default="asyncio")
    parser.add_argument("--latency-only", action="store_true")
    args = parser.parse_args()
    url = scratch_database(DATABASE, reuse=args.latency_only)
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
        if not args.latency_only:
            _prepare(env)
        quiet, busy, rss, cpu, cold = _measure(env, args)
    print(f"gunicorn {args.workers} workers × {args.threads} threads, {args.client} client")
    _report("one user at a time", quiet)
    _report(f"{USERS} concurrent users", busy, quiet)
    # Each user waits for one answer at a time, so (Little's law) throughput = users ÷ mean latency.
    mean = statistics.mean(seconds for _name, seconds, _status in busy)
    print(f"throughput with {USERS} users: {USERS / mean:.0f} requests/s")
    print(cold)
    print(cpu)
    print("worker memory: " + ", ".join(f"{mb:.0f} MB" for mb in rss))


if __name__ == "__main__":
    main()
