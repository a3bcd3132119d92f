"""`lotrinh generate-illustrative`: illustrative reports for the five sample provinces (labelled as such)."""

import time

from django.core.management.base import BaseCommand

from lotrinh.reporting.illustrative import DEFAULT_SEED, generate_illustrative


class Command(BaseCommand):
    help = "Generate deterministic, clearly labelled illustrative reports from 2021Q1 to the current period."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        result = generate_illustrative(seed=options["seed"])  # type: ignore[arg-type]
        self.stdout.write(
            f"{result.agencies} sample agencies, {result.reports} illustrative reports, "
            f"{result.values} values ({time.perf_counter() - started:.1f} s)"
        )
