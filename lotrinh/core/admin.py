"""Admin page for the timed jobs (read only: the task worker keeps them). Their runs, with the
traceback of a failed one, are django-tasks-db's results (Tasks › DB task results), also listed by
`lotrinh tasks`."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotrinh.core.models import ScheduledJob
from lotrinh.core.schedule import is_lost


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "next_run_at",
        "last_started_at",
        "last_succeeded_at",
        "run_state",
        "task_id",
    ]
    ordering = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("run in progress"))
    def run_state(self, row: ScheduledJob) -> str:
        if row.run_in_progress is None:
            return "-"
        due = date_format(timezone.localtime(row.run_in_progress), "SHORT_DATETIME_FORMAT")
        if is_lost(row):
            return _(
                "The run of %(due)s started and never finished (its worker stopped); it runs "
                "again when a worker starts or the next run of a job is taken."
            ) % {"due": due}
        return _("The run of %(due)s is running.") % {"due": due}
