"""kill -9 in the middle of a write: afterwards nothing is half-written, and a retry is done once.

Each test gets its own copy of the session's reporting world. A real gunicorn (or the `lotrinh
import-values` command) writes to it; the test holds, from a connection of its own, the table the
writer takes last: the ledger's log, which an approval and an import (by the command or by the
import page) append to after the report, its figures and its audit events; or, for a draft's
figures saved through the API (not ledgered), the audit trail, written after the report and its
figures. So the writer is caught with those written but not committed, the test checks in
`pg_locks` that it has written them, and kills the whole server (or command) with SIGKILL.
PostgreSQL then rolls the transaction back when the dead client's connection closes. Afterwards:
the reports, figures, versions, audit events and ledger entries are exactly as before, the
client was told nothing (or the command did not finish), `lotrinh ledger verify` and `lotrinh
check-data` pass, and the write retried (through the API with the same Idempotency-Key, on the
import page by confirming the same dry run, or by running the command again) is done exactly
once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from local_server import Server  # noqa: E402
from reporting_world import (  # noqa: E402
    IMPORTER_PASSWORD,
    Answer,
    call,
    figures,
    import_csv,
)

from tests.servers.support import (  # noqa: E402
    LOTRINH,
    ROOT,
    World,
    assert_consistent,
    query,
    retry_until_done,
    server_env,
)


@pytest.fixture
def env(world_template: World, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A copy of the session's reporting world for this test alone."""
    with world_template.copy("lotrinh_faults") as url:
        yield server_env(url, tmp_path / "data")


@pytest.fixture
def world(world_template: World) -> dict[str, Any]:
    return world_template.people


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[Server]:
    # A worker killed in the middle of an import keeps its user's import slot taken until the slot
    # expires (importing.views.HEAVY_HOLD_SECONDS, 5 minutes), and until then the user is told
    # to wait (429); a second slot lets the test's retry run at once.
    running = Server(env | {"LOTRINH_HEAVY_REQUESTS_PER_USER": "2"}, workers=2, threads=2)
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
def held(env: dict[str, str], table: str) -> Iterator[None]:
    """Hold `table` until the block ends: it can be read, but every write to it waits."""
    import psycopg

    with psycopg.connect(env["LOTRINH_DATABASE_URL"]) as conn:
        conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        yield
        conn.rollback()


LEDGER = "ledger_log"  # the ledger's log, which every ledgered write appends to last


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


@dataclass
class Writer:
    """A write under way and how to kill it with SIGKILL; `process`, when the writer is a command,
    is watched so that its ending early fails the test instead of waiting."""

    kill: Callable[[], None]
    process: subprocess.Popen[bytes] | None = None


def through(server: Server, send: Callable[[], None]) -> Callable[[], Writer]:
    """A write that `send` asks of the server from a client thread; killing it kills the server
    (every worker) and waits for the client to be cut off."""

    def start() -> Writer:
        client = threading.Thread(target=send)
        client.start()

        def kill() -> None:
            server.kill()
            client.join(timeout=30)

        return Writer(kill)

    return start


def killed_mid_write(
    env: dict[str, str],
    start: Callable[[], Writer],
    *,
    holding: str,
    written: set[str],
    timeout: float = 60,
) -> tuple[dict[str, Any], Writer]:
    """Start a write while `holding` is held, wait until it has written the `written` tables and
    waits for `holding`, kill it, and check that nothing of it remains once PostgreSQL has rolled
    its transaction back: everything as before, and consistent. Returns everything as it was
    before, and the killed writer."""
    before = _everything(env)
    with held(env, holding):
        writer = start()
        pid, tables = _blocked_writer(env, timeout, writer.process)
        assert written <= tables, tables  # caught in the middle
        writer.kill()
    _wait_until_gone(env, pid)
    assert _everything(env) == before
    assert_consistent(env)
    return before, writer


def test_kill_9_in_the_middle_of_an_approval_leaves_nothing_half_written(
    env: dict[str, str], world: dict[str, Any], server: Server
) -> None:
    reporter, approver = world["reporters"][0], world["approvers"][0]["token"]
    path = reporter["path"]
    base = server.start()
    saved = call(base, "PUT", path + "/values", reporter["token"], "save", {"values": figures(0)})
    assert saved.status == 200, saved.body
    assert call(base, "POST", path + "/submit", reporter["token"], "submit", {}).status == 200

    answers: list[Answer] = []

    def approve() -> None:
        answers.append(call(base, "POST", path + "/approve", approver, "approve-1", {}))

    before, _writer = killed_mid_write(
        env,
        through(server, approve),
        holding=LEDGER,
        written={"reporting_report", "core_auditevent"},
    )
    assert [answer.status for answer in answers] == [0]  # the client was told nothing came back

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
    communes = world["communes"][len(world["reporters"]) :]  # no report yet
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
    with (tmp_path / "output.txt").open("wb") as output:

        def start() -> Writer:
            importing = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                env=env,
                cwd=ROOT,
                start_new_session=True,
                stdout=output,  # a file: its dry-run listing would fill a pipe nobody reads
                stderr=subprocess.STDOUT,
            )

            def kill() -> None:
                os.killpg(importing.pid, signal.SIGKILL)
                importing.wait(timeout=30)

            return Writer(kill, importing)

        before, writer = killed_mid_write(
            env,
            start,
            holding=LEDGER,
            written={"reporting_report", "reporting_datavalue", "core_auditevent"},
            timeout=300,
        )
    assert writer.process is not None
    # The operator sees the command did not finish.
    assert writer.process.returncode == -signal.SIGKILL

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


WEB_IMPORTED = 20  # communes in the file uploaded through the import page


class Officer:
    """The superuser `importer` signed in on the site, as a browser is: its cookies, and the
    CSRF token with every form it posts."""

    def __init__(self, base: str) -> None:
        self.session = requests.Session()
        self.session.get(base + "/accounts/login/", timeout=60)
        signed_in = self.post(
            base + "/accounts/login/", {"username": "importer", "password": IMPORTER_PASSWORD}
        )
        assert signed_in.status_code == 200 and "sessionid" in self.session.cookies

    def post(
        self, url: str, fields: dict[str, str], files: dict[str, Any] | None = None
    ) -> requests.Response:
        token = self.session.cookies["csrftoken"]
        return self.session.post(
            url,
            data=fields | {"csrfmiddlewaretoken": token},
            files=files,
            headers={"Referer": url},
            timeout=300,
        )


def test_kill_9_in_the_middle_of_a_web_import_leaves_nothing_half_written(
    env: dict[str, str], world: dict[str, Any], server: Server
) -> None:
    """The import page's confirm step (a file uploaded, its dry run shown, "Apply" pressed), by
    a signed-in officer: caught with the reports, figures and audit events written and the ledger
    waiting. Confirming again after the restart applies the file once; a third time is refused."""
    communes = world["communes"][len(world["reporters"]) :][:WEB_IMPORTED]
    base = server.start()
    officer = Officer(base)
    dry_run = officer.post(
        base + "/en/import/upload/",
        {"regime": world["regime"], "period": world["period"]},
        files={"file": ("import.csv", import_csv(world, communes), "text/csv")},
    )
    assert dry_run.status_code == 200, dry_run.text
    confirm = dict(re.findall(r'name="(token|fingerprint)" value="([^"]+)"', dry_run.text))
    assert set(confirm) == {"token", "fingerprint"}, dry_run.text  # the confirm step's form

    told: list[int] = []

    def apply() -> None:
        try:
            told.append(officer.post(base + "/en/import/apply/", confirm).status_code)
        except requests.ConnectionError:  # cut off: the officer's browser shows no answer
            told.append(0)

    before, _writer = killed_mid_write(
        env,
        through(server, apply),
        holding=LEDGER,
        written={"reporting_report", "reporting_datavalue", "core_auditevent"},
    )
    assert told == [0]  # not told the import was applied

    base = server.start()  # the same session: the officer confirms the same dry run again
    done = officer.post(base + "/en/import/apply/", confirm)
    assert done.status_code == 200, done.text
    assert f"{7 * len(communes)} figures of {len(communes)} reports were saved" in done.text
    again = officer.post(base + "/en/import/apply/", confirm)
    assert again.status_code == 404 and "This upload has expired" in again.text  # used once
    after = _everything(env)
    assert len(after["reports"]) - len(before["reports"]) == len(communes)
    assert len(after["figures"]) - len(before["figures"]) == 7 * len(communes)
    assert len(after["audit"]) - len(before["audit"]) == len(communes)  # one event per report
    new_entries = after["ledger"][len(before["ledger"]) :]
    assert sorted(action for _index, _report, action in new_entries) == ["imported"] * len(communes)
    assert len({report_id for _index, report_id, _action in new_entries}) == len(communes)
    assert_consistent(env)


def test_kill_9_in_the_middle_of_an_api_save_leaves_nothing_half_written(
    env: dict[str, str], world: dict[str, Any], server: Server
) -> None:
    """The API's write of a report's figures (PUT …/values), on a report it creates: caught with
    the report and its figures written and its audit event waiting (a draft's save is not
    ledgered, so the audit trail is what it writes last)."""
    reporter = world["reporters"][1]
    values = reporter["path"] + "/values"
    base = server.start()

    answers: list[Answer] = []

    def save() -> None:
        answers.append(
            call(base, "PUT", values, reporter["token"], "values-1", {"values": figures(1)})
        )

    before, _writer = killed_mid_write(
        env,
        through(server, save),
        holding="core_auditevent",
        written={"reporting_report", "reporting_datavalue"},
    )
    assert [answer.status for answer in answers] == [0]  # the client was told nothing came back

    base = server.start()
    done = retry_until_done(
        lambda: call(base, "PUT", values, reporter["token"], "values-1", {"values": figures(1)})
    )
    assert done.status == 200 and done.body["report"]["status"] == "draft", done
    assert sorted(done.body["changed"]) == sorted(figures(1)), done.body
    again = call(base, "PUT", values, reporter["token"], "values-1", {"values": figures(1)})
    assert again.status == 200 and again.replayed and again.body == done.body
    after = _everything(env)
    [(report_id, status, _version)] = [r for r in after["reports"] if r not in before["reports"]]
    assert status == "draft"
    figures_now = [f for f in after["figures"] if f not in before["figures"]]
    assert len(figures_now) == 7 and {f[0] for f in figures_now} == {report_id}
    assert len(after["audit"]) == len(before["audit"]) + 1  # one values_changed event
    assert after["ledger"] == before["ledger"]  # a draft is not ledgered
    assert_consistent(env)
