"""Forms of the import pages: which regime and period, which units, which file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from lotrinh.access.models import Membership, Role
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Period, ReportingRegime


class ImportTargetForm(forms.Form):
    regime = forms.ModelChoiceField(
        ReportingRegime.objects.filter(is_active=True),
        to_field_name="code",
        label=_("Reporting regime"),
    )
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("For example 2025Q3, 2025S1, 2025 or 202506.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        regime = data.get("regime")
        code = (data.get("period") or "").strip().upper()
        if regime is not None and code:
            found = Period.objects.filter(regime=regime, code=code).first()
            if found is None:
                raise forms.ValidationError(
                    _("The regime has no period %(period)s."), params={"period": code}
                )
            data["period_obj"] = found
        return data


class TemplateForm(ImportTargetForm):
    within = forms.ModelChoiceField(
        OrgUnit.objects.none(),
        required=False,
        label=_("Units"),
        empty_label=_("All units I report for"),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (UTF-8)")]
    )

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [Role.REPORTER, Role.APPROVER, Role.ADMINISTRATOR]
        unit_ids = Membership.objects.filter(user_id=user.pk or 0, role__in=roles).values(
            "org_unit_id"
        )
        within = self.fields["within"]
        assert isinstance(within, forms.ModelChoiceField)
        within.queryset = OrgUnit.objects.filter(pk__in=unit_ids).order_by("path")


class UploadForm(ImportTargetForm):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ApplyForm(forms.Form):
    token = forms.CharField(max_length=64)
    fingerprint = forms.CharField(max_length=64)
