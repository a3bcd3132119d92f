"""`lotrinh load-indicators [FILE]`: load the indicator catalogue (the sample one by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.services import SAMPLE_CATALOGUE, load_catalogue


class Command(BaseCommand):
    help = "Create or update data elements and indicators from a catalogue TOML file."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=SAMPLE_CATALOGUE)

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = load_catalogue(options["file"])  # type: ignore[arg-type]
        except UserFacingError as exc:
            raise CommandError(exc.bilingual()) from exc
        self.stdout.write(f"{result.data_elements} data elements, {result.indicators} indicators")
