"""Admin pages for API tokens (revoke, never read) and idempotency keys (read only, for support)."""

from django.contrib import admin
from django.http import HttpRequest

from lotrinh.api.models import ApiToken, IdempotencyKey


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `lotrinh create-api-token`, which shows the secret once; here an
    administrator sees who holds which token, when it was last used, and can deactivate it."""

    list_display = ["name", "user", "created_at", "last_used_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "user__username"]
    fields = ["user", "name", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "response_status", "created_at"]
    list_filter = ["method", "response_status"]
    search_fields = ["key", "user__username", "path"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
