"""The `lotrinh` console command: Django's management commands without typing manage.py.

Hyphens in a command name become underscores, so `lotrinh load-units` runs `load_units`.
`lotrinh serve` uses the production settings unless DJANGO_SETTINGS_MODULE names others: a server
that faces a network must not run with plain-HTTP cookies by accident.
"""

from __future__ import annotations

import os
import sys

PRODUCTION = "config.settings.production"
MISSING_KEY_HELP = (
    "LOTRINH_SECRET_KEY chưa được đặt: `lotrinh serve` dùng cấu hình production (chỉ HTTPS).\n"
    "LOTRINH_SECRET_KEY is not set: `lotrinh serve` uses the production settings (HTTPS only).\n"
    "To try Lộ Trình on this machine over plain HTTP / Để chạy thử trên máy này qua HTTP:\n"
    "  make run\n"
    "  (or / hoặc: DJANGO_SETTINGS_MODULE=config.settings.base lotrinh serve)\n"
)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    if args[1:3] == ["ledger", "verify-receipt"]:
        # A receipt is checked with no database and no settings: only the file and the key.
        from lotrinh.ledger.receipts import main as verify_receipt

        return verify_receipt(args[3:])
    serving = args[1:2] == ["serve"]
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", PRODUCTION if serving else "config.settings.base"
    )
    production = os.environ["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    if serving and production and not os.environ.get("LOTRINH_SECRET_KEY", "").strip():
        sys.stderr.write(MISSING_KEY_HELP)
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0
