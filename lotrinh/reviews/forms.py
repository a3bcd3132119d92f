"""The letterhead form on the programme's review page: its checks are `metadata.parse_metadata`'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotrinh.reviews.metadata import FIELD_LABELS, MetadataError, parse_day, parse_metadata
from lotrinh.reviews.models import Format, Layout


class ReviewForm(forms.Form):
    as_of = forms.CharField(label=_("Figures up to"), help_text=_("e.g. 31/12/2025"))
    format = forms.ChoiceField(label=_("format"), choices=Format.choices)
    layout = forms.ChoiceField(label=FIELD_LABELS["layout"], choices=Layout.choices)
    parent_body = forms.CharField(label=FIELD_LABELS["parent_body"], required=False)
    issuing_body = forms.CharField(label=FIELD_LABELS["issuing_body"], required=False)
    number = forms.CharField(label=FIELD_LABELS["number"], required=False)
    symbol = forms.CharField(label=FIELD_LABELS["symbol"], required=False)
    place = forms.CharField(label=FIELD_LABELS["place"], required=False)
    issued_on = forms.CharField(label=FIELD_LABELS["issued_on"], required=False)
    title = forms.CharField(label=FIELD_LABELS["title"], required=False)
    signer_authority = forms.CharField(label=FIELD_LABELS["signer_authority"], required=False)
    signer_title = forms.CharField(label=FIELD_LABELS["signer_title"], required=False)
    signer_name = forms.CharField(label=FIELD_LABELS["signer_name"], required=False)
    recipients = forms.CharField(
        label=FIELD_LABELS["recipients"], required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["as_of_day"] = parse_day(data.get("as_of", ""))
        except Exception as error:  # a UserFacingError: shown in both languages
            self.add_error("as_of", str(error))
        try:
            parse_metadata(data)
        except MetadataError as error:
            for name, problem in error.errors.items():
                self.add_error(name, problem.bilingual())
        return data
