"""`lotrinh import-values FILE --regime CODE --period CODE [--user USERNAME] [--apply]`.

Reads a filled-in template (.xlsx or CSV) and prints the dry run: every change and every error.
Nothing is written unless --apply is given and the file has no errors; then all of it is written in
one transaction (as USERNAME, through the same permission checks as the web pages).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotrinh.core.errors import UserFacingError
from lotrinh.core.formatting import plain_decimal
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, write_check
from lotrinh.reporting.importing.plan import ImportPlan
from lotrinh.reporting.models import Period, ReportingRegime
from lotrinh.reporting.services import Actor


class Command(BaseCommand):
    help = "Import reported figures from a filled-in template; a dry run unless --apply is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--regime", required=True, help="Regime code, e.g. cds-dinh-ky-quy.")
        parser.add_argument("--period", required=True, help="Period code, e.g. 2025Q3.")
        parser.add_argument("--user", help="Import as this user (required with --apply).")
        parser.add_argument("--apply", action="store_true", help="Write the changes.")

    def handle(self, *args: object, **options: Any) -> None:
        path: Path = options["file"]
        regime = ReportingRegime.objects.filter(code=options["regime"]).first()
        period = Period.objects.filter(regime=regime, code=options["period"]).first()
        if regime is None or period is None:
            raise CommandError(f"Unknown regime or period: {options['regime']} {options['period']}")
        if options["apply"] and not options["user"]:
            raise CommandError("--apply needs --user: every change is recorded with who made it.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']}.")
        try:
            with path.open("rb") as stream:
                plan = plan_file(
                    regime, period, write_check(user), path.name, stream, path.stat().st_size
                )
            self._print(plan)
            if options["apply"] and plan.errors:
                raise CommandError(f"{len(plan.errors)} errors: nothing was written.")
            if options["apply"] and user is not None:
                result = apply_plan(Actor(user, None, "import"), regime, period, plan)
                self.stdout.write(f"Applied: {result.values} figures in {result.reports} reports.")
        except (UserFacingError, PermissionDenied, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def _print(self, plan: ImportPlan) -> None:
        for change in plan.changes:
            self.stdout.write(
                f"{change.where}\t{change.unit_code} {change.unit_name}\t{change.field}\t"
                f"{'—' if change.old is None else plain_decimal(change.old)} → "
                f"{'—' if change.new is None else plain_decimal(change.new)}"
            )
        for found in plan.issues:
            self.stdout.write(
                f"{found.severity.upper()} {found.where}\t{found.message_vi} / {found.message_en}"
            )
        self.stdout.write(
            f"{plan.rows} rows, {len(plan.changes)} changes, {len(plan.errors)} errors, "
            f"{len(plan.warnings)} warnings"
            + ("" if plan.errors else " (dry run: nothing written)")
        )
