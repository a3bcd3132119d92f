"""`lotrinh exchange-values export|import …`: DHIS2 dataValueSets (JSON) and ADX (XML) files.

`export --regime R --period P [--format dhis2|adx]` prints a period's published figures.
`import FILE --regime R [--user U] [--apply]` prints the dry run of every period in the file,
as `lotrinh import-values` does, and writes only with --apply and when no figure is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lotrinh.core.errors import UserFacingError
from lotrinh.opendata.exchange import (
    MAX_EXCHANGE_BYTES,
    ExchangePlan,
    adx,
    data_value_set,
    plan_exchange,
    published_exchange_values,
    read_adx,
    read_data_value_set,
)
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import write_check
from lotrinh.reporting.models import Period, ReportingRegime
from lotrinh.reporting.services import Actor


class Command(BaseCommand):
    help = "Export or import figures as DHIS2 dataValueSets (JSON) or ADX (XML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("direction", choices=["export", "import"])
        parser.add_argument("file", nargs="?", type=Path, help="The file to import.")
        parser.add_argument("--regime", required=True, help="Regime code, e.g. cds-dinh-ky-quy.")
        parser.add_argument("--period", help="Period to export, e.g. 2025Q3.")
        parser.add_argument("--format", choices=["dhis2", "adx"], default="dhis2")
        parser.add_argument("--user", help="Import as this user (required with --apply).")
        parser.add_argument("--apply", action="store_true", help="Write the changes.")

    def handle(self, *args: object, **options: Any) -> None:
        regime = ReportingRegime.objects.filter(code=options["regime"]).first()
        if regime is None:
            raise CommandError(f"Unknown regime: {options['regime']}")
        if options["direction"] == "export":
            self._export(regime, options)
        else:
            self._import(regime, options)

    def _export(self, regime: ReportingRegime, options: dict[str, Any]) -> None:
        period = Period.objects.filter(regime=regime, code=options["period"] or "").first()
        if period is None:
            raise CommandError(f"Unknown period of {regime.code}: {options['period']}")
        values = published_exchange_values(regime, period)
        if options["format"] == "adx":
            self.stdout.write(adx(values).decode("utf-8"))
        else:
            self.stdout.write(json.dumps(data_value_set(values), ensure_ascii=False, indent=1))

    def _import(self, regime: ReportingRegime, options: dict[str, Any]) -> None:
        path: Path | None = options["file"]
        if path is None:
            raise CommandError("Name the file to import.")
        if options["apply"] and not options["user"]:
            raise CommandError("--apply needs --user: every change is recorded with who made it.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']}.")
        try:
            if path.stat().st_size > MAX_EXCHANGE_BYTES:
                raise CommandError("The file is over 20 MB.")
            raw = path.read_bytes()
            values = read_adx(raw) if raw.lstrip().startswith(b"<") else read_data_value_set(raw)
            plans = plan_exchange(values, regime, write_check(user))
            self._print(plans)
            errors = sum(len(p.plan.errors) for p in plans)
            if options["apply"] and errors:
                raise CommandError(f"{errors} errors: nothing was written.")
            if options["apply"] and user is not None:
                # Every period of the file, or none of them.
                with transaction.atomic():
                    for found in plans:
                        result = apply_plan(
                            Actor(user, None, "import"), regime, found.period, found.plan
                        )
                        self.stdout.write(
                            f"{found.period.code}: applied {result.values} figures "
                            f"in {result.reports} reports."
                        )
        except (UserFacingError, PermissionDenied, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def _print(self, plans: list[ExchangePlan]) -> None:
        for found in plans:
            plan = found.plan
            for issue in plan.issues:
                self.stdout.write(
                    f"{issue.severity.upper()} {found.period.code} {issue.where}\t"
                    f"{issue.message_vi} / {issue.message_en}"
                )
            self.stdout.write(
                f"{found.period.code}: {plan.rows} units, {len(plan.changes)} changes, "
                f"{len(plan.errors)} errors"
            )
