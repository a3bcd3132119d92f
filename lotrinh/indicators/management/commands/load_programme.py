"""`lotrinh load-programme FILE...`: check and store programmes from their manifest files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotrinh.assessment.refresh import request_refresh
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.services import load_programme


class Command(BaseCommand):
    help = (
        "Load programmes from manifests (NAME.programme.toml) or their targets files. "
        "A file with any error is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        for path in options["files"]:  # type: ignore[attr-defined]
            try:
                result = load_programme(path)
            except UserFacingError as exc:
                raise CommandError(exc.bilingual()) from exc
            request_refresh([result.programme.pk])  # assessed in the background, not by a page
            verb = "created" if result.created else "updated"
            self.stdout.write(
                f"{result.programme.number} ({result.programme.org_unit.name}): {verb}; "
                f"{result.targets} targets, {result.baselines} baselines, {result.new_indicators} new indicators"
            )
