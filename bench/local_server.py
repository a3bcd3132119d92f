"""Start the product's own gunicorn on a free local port for a benchmark, and stop it afterwards."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# For 2 cores: one worker process per core, and a second thread in each to use the time a request
# waits for PostgreSQL or the network. Under 20 users reading dashboards, 2 × 4, 3 × 4 and 4 × 2
# served about as many requests per second, with longer and less even tails on a busy machine
# (more threads hand Python's global lock back and forth more often); see docs/performance.md.
# The default of `gunicorn()` below stays 4 threads for the benchmarks measured with it.
WORKERS = 2
THREADS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, threads: int = 4, ready_path: str = "/"
) -> Iterator[tuple[str, int]]:
    """Yield (base URL, server pid) once `ready_path` answers; the server stops on exit."""
    port = free_port()
    # A key given to all workers: started at once on a fresh data directory, each could otherwise
    # generate its own (and one could read the file while another writes it).
    env = {"LOTRINH_SECRET_KEY": secrets.token_urlsafe(50), **env}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + ready_path, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


class Server:
    """A gunicorn in its own process group, so that a test can kill -9 it with all its workers."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int) -> None:
        self.env = {"LOTRINH_SECRET_KEY": secrets.token_urlsafe(50), **env}
        self.workers, self.threads = workers, threads
        self.base = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_path: str = "/api/v1/openapi.json", timeout: float = 180) -> str:
        port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + ready_path, timeout=2)  # noqa: S310 - local
                return self.base
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer {ready_path} within {timeout} s")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no request gets to finish or clean up."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
