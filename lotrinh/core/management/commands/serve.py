"""`lotrinh serve`: run the site with gunicorn on LOTRINH_BIND (default 127.0.0.1:8000)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lộ Trình with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.LOTRINH_BIND)
        parser.add_argument("--workers", type=int, default=settings.LOTRINH_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.LOTRINH_THREADS)

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"Lộ Trình: http://{options['bind']}/  (Ctrl+C to stop / Ctrl+C để dừng)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            str(options["bind"]),
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with the server
