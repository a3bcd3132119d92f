"""`lotrinh send-reminders`: remind reporters before and after deadlines, and send approvers the
digest of reports submitted since the previous one (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from lotrinh.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send e-mail and in-app reminders for reports due soon or overdue, and each approver "
        "one digest of the reports submitted since the previous one."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = send_reminders()
        self.stdout.write(
            f"{result.notifications} notifications ({result.digests} approval digests), "
            f"{result.emails} e-mails"
        )
