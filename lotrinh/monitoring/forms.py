"""The form an officer fills to say how an indicator is measured."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotrinh.monitoring.models import DataSource, ReportingTier, SourceKind
from lotrinh.monitoring.services import NO_SOURCE, SourceInput
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
