"""`lotrinh load-plan [FILE]`: load a monitoring plan (the sample one by default), all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotrinh.core.errors import UserFacingError
from lotrinh.monitoring.services import SAMPLE_PLAN, load_plan


class Command(BaseCommand):
    help = "Load a monitoring plan: how each indicator is measured in each province."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=SAMPLE_PLAN)

    def handle(self, *args: object, **options: Any) -> None:
        try:
            sources = load_plan(options["file"])
        except UserFacingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{sources} sources planned.")
