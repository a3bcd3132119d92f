"""Admin for programmes, indicators, data elements, targets and baselines."""

from __future__ import annotations

from django.contrib import admin

from lotrinh.indicators.models import (
    Baseline,
    DataElement,
    Indicator,
    Observation,
    Programme,
    Target,
)


class TargetInline(admin.TabularInline):
    model = Target
    fields = [
        "indicator_name",
        "pillar",
        "level",
        "year",
        "comparator",
        "value",
        "value_max",
        "unit",
    ]
    readonly_fields = list(fields)  # type: ignore[arg-type]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "org_unit", "issued_on", "document_type"]
    list_filter = ["document_type"]
    search_fields = ["number", "title", "search_name"]
    raw_id_fields = ["org_unit"]
    inlines = [TargetInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "pillar", "unit_kind", "direction", "computation"]
    list_filter = ["pillar", "unit_kind", "computation", "direction"]
    search_fields = ["name", "name_en", "code", "search_name"]
    raw_id_fields = ["numerator", "denominator"]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_confidential"]
    list_filter = ["is_confidential"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "indicator_name",
        "programme",
        "level",
        "year",
        "comparator",
        "value",
        "value_max",
        "unit",
    ]
    list_filter = ["pillar", "year", "level", "comparator", "programme"]
    search_fields = ["indicator_name", "text"]
    list_select_related = ["programme", "programme__org_unit"]
    raw_id_fields = ["indicator", "programme"]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["indicator_name", "programme", "year", "value", "unit"]
    list_filter = ["programme"]
    search_fields = ["indicator_name", "text"]
    raw_id_fields = ["indicator", "programme"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator_name", "org_unit", "period_label", "value", "unit", "source_url"]
    list_filter = ["year", "org_unit"]
    search_fields = ["indicator_name", "quote", "source_url"]
    raw_id_fields = ["indicator", "org_unit"]
