"""`lotrinh demo`: prepare a ready-to-browse site on the configured database (SQLite by default).

Migrates, collects static files, loads Vietnam's units, the indicator catalogue, the five sample
programmes, the real published figures, the sample reporting regimes with their illustrative
reports, and creates the demo logins. Safe to run again: it only adds what is missing.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lotrinh.indicators.services import load_catalogue, load_observations, load_sample_programmes
from lotrinh.orgunits.services import load_units
from lotrinh.reporting.illustrative import generate_illustrative
from lotrinh.reporting.regimes import load_regimes

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "lotrinh-demo"  # noqa: S105 - printed on purpose: a local demo login


class Command(BaseCommand):
    help = "Set up the database with real units and the five sample programmes, ready to browse."

    def add_arguments(self, parser):
        parser.add_argument("--no-static", action="store_true", help="Skip collectstatic.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        units = load_units()
        catalogue = load_catalogue()
        programmes = load_sample_programmes()
        observations = load_observations()
        load_regimes()
        illustrative = generate_illustrative()
        self._ensure_demo_user()
        targets = sum(p.targets for p in programmes)
        self.stdout.write(self.style.SUCCESS("Lộ Trình is ready. / Lộ Trình đã sẵn sàng."))
        self.stdout.write(
            f"  units: {units.created} new, {units.updated} updated · indicators: {catalogue.indicators} · "
            f"programmes: {len(programmes)} · targets: {targets} · published figures: {observations} · "
            f"illustrative reports added: {illustrative.reports} · {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"  database: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(
            f"  site: http://{settings.LOTRINH_BIND}/   admin: http://{settings.LOTRINH_BIND}/admin/"
        )
        self.stdout.write(f"  demo login / đăng nhập thử: {DEMO_USERNAME} / {DEMO_PASSWORD}")

    def _ensure_demo_user(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(
                DEMO_USERNAME, "admin@example.invalid", DEMO_PASSWORD
            )
