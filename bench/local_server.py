"""Start the product's own gunicorn on a free local port for a benchmark or a test, and stop it
afterwards: the one place the gunicorn command line is written."""

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


def start_gunicorn(
    env: dict[str, str],
    *,
    workers: int,
    threads: int,
    own_group: bool = False,
    quiet: bool = True,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the product's gunicorn on a free local port; return the process and its base URL.

    `own_group` starts it in a process group of its own (so that `os.killpg` reaches every
    worker); `quiet` sends its output nowhere (a test reads the answers, not the log)."""
    port = free_port()
    # A key given to all workers: started at once on a fresh data directory, each could otherwise
    # generate its own (and one could read the file while another writes it).
    env = {"LOTRINH_SECRET_KEY": secrets.token_urlsafe(50), **env}
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(  # noqa: S603 - our own command line
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
        start_new_session=own_group,
        stdout=output,
        stderr=output,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_answering(
    base: str, ready_path: str, process: subprocess.Popen[bytes], timeout: float = 180
) -> None:
    """Return once `ready_path` answers; raise if the server ends or does not answer in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended (exit {process.returncode}) before it answered")
        try:
            urllib.request.urlopen(base + ready_path, timeout=2)  # noqa: S310 - our own server
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {ready_path} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn as an operator does (SIGTERM: workers finish their requests); if it has not
    ended after 20 s, SIGKILL it (with its workers when it leads its own process group)."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


@contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    workers: int,
    threads: int = 4,
    ready_path: str = "/",
    quiet: bool = False,
) -> Iterator[tuple[str, int]]:
    """Yield (base URL, server pid) once `ready_path` answers; the server stops on exit."""
    process, base = start_gunicorn(env, workers=workers, threads=threads, quiet=quiet)
    try:
        wait_until_answering(base, ready_path, process)
        yield base, process.pid
    finally:
        stop(process)


class Server:
    """A gunicorn in its own process group, so that a test can kill -9 it with all its workers."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int) -> None:
        self.env = {"LOTRINH_SECRET_KEY": secrets.token_urlsafe(50), **env}
        self.workers, self.threads = workers, threads
        self.base = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_path: str = "/api/v1/openapi.json", timeout: float = 180) -> str:
        self.process, self.base = start_gunicorn(
            self.env, workers=self.workers, threads=self.threads, own_group=True
        )
        try:
            wait_until_answering(self.base, ready_path, self.process, timeout)
        except RuntimeError:
            self.stop()
            raise
        return self.base

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no request gets to finish or clean up."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
