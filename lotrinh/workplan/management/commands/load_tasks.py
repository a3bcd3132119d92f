"""`lotrinh load-tasks PROGRAMME_CODE FILE`: load a programme's reviewed tasks (NAME.tasks.jsonl)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Programme
from lotrinh.workplan.services import load_programme_tasks


class Command(BaseCommand):
    help = "Load a programme's reviewed tasks from a JSON-lines file; a file with an error loads nothing."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="The programme's code, e.g. phu-yen-1728-qd-ubnd.")
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        programme = Programme.objects.filter(code=str(options["programme"])).first()
        if programme is None:
            raise CommandError(f"No programme has the code {options['programme']}.")
        try:
            created = load_programme_tasks(programme, Path(str(options["file"])))
        except UserFacingError as error:
            raise CommandError(error.bilingual()) from error
        self.stdout.write(self.style.SUCCESS(f"{programme}: {created} tasks added."))
