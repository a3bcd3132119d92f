"""A throw-away PostgreSQL cluster of its own (initdb + pg_ctl), which a test may restart or crash.

Never the shared server: the cluster lives in a new temporary directory, listens on a free local
port, and is removed on `stop()`. As root (PostgreSQL refuses to run as root), its tools run as the
`postgres` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from local_server import free_port


def tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


class PrivatePostgres:
    def __init__(self) -> None:
        initdb, pg_ctl = tool("initdb"), tool("pg_ctl")
        if not initdb or not pg_ctl:
            raise FileNotFoundError("PostgreSQL's initdb and pg_ctl were not found")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.as_user: list[str] = []
        self.directory = Path(tempfile.mkdtemp(prefix="lotrinh-private-pg-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own arguments
            [*self.as_user, *args], check=True, capture_output=True, cwd=self.directory
        )

    def start(self) -> str:
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        return self.url

    def restart(self, mode: str = "immediate") -> None:
        """Stop (`immediate`: as a crash, no checkpoint, clients cut off) and start again."""
        log = str(self.directory / "server.log")
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-l", log, "-w", "restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # never started, or stopped
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)
