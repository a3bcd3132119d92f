"""`lotrinh load-regimes [FILE]`: define reporting regimes (the sample ones by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lotrinh.core.errors import UserFacingError
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.regimes import SAMPLE_REGIMES, ensure_periods, load_regimes


class Command(BaseCommand):
    help = "Create or update reporting regimes (forms, rules, territories) and their periods up to today."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=SAMPLE_REGIMES)

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = load_regimes(options["file"])  # type: ignore[arg-type]
        except UserFacingError as exc:
            raise CommandError(exc.bilingual()) from exc
        periods = sum(
            len(ensure_periods(r, timezone.localdate())) for r in ReportingRegime.objects.all()
        )
        self.stdout.write(
            f"{result.regimes} regimes, {result.fields} form fields, {result.rules} rules, {periods} periods"
        )
