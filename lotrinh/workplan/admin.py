from django.contrib import admin
from django.http import HttpRequest

from lotrinh.workplan.models import Task, TaskProgress


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "lead_unit", "deadline_kind", "due_on"]
    list_filter = ["deadline_kind", "programme"]
    search_fields = ["title"]
    raw_id_fields = ["lead_unit", "reassigned_from", "partners", "targets"]

    # Tasks change through the services (validation, audit): the admin only reads them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ["task", "period_code", "status", "percent", "state", "is_illustrative"]
    list_filter = ["status", "state", "is_illustrative"]
    raw_id_fields = ["task", "reporter", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
