"""Forms of the task pages: they read typed input; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotrinh.workplan.models import ProgressStatus


class IdsField(forms.Field):
    """Several ids chosen in a list; which of them may be used is the service's to say."""

    widget = forms.SelectMultiple

    def to_python(self, value: object) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            return [int(str(v)) for v in values if str(v).strip()]
        except ValueError:
            raise forms.ValidationError(_("Choose from the list.")) from None


class TaskForm(forms.Form):
    """A task typed by a programme officer; `unit_choices` and `target_choices` fill the lists."""

    title = forms.CharField(label=_("Task"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Any unit id is read: the service explains why one outside the province is refused.
    lead = forms.IntegerField(label=_("Lead agency"), required=False, widget=forms.Select)
    partners = IdsField(label=_("Partners"), required=False)
    deadline = forms.CharField(
        label=_("Deadline"),
        max_length=40,
        help_text="30/09/2020, quý IV/2020, 2025, hằng năm",
    )
    evidence_required = forms.BooleanField(
        label=_("“Done” needs evidence (a document number, a link or a file)"), required=False
    )
    targets = IdsField(
        label=_("Targets served"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: object,
        unit_choices: list[tuple[int, str]],
        target_choices: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lead"].widget.choices = [("", "—"), *unit_choices]
        self.fields["partners"].widget.choices = unit_choices
        self.fields["targets"].widget.choices = target_choices


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
    evidence_file = forms.FileField(
        label=_("File of evidence (PDF, image, Word or Excel)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/*"}
        ),
    )
    blocked_reason = forms.CharField(
        label=_("Why it is blocked"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
