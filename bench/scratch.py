"""Scratch PostgreSQL databases for the benchmarks, on the server the test suite uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scratch_database(name: str, *, reuse: bool = False) -> str | None:
    """A URL of database `name` (made empty unless `reuse` and it exists), or None when no
    PostgreSQL server is reachable. Each benchmark uses its own name, so they can run together."""
    try:
        base = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "scripts" / "provide_postgres.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except subprocess.CalledProcessError:
        return None
    import psycopg

    server = base.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
