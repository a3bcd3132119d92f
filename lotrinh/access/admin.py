from django.contrib import admin

from lotrinh.access.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role", "org_unit__structure", "org_unit__tier"]
    search_fields = ["user__username", "org_unit__name", "org_unit__code"]
    raw_id_fields = ["org_unit"]
    list_select_related = ["user", "org_unit"]
