"""Forms of the import pages: which regime and period, which units, which file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotrinh.access.models import Membership, Role
from lotrinh.core.errors import UserFacingError
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.periods import period_label, period_label_lazy
from lotrinh.reporting.queries import open_periods


def period_choices(regime: ReportingRegime | None) -> list[tuple[str, str]]:
    """(code, label) of the regime's open periods, newest first: ("2026Q4", "Quý IV/2026")."""
    if regime is None:
        return []
    codes = open_periods(regime, timezone.localdate()).values_list("code", flat=True)
    return [(code, period_label(code)) for code in codes]


class ImportTargetForm(forms.Form):
    regime = forms.ModelChoiceField(
        ReportingRegime.objects.filter(is_active=True),
        to_field_name="code",
        label=_("Reporting regime"),
        empty_label=None,
        # Choosing another regime fetches its periods into the next select (htmx, no inline script).
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("importing:period-options"),
                "hx-trigger": "change",
                "hx-target": "next select",
                "hx-swap": "innerHTML",
            }
        ),
    )
    period = forms.CharField(label=_("Period"), widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regimes = ReportingRegime.objects.filter(is_active=True)
        code = self.data.get("regime") if self.is_bound else None
        regime = regimes.filter(code=code).first() if code else None
        if regime is None and not self.is_bound:
            regime = regimes.first()
            self.initial.setdefault("regime", regime.code if regime else None)
        widget = self.fields["period"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = period_choices(regime)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        regime = data.get("regime")
        code = (data.get("period") or "").strip()
        if regime is not None and code:
            found = open_periods(regime, timezone.localdate()).filter(code=code).first()
            if found is None:
                error = UserFacingError(
                    _(
                        "“%(period)s” is not a period of “%(regime)s” whose figures can be "
                        "entered now. Choose a period from the list."
                    ),
                    period=period_label_lazy(code),
                    regime=regime.name,
                )
                self.add_error("period", [error.text("vi"), error.text("en")])
            else:
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
