"""Two app servers behind one address behave as one when they share PostgreSQL and Redis.

Each server runs with its own data directory (as on two machines), so only the database and
LOTRINH_REDIS_URL join them: a session opened on one is valid on the other, an approval on one is
seen on the other, and a role removed on one is refused on the other at once.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from local_server import gunicorn  # noqa: E402

from tests.servers.support import (  # noqa: E402
    LOTRINH,
    ROOT,
    new_database,
    postgres_server,
    server_env,
)

REDIS_URL = os.environ.get("LOTRINH_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
PASSWORD = "lotrinh-demo"  # the demo logins' password


def _redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        pytest.skip(f"Needs Redis at {REDIS_URL} (set LOTRINH_TEST_REDIS_URL).")


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return server_env(database_url, data_dir) | {"LOTRINH_REDIS_URL": REDIS_URL}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    postgres_server()
    _redis()
    with new_database("lotrinh_two_servers") as url:
        env = _env(url, tmp_path_factory.mktemp("loader"))
        subprocess.run(
            [LOTRINH, "demo", "--no-static"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        yield url


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    with ExitStack() as running:
        yield [
            running.enter_context(
                gunicorn(
                    _env(database_url, tmp_path_factory.mktemp(f"server-{name}")),
                    workers=1,
                    threads=1,
                    quiet=True,
                )
            )[0]
            for name in ("a", "b")
        ]


class Browser:
    """One person's cookies (the same on both servers, as behind one address)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(fields | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, server: str, username: str) -> None:
        self.get(server + "/accounts/login/")
        self.post(server + "/accounts/login/", {"username": username, "password": PASSWORD})


def _submitted_reports(database_url: str, count: int) -> list[tuple[str, str]]:
    """Report addresses (regime/period/structure/unit) of submitted reports in Gia Lai, and ids."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            """
            SELECT g.code || '/' || p.code || '/' || u.structure || '/' || u.code, r.id::text
            FROM reporting_report r
            JOIN reporting_reportingregime g ON g.id = r.regime_id
            JOIN reporting_period p ON p.id = r.period_id
            JOIN orgunits_orgunit u ON u.id = r.org_unit_id
            WHERE r.status = 'submitted' AND u.path LIKE '2025/52/%%'
            ORDER BY r.id LIMIT %s
            """,
            [count],
        ).fetchall()
    assert len(rows) == count
    return [(address, report_id) for address, report_id in rows]


def _report_status(database_url: str, report_id: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT status FROM reporting_report WHERE id = %s", [report_id]
        ).fetchone()
    assert row is not None
    return str(row[0])


def _approver_membership(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """
            SELECT m.id::text FROM access_membership m JOIN auth_user u ON u.id = m.user_id
            WHERE u.username = 'tinh_demo' AND m.role = 'approver'
            """
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_an_approval_and_a_removed_role_on_one_server_hold_on_the_other(servers, database_url):
    a, b = servers
    approver = Browser()
    approver.log_in(a, "tinh_demo")
    status, page = approver.get(b + "/reports/approvals/")  # the session opened on A
    assert status == 200 and "tinh_demo" in page

    (first, first_id), (second, _second_id) = _submitted_reports(database_url, 2)
    _status, before = approver.get(f"{b}/en/reports/{first}/")
    assert "Submitted" in before
    status, _page = approver.post(f"{a}/reports/{first}/decide/", {"action": "approve"})
    assert status == 200 and _report_status(database_url, first_id) == "approved"
    _status, after = approver.get(f"{b}/en/reports/{first}/")
    assert re.search(r"\bApproved\b", after)

    administrator = Browser()
    administrator.log_in(a, "admin")
    membership = _approver_membership(database_url)
    status, _page = administrator.post(
        f"{a}/admin/access/membership/{membership}/delete/", {"post": "yes"}
    )
    assert status == 200
    status, _page = approver.post(f"{b}/reports/{second}/decide/", {"action": "approve"})
    assert status == 403
