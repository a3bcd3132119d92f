"""Print a PostgreSQL URL for the test suite, starting a private server if none is reachable.

Order: LOTRINH_TEST_DATABASE_URL if set; a server on 127.0.0.1:5432 that accepts us (CI has one);
otherwise a throw-away cluster under var/pgtest, created with the machine's initdb and started
on a Unix socket, so tests never silently skip PostgreSQL.
"""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "var" / "pgtest"
PORT = 54329


def _can_connect(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _local_server() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            pass
    except OSError:
        return None
    for user in ("postgres", getpass.getuser()):
        if _can_connect(f"postgresql://{user}@127.0.0.1:5432/postgres"):
            return f"postgresql://{user}@127.0.0.1:5432/lotrinh"
    return None


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _private_server() -> str:
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if not initdb or not pg_ctl:
        sys.exit(
            "No PostgreSQL server is reachable on 127.0.0.1:5432 and no initdb/pg_ctl was found.\n"
            "Install PostgreSQL (e.g. apt-get install postgresql) or set LOTRINH_TEST_DATABASE_URL."
        )
    data = CLUSTER / "data"
    if not (data / "PG_VERSION").exists():
        CLUSTER.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - our own arguments
            [initdb, "-D", str(data), "-A", "trust", "-U", getpass.getuser(), "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
    status = subprocess.run([pg_ctl, "-D", str(data), "status"], capture_output=True)  # noqa: S603
    if status.returncode != 0:
        options = f"-p {PORT} -k {CLUSTER} -c listen_addresses=''"
        subprocess.run(  # noqa: S603
            [
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(CLUSTER / "server.log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    return f"postgresql://{getpass.getuser()}@{quote(str(CLUSTER), safe='')}:{PORT}/lotrinh"


def main() -> None:
    url = os.environ.get("LOTRINH_TEST_DATABASE_URL") or _local_server() or _private_server()
    print(url)


if __name__ == "__main__":
    main()
