"""Start the product's own gunicorn on a free local port for a benchmark, and stop it afterwards."""

from __future__ import annotations

import secrets
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
