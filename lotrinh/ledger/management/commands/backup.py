"""`lotrinh backup FILE`: a consistent copy of the whole database, ledger included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotrinh.ledger.backup import BackupError, make_backup
from lotrinh.ledger.services import sign_tree_head, sth_json


class Command(BaseCommand):
    help = "Back up the database (SQLite or PostgreSQL) with its ledger to FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        head = sign_tree_head()  # the backup holds this head: a restore is checked against it
        try:
            make_backup(options["file"])
        except BackupError as exc:
            raise CommandError(exc.bilingual()) from exc
        self.stdout.write(
            _("Backed up to %(file)s; the ledger's signed tree head: %(head)s")
            % {"file": options["file"], "head": sth_json(head)}
        )
