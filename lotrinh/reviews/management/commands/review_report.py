"""`lotrinh review-report PROGRAMME --as-of DATE --layout state|party --format docx|pdf --output FILE`."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Programme
from lotrinh.reporting.services import Actor
from lotrinh.reviews.metadata import MetadataError, parse_day
from lotrinh.reviews.services import default_metadata, generate_review, remembered_metadata


class Command(BaseCommand):
    help = (
        "Draft a programme's review report (sơ kết / tổng kết) with figures up to a cut-off, "
        "as DOCX or PDF, from the letterhead remembered for it (or a default one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's code, as in its address")
        parser.add_argument("--as-of", required=True, help="the cut-off, 31/12/2025 or 2025-12-31")
        parser.add_argument("--layout", choices=["state", "party"])
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--language", choices=["vi", "en"], default="vi")
        parser.add_argument(
            "--user", default="admin", help="who the draft is made as (a programme officer)"
        )

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["programme"])
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            raise CommandError(f"Không có chương trình / No programme with the code {code!r}")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng / No user {options['user']!r}")
        raw = remembered_metadata(programme)
        if options["layout"] and options["layout"] != raw["layout"]:
            raw = default_metadata(programme, str(options["layout"]))
        try:
            as_of = parse_day(str(options["as_of"]))
            document = generate_review(
                Actor(user, channel="command"),
                programme,
                as_of,
                str(options["format"]),
                raw,
                language=str(options["language"]),
            )
        except (UserFacingError, MetadataError) as error:
            raise CommandError(str(error)) from error
        Path(str(options["output"])).write_bytes(bytes(document.content))
        self.stdout.write(f"{options['output']}: {len(document.content):,} bytes")
