"""`lotrinh remind-tasks`: remind the lead units' reporters, in the app and by e-mail, of tasks due
within a week or overdue. `lotrinh send-reminders` sends the same reminders with the figures'
ones; each is sent once, whichever runs first."""

from django.core.management.base import BaseCommand

from lotrinh.workplan.reminders import remind_tasks


class Command(BaseCommand):
    help = "Send in-app and e-mail reminders for tasks due within a week or overdue, once each."

    def handle(self, *args: object, **options: object) -> None:
        result = remind_tasks()
        self.stdout.write(f"{result.notifications} reminders, {result.emails} e-mails")
