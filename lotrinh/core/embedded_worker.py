"""gunicorn hooks for `lotrinh serve` with LOTRINH_EMBEDDED_WORKER: one background-task worker
(`lotrinh db-worker`) started beside the web workers and stopped with them, so a pilot runs the
whole product with one command. Loaded by gunicorn as `--config python:lotrinh.core.embedded_worker`.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

_worker: subprocess.Popen[bytes] | None = None


def when_ready(server: Any) -> None:
    global _worker  # one worker per gunicorn master
    _worker = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.5"]
    )
    server.log.info("Background-task worker started (pid %s)", _worker.pid)


def on_exit(server: Any) -> None:
    if _worker is not None and _worker.poll() is None:
        _worker.terminate()
        try:
            _worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _worker.kill()
