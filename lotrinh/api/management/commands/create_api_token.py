"""`lotrinh create-api-token USERNAME [--name NAME]`: make an API token and print it once."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotrinh.api.auth import issue_token


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it. Only its hash is stored: copy it now, it "
        "cannot be shown again. Deactivate tokens in the admin (API tokens)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (default: 'api').")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"The user {user.username!r} is inactive.")
        _token, secret = issue_token(user, options["name"] or "api")
        self.stdout.write(secret)
        self.stderr.write(
            f"Token for {user.username} created. Send it as 'Authorization: Bearer <token>'; "
            "it will not be shown again."
        )
