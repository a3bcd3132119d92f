"""`lotrinh load-units`: load both structures of Vietnam's units and the 2025 crosswalk."""

import time

from django.core.management.base import BaseCommand

from lotrinh.orgunits.services import load_units


class Command(BaseCommand):
    help = "Load or refresh all administrative units (63/696/10,035 legacy; 34/3,321 current) and the crosswalk."

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        result = load_units()
        self.stdout.write(
            f"Units: {result.created} created, {result.updated} updated; "
            f"crosswalk links: {result.links_created} created, {result.links_removed} removed; "
            f"unresolved: {result.unresolved} ({time.perf_counter() - started:.1f} s)"
        )
