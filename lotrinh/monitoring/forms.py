"""The form an officer fills to say how an indicator is measured."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import Indicator
from lotrinh.monitoring.models import DataSource, ReportingTier, SourceKind
from lotrinh.monitoring.published import PublishedFigure
from lotrinh.monitoring.services import NO_SOURCE, SourceInput
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Frequency, ReportingRegime

KIND_CHOICES = [*SourceKind.choices, (NO_SOURCE, _("No source yet"))]


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=[("", "—"), *Frequency.choices], required=False
    )
    regime = forms.ChoiceField(label=_("Reporting regime"), required=False)
    reporting_tiers = forms.MultipleChoiceField(
        label=_("Reported by"),
        choices=ReportingTier.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    first_period = forms.CharField(
        label=_("First period"), max_length=8, required=False, help_text=_("2026Q1, 2026S1, 2026…")
    )
    publisher = forms.CharField(label=_("Published by"), max_length=300, required=False)
    reference = forms.CharField(label=_("Document or web address"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, regimes: list[ReportingRegime], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = [("", "—")] + [(r.code, r.name) for r in regimes]  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, source: DataSource | None) -> dict[str, object]:
        if source is None:
            return {"kind": NO_SOURCE}
        return {
            "kind": source.kind,
            "frequency": source.frequency,
            "regime": source.regime.code if source.regime else "",
            "reporting_tiers": source.reporting_tiers,
            "first_period": source.first_period,
            "publisher": source.publisher,
            "reference": source.reference,
            "note": source.note,
        }

    def source_input(self) -> SourceInput:
        data = self.cleaned_data
        return SourceInput(
            kind=data["kind"],
            frequency=data["frequency"],
            regime=data["regime"],
            reporting_tiers=tuple(data["reporting_tiers"]),
            first_period=data["first_period"].strip(),
            publisher=data["publisher"],
            reference=data["reference"],
            note=data["note"],
        )


class PublishedFigureForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"))
    year = forms.IntegerField(label=_("Reference year"), min_value=2000, max_value=2100)
    period = forms.CharField(
        label=_("Reference period"), max_length=60, help_text=_("As published: 2025, Q1/2025…")
    )
    value = forms.CharField(
        label=_("Value"), max_length=40, help_text=_("“>90” for “more than 90”.")
    )
    unit = forms.CharField(label=_("Unit"), max_length=60)
    source_url = forms.CharField(label=_("Web address"), max_length=500, required=False)
    reference = forms.CharField(label=_("Document"), max_length=300, required=False)
    published_on = forms.DateField(
        label=_("Published on"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    quote = forms.CharField(
        label=_("Quoted phrase"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, provinces: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provinces = {str(p.pk): p for p in provinces}
        self.fields["province"].choices = [(str(p.pk), p.name) for p in provinces]  # type: ignore[attr-defined]

    def figure(self, indicator: Indicator) -> PublishedFigure:
        data = self.cleaned_data
        return PublishedFigure(
            indicator=indicator,
            province=self.provinces[data["province"]],
            year=data["year"],
            period=data["period"],
            value=data["value"],
            unit=data["unit"],
            source_url=data["source_url"],
            reference=data["reference"],
            published_on=data["published_on"],
            quote=data["quote"],
        )
