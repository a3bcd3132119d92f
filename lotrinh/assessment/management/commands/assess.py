"""`lotrinh assess [--method NAME]`: assess every target of every programme from the current data."""

import time

from django.core.management.base import BaseCommand

from lotrinh.assessment.scoring import DEFAULT_METHOD, METHODS
from lotrinh.assessment.services import assess_all


class Command(BaseCommand):
    help = "Compute and store the assessment of every target (status, figures, forecast)."

    def add_arguments(self, parser):
        parser.add_argument("--method", choices=sorted(METHODS), default=DEFAULT_METHOD)

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        count = assess_all(method=str(options["method"]))
        self.stdout.write(
            f"{count} targets assessed with {options['method']} ({time.perf_counter() - started:.1f} s)"
        )
