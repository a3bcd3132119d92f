"""Admin page for the timed jobs (read only: the task worker keeps them). Their runs, with the
traceback of a failed one, are django-tasks-db's results (Tasks › DB task results), also listed by
`lotrinh tasks`."""

from django.contrib import admin
from django.http import HttpRequest

from lotrinh.core.models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = ["name", "next_run_at", "last_started_at", "last_succeeded_at", "task_id"]
    ordering = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
