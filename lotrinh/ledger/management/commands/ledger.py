"""`lotrinh ledger verify | sth | consistency FIRST SECOND` (and `verify-receipt FILE`, which the
`lotrinh` command runs without Django, so that it works with no database)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotrinh.ledger import receipts
from lotrinh.ledger.services import adopt_unrecorded, consistency, sign_tree_head, sth_json
from lotrinh.ledger.verification import verify


class Command(BaseCommand):
    help = "Verify the ledger, print its signed tree head, or check a receipt."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Re-derive every entry and report from the database.")
        sub.add_parser("sth", help="Sign and print the tree head of the log as it stands.")
        sub.add_parser(
            "adopt", help="Record the sent reports of a database used before the ledger (once)."
        )
        proof = sub.add_parser("consistency", help="Print a consistency proof between two sizes.")
        proof.add_argument("first", type=int)
        proof.add_argument("second", type=int)
        check = sub.add_parser("verify-receipt", help="Check a receipt file offline.")
        check.add_argument("file")
        check.add_argument("--public-key", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "sth":
            self.stdout.write(json.dumps(sth_json(sign_tree_head()), indent=2))
        elif action == "adopt":
            self.stdout.write(
                _("%(count)s reports recorded in the ledger.") % {"count": adopt_unrecorded()}
            )
        elif action == "consistency":
            self.stdout.write(
                json.dumps(consistency(options["first"], options["second"]), indent=2)
            )
        elif action == "verify-receipt":
            key = ["--public-key", options["public_key"]] if options["public_key"] else []
            code = receipts.main([options["file"], *key])
            if code:
                sys.exit(code)
        else:
            self._verify()

    def _verify(self) -> None:
        result = verify()
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(
                _("The ledger does not match the database: %(count)s problems.")
                % {"count": len(result.problems)}
            )
        self.stdout.write(
            _("The ledger matches the database: %(entries)s entries, %(reports)s reports.")
            % {"entries": result.entries, "reports": result.reports}
        )
