"""Admin for units: loaded units are read-only reference data; agencies can be added under a province."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Tier
from lotrinh.orgunits.services import create_agency


class AgencyForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["parent", "name", "code"]
        labels = {"parent": _("Province")}
        help_texts = {"code": _("Leave empty to make one from the name.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].required = True
        provinces = OrgUnit.objects.filter(tier=Tier.PROVINCE).order_by("structure", "name")
        self.fields["parent"].queryset = provinces  # type: ignore[attr-defined]
        self.fields["code"].required = False


class SuccessorInline(admin.TabularInline):
    model = OrgUnitSuccession
    fk_name = "predecessor"
    fields = ["successor", "kind", "is_default", "effective_on"]
    readonly_fields = list(fields)  # type: ignore[arg-type]
    extra = 0
    can_delete = False
    verbose_name_plural = _("successors")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "tier", "structure", "parent", "valid_from", "valid_to"]
    list_filter = ["structure", "tier", "unit_type"]
    search_fields = ["name", "code", "search_name"]
    list_select_related = ["parent"]
    readonly_fields = [
        "structure",
        "tier",
        "code",
        "name",
        "short_name",
        "unit_type",
        "parent",
        "path",
        "valid_from",
        "valid_to",
        "latitude",
        "longitude",
        "area_km2",
    ]
    inlines = [SuccessorInline]
    show_full_result_count = False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = AgencyForm
            kwargs["fields"] = AgencyForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"parent": request.GET.get("parent")}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Loaded units are reference data from the GSO tables: refresh them with `lotrinh load-units`.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.tier == Tier.AGENCY
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            super().has_delete_permission(request, obj)
            and obj is not None
            and obj.tier == Tier.AGENCY
        )

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = create_agency(
                request.user,
                form.cleaned_data["parent"],
                form.cleaned_data["name"],
                form.cleaned_data.get("code") or "",
            )
        except UserFacingError as exc:
            raise forms.ValidationError(exc.text("vi")) from exc
        obj.pk = created.pk


@admin.register(OrgUnitSuccession)
class OrgUnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "is_default", "effective_on"]
    list_filter = ["kind", "is_default", "predecessor__tier"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code", "successor__code"]
    list_select_related = ["predecessor", "successor"]
    raw_id_fields = ["predecessor", "successor"]
    show_full_result_count = False
