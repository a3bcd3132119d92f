"""`lotrinh send-reminders`: remind reporters before and after deadlines (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from lotrinh.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "Send e-mail and in-app reminders for reports due soon or overdue."

    def handle(self, *args: object, **options: object) -> None:
        result = send_reminders()
        self.stdout.write(f"{result.notifications} notifications, {result.emails} e-mails")
