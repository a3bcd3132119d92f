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
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from reporting_world import Answer  # noqa: E402

LOTRINH = str(Path(sys.executable).with_name("lotrinh"))


def postgres_server() -> str:
    url = os.environ.get("LOTRINH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "Needs PostgreSQL: runs in the PostgreSQL pass of `make test` (LOTRINH_DATABASE_URL)."
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@contextmanager
def new_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL pass's server, dropped afterwards."""
    import psycopg

    server = postgres_server()
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin_url = _with_database(server, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
