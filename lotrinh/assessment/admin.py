"""Admin page for programmes waiting for their re-assessment (read only: the task clears them).

Queued, running and failed tasks themselves are listed by django-tasks-db's own admin page
(Tasks › DB task results) and by `lotrinh tasks`."""

from django.contrib import admin
from django.http import HttpRequest

from lotrinh.assessment.models import PendingRefresh


@admin.register(PendingRefresh)
class PendingRefreshAdmin(admin.ModelAdmin):
    list_display = ["programme", "marked_at"]
    list_select_related = ["programme"]
    ordering = ["marked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
