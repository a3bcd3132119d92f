"""`lotrinh assess-history PROGRAMME [--as-of DATE …]`: keep a programme's assessment at each cut-off."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from lotrinh.assessment.scoring import DEFAULT_METHOD, METHODS
from lotrinh.assessment.services import assess_history
from lotrinh.indicators.models import Programme


def _day(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 (a date)
    except ValueError as error:
        raise CommandError(
            f"Ngày không hợp lệ / Not a valid date: {text!r} (YYYY-MM-DD, e.g. 2025-12-31)"
        ) from error


class Command(BaseCommand):
    help = (
        "Assess a programme's targets as the data stood at each quarter end since it was issued "
        "(or at the given cut-offs), replacing what was kept for those cut-offs."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's code, as in its address")
        parser.add_argument("--as-of", action="append", default=[], help="a cut-off, YYYY-MM-DD")
        parser.add_argument("--method", choices=sorted(METHODS), default=DEFAULT_METHOD)

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["programme"])
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            raise CommandError(f"Không có chương trình / No programme with the code {code!r}")
        cutoffs = [_day(text) for text in options["as_of"]]  # type: ignore[attr-defined]
        started = time.perf_counter()
        done = assess_history(programme, cutoffs=cutoffs or None, method=str(options["method"]))
        self.stdout.write(
            f"{code}: {len(done)} cut-offs assessed"
            f"{f' ({done[0]:%d/%m/%Y} – {done[-1]:%d/%m/%Y})' if done else ''}"
            f" in {time.perf_counter() - started:.1f} s"
        )
