"""Benchmark: reporters and approvers working at once for minutes; nothing lost, nothing doubled.

Against a real gunicorn (several workers) on PostgreSQL, each simulated reporter owns one commune's
report of the open quarter and loops: save new figures (PUT) three times, submit, then wait until
an approver has sent the report back. Approvers loop: list submitted reports, approve or return one;
list approved reports, reopen one. Every write carries its own Idempotency-Key and is retried with
that key when the client is told it failed (connection error, 5xx, or 409 while the key is held).

Afterwards the database is counted against what clients were told: for each report, its figures
are the last ones acknowledged, and the audit trail and the ledger hold exactly one event per
acknowledged write (each figure changed, submitted, approved, returned, reopened). Prints the error
rate (5xx and connection errors on first attempts) and latency percentiles, next to a baseline of
the same requests made one client at a time in the same run.

    python bench/bench_load_reporters.py                          # 200 + 20 for 5 minutes
    python bench/bench_load_reporters.py --reporters 40 --approvers 5 --seconds 30
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_server import Server  # noqa: E402
from reporting_world import Answer, call, figures, percentile, prepare  # noqa: E402
from scratch import scratch_database  # noqa: E402

RETRY_SECONDS = 60.0
DECISIONS = ("approve", "return")


@dataclass
class Tally:
    """What clients sent and were told, shared by all client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    first_failures: int = 0
    refusals: int = 0  # 4xx other than 409 while a key is held: e.g. two approvers, one report
    requests: int = 0
    unresolved: int = 0  # still failing after RETRY_SECONDS: the client does not know
    # per unit code: acknowledged writes by audit action, and the last figures acknowledged
    acknowledged: dict[str, collections.Counter[str]] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    last_figures: dict[str, dict[str, int]] = field(default_factory=dict)

    def seen(self, kind: str, answer: Answer, first: bool) -> None:
        with self.lock:
            self.requests += 1
            self.latencies[kind].append(answer.seconds)
            if first and (answer.status == 0 or answer.status >= 500):
                self.first_failures += 1
            if 400 <= answer.status < 500 and answer.status != 409:
                self.refusals += 1


def write(
    tally: Tally, base: str, kind: str, method: str, path: str, token: str, body: Any
) -> Answer:
    """One write with a new key, retried with that key while the client is told it failed."""
    key = str(uuid.uuid4())
    answer = call(base, method, path, token, key, body)
    tally.seen(kind, answer, first=True)
    deadline = time.monotonic() + RETRY_SECONDS
    while answer.failed and time.monotonic() < deadline:
        time.sleep(0.5)
        answer = call(base, method, path, token, key, body)
        tally.seen(kind, answer, first=False)
    if answer.failed:
        with tally.lock:
            tally.unresolved += 1
    return answer


def reporter_loop(
    tally: Tally, base: str, who: dict[str, str], n: int, until: float, cycles: int | None = None
) -> None:
    unit, path, token = who["unit"], who["path"], who["token"]
    version, cycle = 0, 0
    while time.monotonic() < until and (cycles is None or cycle < cycles):
        for _ in range(3):
            version += 1
            values = figures(n % 7 + version)
            answer = write(
                tally, base, "save", "PUT", path + "/values", token,
                {"values": values},
            )  # fmt: skip
            if answer.status == 200:  # one audit event per save that changes a figure of the last
                with tally.lock:  # acknowledged ones (a save after refused ones may equal them)
                    last = tally.last_figures.get(unit, {})
                    changed = any(last.get(code) != value for code, value in values.items())
                    tally.acknowledged[unit]["values_changed"] += changed
                    tally.last_figures[unit] = values
        answer = write(tally, base, "submit", "POST", path + "/submit", token, {})
        if answer.status == 200:
            with tally.lock:
                tally.acknowledged[unit]["submitted"] += 1
        cycle += 1
        if cycles is not None and cycle >= cycles:
            return
        while time.monotonic() < until:  # wait for an approver to send it back
            status = call(base, "GET", path, token)
            tally.seen("read", status, first=True)
            if status.status == 200 and status.body["report"]["status"] == "returned":
                break
            time.sleep(1.0)


def approver_loop(
    tally: Tally, base: str, token: str, n: int, until: float, decisions: int | None = None
) -> None:
    rng = random.Random(n)  # noqa: S311 - choices of a simulation, not secrets
    made = 0
    while time.monotonic() < until and (decisions is None or made < decisions):
        wanted = rng.choice(["submitted", "submitted", "approved"])
        listing = call(base, "GET", f"/api/v1/reports?status={wanted}&limit=50", token)
        tally.seen("list", listing, first=True)
        items = listing.body.get("items", []) if listing.status == 200 else []
        if not items:
            time.sleep(0.5)
            continue
        report = rng.choice(items)
        unit = report["unit"]["code"]
        path = (
            f"/api/v1/reports/{report['regime']}/{report['period']}/"
            f"{report['unit']['structure']}/{unit}"
        )
        if wanted == "approved":
            action, body = "reopen", {"reason": "Cần rà soát lại số liệu."}
        else:
            action = rng.choice(DECISIONS)
            body = {"reason": "Số liệu chưa khớp với sổ theo dõi."} if action == "return" else {}
        answer = write(tally, base, action, "POST", f"{path}/{action}", token, body)
        made += 1
        if answer.status == 200:
            audit_action = {"approve": "approved", "return": "returned", "reopen": "reopened"}
            with tally.lock:
                tally.acknowledged[unit][audit_action[action]] += 1


def counted(env: dict[str, str]) -> tuple[dict[str, collections.Counter[str]], dict[str, Any]]:
    """Audit events and ledger entries per unit code, and each report's figures, as stored."""
    import psycopg

    with psycopg.connect(env["LOTRINH_DATABASE_URL"]) as conn:
        events: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for code, action, count in conn.execute(
            "SELECT u.code, a.action, count(*) FROM core_auditevent a"
            " JOIN reporting_report r ON r.id = a.target_id"
            " JOIN orgunits_orgunit u ON u.id = r.org_unit_id"
            " WHERE a.action IN ('values_changed', 'submitted', 'approved', 'returned', 'reopened')"
            " GROUP BY u.code, a.action"
        ):
            events[code]["audit " + action] += count
        for code, action, count in conn.execute(
            "SELECT u.code, e.action, count(*) FROM ledger_entry e"
            " JOIN reporting_report r ON r.id = e.report_id"
            " JOIN orgunits_orgunit u ON u.id = r.org_unit_id GROUP BY u.code, e.action"
        ):
            events[code]["ledger " + action] += count
        stored: dict[str, dict[str, int]] = collections.defaultdict(dict)
        for code, element, value in conn.execute(
            "SELECT u.code, e.code, v.value FROM reporting_datavalue v"
            " JOIN reporting_report r ON r.id = v.report_id"
            " JOIN orgunits_orgunit u ON u.id = r.org_unit_id"
            " JOIN indicators_dataelement e ON e.id = v.data_element_id"
        ):
            stored[code][element] = int(value)
    return events, stored


@dataclass(frozen=True)
class Outcome:
    lost: int  # acknowledged writes not stored, or last acknowledged figures not the stored ones
    duplicated: int  # stored events beyond the acknowledged writes
    unresolved: int
    errors: int  # first attempts answered 5xx or cut off
    acknowledged: collections.Counter[str]  # acknowledged writes by audit action, all reports
    lines: list[str]


def compare(
    tally: Tally, env: dict[str, str]
) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """Writes acknowledged but not stored, and stored beyond those acknowledged, by kind."""
    events, stored = counted(env)
    lost: collections.Counter[str] = collections.Counter()
    duplicated: collections.Counter[str] = collections.Counter()
    ledgered = {"submitted", "approved", "returned", "reopened"}
    for unit, told in tally.acknowledged.items():
        for action, count in told.items():
            for where in ("audit", "ledger") if action in ledgered else ("audit",):
                found = events[unit][f"{where} {action}"]
                lost[f"{where} {action}"] += max(0, count - found)
                if found != count:
                    print(f"{unit}: {where} {action}: told {count}, stored {found}", flush=True)
                duplicated[f"{where} {action}"] += max(0, found - count)
        if tally.last_figures.get(unit) and stored.get(unit) != tally.last_figures[unit]:
            lost["last figures"] += 1
    return +lost, +duplicated


def summary(name: str, tally: Tally) -> str:
    every = [s for values in tally.latencies.values() for s in values]
    writes = [s for kind, values in tally.latencies.items() if kind not in {"read", "list"}
              for s in values]  # fmt: skip
    rate = 100 * tally.first_failures / max(1, tally.requests)
    return (
        f"{name:34s} requests {tally.requests:6d} | errors {tally.first_failures:4d} ({rate:.2f} %)"
        f" | refusals {tally.refusals:4d} | p50 {1000 * percentile(every, 0.5):6.0f} ms"
        f" | p95 {1000 * percentile(every, 0.95):6.0f} ms"
        f" | writes p95 {1000 * percentile(writes, 0.95):6.0f} ms"
        f" | max {1000 * max(every, default=0):6.0f} ms"
    )


def run(
    env: dict[str, str],
    *,
    reporters: int,
    approvers: int,
    seconds: float,
    workers: int = 3,
    world: dict[str, Any] | None = None,
) -> Outcome:
    """Run the load against the database of `env`: filled here by `prepare`, or already filled
    (`world`: what `prepare` returned for at least as many reporters and approvers)."""
    if world is None:
        world = prepare(env, reporters=reporters, approvers=approvers)
    people = world["reporters"][:reporters]
    checkers = [a["token"] for a in world["approvers"][:approvers]]
    assert (len(people), len(checkers)) == (reporters, approvers), "the world has too few people"
    server = Server(env, workers=workers, threads=4)
    base = server.start()
    try:
        # Baseline: the same kinds of request, one client at a time (five reporters' cycles).
        baseline = Tally()
        for n, who in enumerate(people[:5]):
            reporter_loop(baseline, base, who, n, time.monotonic() + 60, cycles=1)
            approver_loop(baseline, base, checkers[0], 1000 + n, time.monotonic() + 60, 1)
        load = Tally()
        load.acknowledged, load.last_figures = baseline.acknowledged, baseline.last_figures
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=reporter_loop, args=(load, base, who, n, until))
            for n, who in enumerate(people)
        ] + [
            threading.Thread(target=approver_loop, args=(load, base, token, n, until))
            for n, token in enumerate(checkers)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    lost_by_kind, duplicated_by_kind = compare(load, env)
    lost, duplicated = lost_by_kind.total(), duplicated_by_kind.total()
    decided = sum(sum(c.values()) for c in load.acknowledged.values())
    load_avg = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"gunicorn {workers} workers × 4 threads, PostgreSQL; {reporters} reporters and "
        f"{approvers} approvers for {elapsed:.0f} s; load average {load_avg} at the end",
        summary("baseline (one client at a time)", baseline),
        summary("load", load),
        f"acknowledged writes (figures count 1 each) {decided}; lost {lost}; duplicated "
        f"{duplicated}; unresolved after {RETRY_SECONDS:.0f} s of retries {load.unresolved}"
        + (
            f" (lost {dict(lost_by_kind)}, duplicated {dict(duplicated_by_kind)})"
            if lost or duplicated
            else ""
        ),
        f"load p95 / baseline p95 = "
        f"{percentile(sum(load.latencies.values(), []), 0.95) / max(1e-9, percentile(sum(baseline.latencies.values(), []), 0.95)):.2f}x",
    ]
    every: collections.Counter[str] = collections.Counter()
    for told in load.acknowledged.values():
        every.update(told)
    return Outcome(lost, duplicated, load.unresolved, load.first_failures, every, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--approvers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    url = scratch_database("lotrinh_load_reporters")
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
        outcome = run(
            env,
            reporters=args.reporters,
            approvers=args.approvers,
            seconds=args.seconds,
            workers=max(2, (os.cpu_count() or 2) + 1),
        )
    print("\n".join(outcome.lines))


if __name__ == "__main__":
    main()
