"""Consistent backups of the whole database, ledger included, and their restoration.

SQLite: the sqlite3 online backup API, which copies a consistent snapshot while others write.
PostgreSQL: pg_dump (one snapshot of the database) and pg_restore, the server's own tools.
The backup is each engine's native file, so it can also be read with that engine's tools.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, with arguments we build)
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connection
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.ledger.models import Entry
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Report

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(UserFacingError):
    """A backup or restore that cannot be done, and why."""


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL client tools of the server's version."
            ),
            tool=name,
        )
    return tool


def _pg_environment() -> dict[str, str]:
    """The connection settings as libpq's variables, so no password appears in a command line."""
    settings = connection.settings_dict
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
    }
    return os.environ | {key: str(value) for key, value in values.items() if value}


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s"), tool=Path(command[0]).name, error=done.stderr.strip()
        )


def make_backup(path: Path) -> None:
    """Write a consistent copy of the database to `path` (replaced if it exists)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path.unlink(missing_ok=True)
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"])
    else:
        raise BackupError(_("Backups are made of SQLite and PostgreSQL databases only."))


def is_empty() -> bool:
    """No units, people, reports or ledger entries (a new or flushed database)."""
    tables = set(connection.introspection.table_names())
    return not any(
        model._meta.db_table in tables and model.objects.exists()
        for model in (OrgUnit, User, Report, Entry)
    )


def restore_backup(path: Path, *, force: bool = False) -> None:
    """Replace the database's contents with the backup at `path`; refuses to overwrite a database
    holding data unless `force`."""
    try:
        magic = path.read_bytes()[:16]
    except OSError as exc:
        raise BackupError(
            _("Cannot read the backup %(path)s: %(error)s"), path=path, error=exc
        ) from exc
    expected = {"sqlite": SQLITE_MAGIC, "postgresql": PG_MAGIC}.get(connection.vendor)
    if expected is None or not magic.startswith(expected):
        raise BackupError(
            _("%(path)s is not a backup of this kind of database (%(vendor)s)."),
            path=path,
            vendor=connection.vendor,
        )
    if not force and not is_empty():
        raise BackupError(
            _(
                "This database already holds data; nothing was changed. Restore with --force to replace it."
            )
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # pg_restore drops the tables: nothing of ours may hold them
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
