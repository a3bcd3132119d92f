"""PostgreSQL restarted (as after a crash) in the middle of a submission rush loses nothing.

A private PostgreSQL cluster (never the shared server), loaded with the session's reporting world
(a pg_dump of its template), serves a real gunicorn; 40 commune reporters save their figures and
submit, each request with its own Idempotency-Key, arriving over a few seconds; meanwhile the
cluster is stopped in `immediate` mode (no checkpoint, every connection cut, crash recovery on
start) and started again. Each client retries what it was told failed (connection error, 5xx, or
409 while its key is still held), with the same key. Afterwards every report is submitted exactly
once with the figures its client sent, nothing is doubled, and the ledger and data checks pass.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.support import (
    World,
    assert_consistent,
    postgres_server,
    query,
    restore,
    retry_until_done,
    server_env,
    with_database,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from local_server import Server  # noqa: E402
from private_postgres import PrivatePostgres  # noqa: E402
from reporting_world import Answer, call, figures  # noqa: E402

REPORTERS = 40
SPREAD_SECONDS = 12.0
RESTART_AFTER = 4.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivatePostgres]:
    postgres_server()  # runs in the PostgreSQL pass only: it is as slow as a few tests there
    try:
        private = PrivatePostgres()
    except FileNotFoundError as missing:
        pytest.skip(f"Needs a private PostgreSQL cluster: {missing}.")
    try:
        private.start()
        yield private
    finally:
        private.stop()


def test_a_database_restart_during_a_submission_rush_loses_and_doubles_nothing(
    cluster: PrivatePostgres, world_template: World, tmp_path: Path
) -> None:
    import psycopg

    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE lotrinh")
    env = server_env(with_database(cluster.url, "lotrinh"), tmp_path / "data")
    world_template.dump(tmp_path / "world.dump")  # the session's world, in the private cluster
    restore(tmp_path / "world.dump", env["LOTRINH_DATABASE_URL"])
    world = world_template.people | {"reporters": world_template.people["reporters"][:REPORTERS]}
    server = Server(env, workers=3, threads=4)
    base = server.start()
    first: dict[tuple[int, str], Answer] = {}  # what each request was told the first time
    final: dict[tuple[int, str], Answer] = {}  # and after retrying with the same key

    def write(n: int, step: str, method: str, path: str, token: str, body: Any) -> Answer:
        key = f"{step}-{n}"
        first[n, step] = call(base, method, path, token, key, body)
        if not first[n, step].failed:
            final[n, step] = first[n, step]
        else:
            final[n, step] = retry_until_done(lambda: call(base, method, path, token, key, body))
        return final[n, step]

    def reporter(n: int, who: dict[str, str]) -> None:
        saved = write(
            n, "save", "PUT", who["path"] + "/values", who["token"], {"values": figures(n)}
        )
        if saved.status == 200:
            write(n, "submit", "POST", who["path"] + "/submit", who["token"], {})

    rng = random.Random(13)  # noqa: S311 - arrival times, not secrets
    clients = [
        threading.Timer(rng.uniform(0, SPREAD_SECONDS), reporter, args=(n, who))
        for n, who in enumerate(world["reporters"])
    ]
    try:
        for client in clients:
            client.start()
        time.sleep(RESTART_AFTER)
        acknowledged_before = [k for k, answer in list(first.items()) if answer.status == 200]
        cluster.restart("immediate")
        for client in clients:
            client.join(timeout=180)
    finally:
        server.stop()

    told_failed = {k: a.status for k, a in first.items() if a.failed}
    assert told_failed, "the restart hit no request: the test proved nothing"
    assert acknowledged_before, "no request was acknowledged before the restart"
    assert {a.status for a in first.values()} <= {0, 200, 409, 500, 502, 503}
    assert len(final) == 2 * REPORTERS
    assert {k: a.status for k, a in final.items() if a.status != 200} == {}

    reports = {
        code: (report_id, status)
        for report_id, code, status in query(
            env,
            "SELECT r.id, u.code, r.status FROM reporting_report r"
            " JOIN orgunits_orgunit u ON u.id = r.org_unit_id",
        )
    }
    for n, who in enumerate(world["reporters"]):
        report_id, status = reports[who["unit"]]
        assert status == "submitted"
        stored = dict(
            query(
                env,
                "SELECT e.code, v.value FROM reporting_datavalue v"
                " JOIN indicators_dataelement e ON e.id = v.data_element_id"
                " WHERE v.report_id = %s",
                [report_id],
            )
        )
        assert {code: int(value) for code, value in stored.items()} == figures(n)
        audit = dict(
            query(
                env,
                "SELECT action, count(*) FROM core_auditevent WHERE target_id = %s"
                " AND action IN ('submitted', 'values_changed') GROUP BY action",
                [report_id],
            )
        )
        assert audit == {"submitted": 1, "values_changed": 1}  # one event per save, per report
        ledger = query(env, "SELECT action FROM ledger_entry WHERE report_id = %s", [report_id])
        assert [action for (action,) in ledger].count("submitted") == 1
    assert len(reports) == REPORTERS

    server = Server(env, workers=1, threads=2)
    base = server.start()
    try:  # each key, sent again, is answered from memory and does nothing more
        for n, who in enumerate(world["reporters"]):
            again = call(base, "POST", who["path"] + "/submit", who["token"], f"submit-{n}", {})
            assert again.status == 200 and again.replayed
    finally:
        server.stop()
    assert_consistent(env)
