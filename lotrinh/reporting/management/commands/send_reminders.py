"""`lotrinh send-reminders`: remind reporters before and after deadlines, and send approvers the
digest of reports submitted since the previous one. The task worker does this every day at
LOTRINH_REMINDER_HOUR (lotrinh.core.schedule); the command is for deployments that turn that off
and run it from cron, and for sending at once (with `--background` a task worker does it and
tries again after a failure)."""

from django.core.management.base import BaseCommand

from lotrinh.reporting.reminders import send_reminders
from lotrinh.reporting.tasks import send_reminders_task


class Command(BaseCommand):
    help = (
        "Send e-mail and in-app reminders for reports and tasks due soon or overdue, and each "
        "approver one digest of the reports submitted since the previous one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the work for a task worker (retried on failure) instead of doing it now.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["background"]:
            queued = send_reminders_task.enqueue()
            self.stdout.write(f"queued: task {queued.id} ({queued.status})")
            return
        result = send_reminders()
        self.stdout.write(
            f"{result.notifications} notifications ({result.digests} approval digests, "
            f"{result.tasks} about tasks), "
            f"{result.emails} e-mails"
        )
