"""`lotrinh remind-tasks`: remind the lead units' reporters of tasks due within a week or overdue
(run it daily, e.g. from cron, beside `lotrinh send-reminders`)."""

from django.core.management.base import BaseCommand

from lotrinh.workplan.reminders import remind_tasks


class Command(BaseCommand):
    help = "Send in-app reminders for tasks due within a week or overdue, once each."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{remind_tasks()} reminders")
