"""Forms of the task pages: they read typed input; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotrinh.workplan.models import ProgressStatus


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(
        label=_("Percent done"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    evidence_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    evidence_url = forms.CharField(
        label=_("Link to the evidence"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    blocked_reason = forms.CharField(
        label=_("Why it is blocked"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
