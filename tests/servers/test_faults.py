"""kill -9 in the middle of a write: afterwards nothing is half-written, and a retry is done once.

A real gunicorn (or the `lotrinh import-values` command) writes to a new PostgreSQL database. The
test locks the ledger's log table, which every write takes last, after the report, its
figures and its audit events; so the writer is caught with all of those written but not committed,
the test checks in `pg_locks` that it has written them, and kills the whole server (or command)
with SIGKILL. PostgreSQL then rolls the transaction back when the dead client's connection closes.
Afterwards: the report, its figures, its version, audit events and ledger entries are exactly as
before, `lotrinh ledger verify` and `lotrinh check-data` pass, and the approval retried with the
same Idempotency-Key, or the import command run again, is done exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from local_server import Server  # noqa: E402
from reporting_world import Answer, call, figures, import_csv, prepare  # noqa: E402

from tests.servers.support import (  # noqa: E402
    LOTRINH,
    ROOT,
    assert_consistent,
    new_database,
    query,
    retry_until_done,
    server_env,
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with new_database("lotrinh_faults") as url:
        yield server_env(url, tmp_path_factory.mktemp("faults"))


@pytest.fixture(scope="module")
def world(env: dict[str, str]) -> dict[str, Any]:
    return prepare(env, reporters=2, approvers=1)


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[Server]:
    running = Server(env, workers=2, threads=2)
    try:
        yield running
    finally:
        running.stop()


def _everything(env: dict[str, str]) -> dict[str, Any]:
    """Every report (status, version), figure, audit event and ledger entry, to compare."""
    return {
        "reports": query(env, "SELECT id, status, version FROM reporting_report ORDER BY id"),
        "figures": query(
            env,
            "SELECT report_id, data_element_id, value, version FROM reporting_datavalue"
            " ORDER BY report_id, data_element_id",
        ),
        "audit": query(env, "SELECT id FROM core_auditevent ORDER BY id"),
        "ledger": query(env, "SELECT index, report_id, action FROM ledger_entry ORDER BY index"),
    }


@contextmanager
def ledger_held(env: dict[str, str]) -> Iterator[None]:
    """Hold the ledger's log (every write appends to it last) until the block ends."""
    import psycopg

    with psycopg.connect(env["LOTRINH_DATABASE_URL"]) as conn:
        conn.execute("LOCK TABLE ledger_log IN EXCLUSIVE MODE")
        yield
        conn.rollback()


def _blocked_writer(
    env: dict[str, str], timeout: float = 60, writer: subprocess.Popen[bytes] | None = None
) -> tuple[int, set[str]]:
    """The backend waiting for the ledger, and the tables it has written in its transaction."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if writer is not None and writer.poll() is not None:
            pytest.fail(f"The writer ended (exit {writer.returncode}) before reaching the ledger.")
        waiting = query(
            env,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        )
        if waiting:
            pid = int(waiting[0][0])
            written = query(
                env,
                "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r'",
                [pid],
            )
            return pid, {str(row[0]) for row in written}
        time.sleep(0.05)
    pytest.fail("No write reached the ledger in time.")


def _wait_until_gone(env: dict[str, str], pid: int) -> None:
    for _ in range(200):
        if not query(env, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]):
            return
        time.sleep(0.05)
    pytest.fail(f"PostgreSQL backend {pid} of the killed writer did not end.")


def test_kill_9_in_the_middle_of_an_approval_leaves_nothing_half_written(
    env: dict[str, str], world: dict[str, Any], server: Server
) -> None:
    reporter, approver = world["reporters"][0], world["approvers"][0]["token"]
    path = reporter["path"]
    base = server.start()
    saved = call(base, "PUT", path + "/values", reporter["token"], "save", {"values": figures(0)})
    assert saved.status == 200, saved.body
    assert call(base, "POST", path + "/submit", reporter["token"], "submit", {}).status == 200
    before = _everything(env)

    answers: list[Answer] = []

    def approve() -> None:
        answers.append(call(base, "POST", path + "/approve", approver, "approve-1", {}))

    with ledger_held(env):
        client = threading.Thread(target=approve)
        client.start()
        writer, written = _blocked_writer(env)
        assert {"reporting_report", "core_auditevent"} <= written  # caught in the middle
        server.kill()
        client.join(timeout=30)
    _wait_until_gone(env, writer)

    assert [answer.status for answer in answers] == [0]  # the client was told nothing came back
    assert _everything(env) == before
    assert_consistent(env)

    base = server.start()
    done = retry_until_done(
        lambda: call(base, "POST", path + "/approve", approver, "approve-1", {})
    )
    assert done.status == 200 and done.body["report"]["status"] == "approved", done
    again = call(base, "POST", path + "/approve", approver, "approve-1", {})
    assert again.status == 200 and again.replayed and again.body == done.body
    after = _everything(env)
    report_id, status, version = next(r for r in before["reports"] if r[1] == "submitted")
    assert (report_id, "approved", version + 1) in after["reports"]
    assert after["figures"] == before["figures"]
    assert len(after["audit"]) == len(before["audit"]) + 1
    assert after["ledger"][len(before["ledger"]) :] == [
        (len(before["ledger"]), report_id, "approved")
    ]
    assert_consistent(env)


def test_kill_9_in_the_middle_of_an_import_leaves_nothing_half_written(
    env: dict[str, str], world: dict[str, Any], tmp_path: Path
) -> None:
    communes = world["communes"][len(world["reporters"]) :]  # not touched by the other test
    upload = tmp_path / "import.csv"
    upload.write_bytes(import_csv(world, communes))
    command = [
        LOTRINH,
        "import-values",
        str(upload),
        "--regime",
        world["regime"],
        "--period",
        world["period"],
        "--user",
        "importer",
        "--apply",
    ]
    before = _everything(env)
    with ledger_held(env), (tmp_path / "output.txt").open("wb") as output:
        importing = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=output,  # a file: its dry-run listing would fill a pipe nobody reads
            stderr=subprocess.STDOUT,
        )
        writer, written = _blocked_writer(env, timeout=300, writer=importing)
        assert {"reporting_report", "reporting_datavalue", "core_auditevent"} <= written
        os.killpg(importing.pid, signal.SIGKILL)
        importing.wait(timeout=30)
    _wait_until_gone(env, writer)

    assert importing.returncode == -signal.SIGKILL  # the operator sees the command did not finish
    assert _everything(env) == before
    assert_consistent(env)

    for run in ("retry", "again"):
        done = subprocess.run(  # noqa: S603 - our own command line
            command, env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        if run == "retry":
            assert (
                f"Applied: {7 * len(communes)} figures in {len(communes)} reports." in done.stdout
            )
    after = _everything(env)
    new_reports = len(after["reports"]) - len(before["reports"])
    assert new_reports == len(communes)
    assert len(after["figures"]) - len(before["figures"]) == 7 * len(communes)
    # One ledger entry per imported report, once: the second run found nothing to change.
    new_entries = after["ledger"][len(before["ledger"]) :]
    assert len(new_entries) == len(communes)
    assert len({report_id for _index, report_id, _action in new_entries}) == len(communes)
    assert_consistent(env)
