"""Helpers for tests that run the product as separate processes against their own database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from reporting_world import Answer, prepare  # noqa: E402

LOTRINH = str(Path(sys.executable).with_name("lotrinh"))


def postgres_server() -> str:
    url = os.environ.get("LOTRINH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "Needs PostgreSQL: runs in the PostgreSQL pass of `make test` (LOTRINH_DATABASE_URL)."
        )
    return url


def with_database(url: str, name: str) -> str:
    """`url` with its database name replaced by `name`."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


@contextmanager
def new_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """The URL of a new database on the PostgreSQL pass's server (empty, or a copy of the
    database `template`), dropped afterwards."""
    server = postgres_server()
    name = f"{prefix}_{secrets.token_hex(4)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield with_database(server, name)
    finally:
        with _admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class World:
    """A database filled by `reporting_world.prepare`, kept as a template to copy for each test:
    migrating and loading Vietnam's units, the catalogue and the regimes takes minutes, a copy
    (CREATE DATABASE … TEMPLATE) seconds. `people` is what `prepare` returned (regime, period,
    communes, and the tokens and report paths of the reporters and approvers it created)."""

    name: str
    people: dict[str, Any]

    @contextmanager
    def copy(self, prefix: str) -> Iterator[str]:
        """The URL of a fresh copy of the world, dropped afterwards."""
        with new_database(prefix, template=self.name) as url:
            yield url

    def dump(self, path: Path) -> None:
        """Write the world in pg_dump's custom format (for a PostgreSQL server of its own)."""
        with self.copy("lotrinh_dump") as url:
            subprocess.run(  # noqa: S603 - our own arguments
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", url],
                check=True,
                capture_output=True,
            )


def _pg_tool(name: str) -> str:
    from private_postgres import tool

    found = tool(name)
    if found is None:
        pytest.skip(f"Needs PostgreSQL's {name}.")
    return found


def restore(dump: Path, url: str) -> None:
    """Load a `World.dump` into the (empty) database at `url`."""
    subprocess.run(  # noqa: S603 - our own arguments
        [_pg_tool("pg_restore"), "--no-owner", f"--dbname={url}", str(dump)],
        check=True,
        capture_output=True,
    )


# Enough people for every test of tests/servers: the load test's 40 reporters and 5 approvers.
WORLD_REPORTERS, WORLD_APPROVERS = 40, 5


@contextmanager
def built_world(data_dir: Path) -> Iterator[World]:
    """Fill a new database with `prepare` once, and keep it only as a template while in use."""
    server = postgres_server()
    with new_database("lotrinh_world") as url:
        people = prepare(
            server_env(url, data_dir), reporters=WORLD_REPORTERS, approvers=WORLD_APPROVERS
        )
        import psycopg

        # Analysed once here rather than by autovacuum in every copy; then closed to connections,
        # so that nothing (autovacuum included) holds it while it is copied.
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        with _admin(server) as conn:
            conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        yield World(name, people)


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTRINH_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "LOTRINH_DATABASE_URL": database_url,
        "LOTRINH_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
    }


def query(env: dict[str, str], sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(env["LOTRINH_DATABASE_URL"], autocommit=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def assert_consistent(env: dict[str, str]) -> None:
    """`lotrinh ledger verify` and `lotrinh check-data` both pass."""
    for command in (["ledger", "verify"], ["check-data"]):
        done = subprocess.run(  # noqa: S603 - our own command line
            [LOTRINH, *command], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def retry_until_done(attempt: Callable[[], Answer], timeout: float = 60) -> Answer:
    """Retry a write told 409 (its key still held) or a failure, as a client does."""
    deadline = time.monotonic() + timeout
    while True:
        answer = attempt()
        if not answer.failed or time.monotonic() > deadline:
            return answer
        time.sleep(1)
