"""`lotrinh serve`: run the site with gunicorn on LOTRINH_BIND (default 127.0.0.1:8000), with the
production settings unless DJANGO_SETTINGS_MODULE names others (see lotrinh.cli), and one
background-task worker beside it unless LOTRINH_EMBEDDED_WORKER is off."""

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
        if settings.SESSION_COOKIE_SECURE:  # production: HTTPS is the reverse proxy's job
            where = f"{options['bind']}, HTTPS only / chỉ HTTPS ({settings.SETTINGS_MODULE})"
        else:
            where = f"http://{options['bind']}/ ({settings.SETTINGS_MODULE})"
        self.stdout.write(f"Lộ Trình: {where}  (Ctrl+C to stop / Ctrl+C để dừng)")
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
            "--logger-class",
            "lotrinh.core.access_log.TokenHidingLogger",
            "--timeout",
            "60",
        ]
        if settings.LOTRINH_EMBEDDED_WORKER and settings.LOTRINH_TASKS == "database":
            argv += ["--config", "python:lotrinh.core.embedded_worker"]
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with the server
