"""`lotrinh import-published FILE [--user USERNAME] [--apply]`.

Checks a CSV or .xlsx (first sheet) of published figures (the columns of
sample_data/real-observations.csv, optionally reference and published_on) row by row through the
same service as the web form; nothing is kept unless --apply is given and every row is valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotrinh.core.errors import UserFacingError
from lotrinh.monitoring.published import load_observations


class Command(BaseCommand):
    help = "Import published figures from a CSV or .xlsx; a dry run unless --apply is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="Import as this user (required with --apply).")
        parser.add_argument("--apply", action="store_true", help="Keep the figures.")

    def handle(self, *args: object, **options: Any) -> None:
        if options["apply"] and not options["user"]:
            raise CommandError("--apply needs --user: every figure is recorded with who gave it.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']}.")
        try:
            rows = load_observations(options["file"], actor=user, apply=options["apply"])
        except (UserFacingError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        verb = "imported" if options["apply"] else "checked (dry run, nothing kept)"
        self.stdout.write(f"{rows} published figures {verb}.")
