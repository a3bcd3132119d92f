"""`lotrinh restore FILE [--force]`: put a backup back, then verify the ledger against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotrinh.ledger.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `lotrinh backup`, then run `lotrinh ledger verify`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(exc.bilingual()) from exc
        self.stdout.write(_("Restored %(file)s; verifying the ledger.") % {"file": options["file"]})
        call_command("ledger", "verify", stdout=self.stdout, stderr=self.stderr)
