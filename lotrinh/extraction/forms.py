"""Forms of the extraction pages: the document to read, one row per proposed target, the programme.

The document and the extractor's non-editable facts travel between the steps in a signed, compressed
field (`sign_review` / `unsign_review`), never in the database: a changed or expired field is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.forms import formset_factory
from django.forms.utils import ErrorDict, flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lotrinh.extraction.documents import (
    ExtractionError,
    check_length,
    check_size,
    read_document,
)
from lotrinh.extraction.limits import current_limits
from lotrinh.extraction.naming import direction_for
from lotrinh.extraction.parsing import ProposedTarget
from lotrinh.indicators.models import Direction, DocumentType, Pillar, TargetLevel
from lotrinh.indicators.parsing import MAX_YEAR, MIN_YEAR

SALT = "lotrinh.extraction.review"
# A review left open overnight can still be saved; one from last week must be extracted again.
REVIEW_MAX_AGE = 2 * 24 * 3600

# What the reviewer picks, and the (comparator, strict) pair it stands for.
COMPARATOR_CHOICES = [
    (">=", "≥"),
    (">", ">"),
    ("<=", "≤"),
    ("~", "≈"),
    ("=", "="),
]
_COMPARATOR_PAIRS = {">=": (">=", False), ">": (">=", True), "<=": ("<=", False)}
_COMPARATOR_PAIRS |= {"~": ("~", False), "=": ("=", False)}
ACCEPT_CONFIDENCE = 0.5


def comparator_choice(comparator: str, strict: bool) -> str:
    return ">" if comparator == ">=" and strict else comparator


def comparator_pair(choice: str) -> tuple[str, bool]:
    return _COMPARATOR_PAIRS[choice]


@dataclass(frozen=True)
class ReviewState:
    """What the review step needs from the extraction step, carried in a signed field."""

    document: str
    # Per proposal: start, end, rank_total, period, year_source, confidence, rule, and the year
    # proposed with where the document states it (year_span).
    proposals: list[dict[str, Any]]


def review_state(document: str, targets: list[ProposedTarget]) -> ReviewState:
    proposals = [
        {
            "start": t.start,
            "end": t.end,
            "rank_total": t.rank_total,
            "period": t.period or "",
            "year_source": t.year_source,
            "confidence": t.confidence,
            "rule": t.rule,
            "year": t.year,
            "year_span": list(t.year_span) if t.year_span else None,
        }
        for t in targets
    ]
    return ReviewState(document, proposals)


def sign_review(state: ReviewState) -> str:
    data = {"document": state.document, "proposals": state.proposals}
    return signing.dumps(data, salt=SALT, compress=True)


def unsign_review(token: str) -> ReviewState | None:
    """The state of a review, or None when the token was changed or is too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=REVIEW_MAX_AGE)
    except signing.BadSignature:
        return None
    return ReviewState(document=data["document"], proposals=data["proposals"])


class SourceForm(forms.Form):
    """Step 1: paste the text, or upload a .txt, .docx or .pdf file."""

    text = forms.CharField(
        label=_("Paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("or upload a file (.txt, .docx, .pdf)"),
        required=False,
        allow_empty_file=True,  # read_document explains an empty file in both languages
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError(_("Paste the text or choose a file, not both."))
        if not upload and not text.strip():
            raise forms.ValidationError(_("Paste the text of the document or choose a file."))
        limits = current_limits()
        try:
            if upload:
                check_size(upload.size or 0, limits.largest_upload)
                cleaned["document"] = read_document(upload.read(), upload.name or "", limits)
            else:
                check_length(text, limits)
                cleaned["document"] = text
        except ExtractionError as error:
            raise forms.ValidationError(error.bilingual()) from error
        return cleaned


class CatalogueSelect(forms.Select):
    """A select of the whole catalogue, written with plain string joins.

    A review page holds one per row (dozens) with ~150 options each; Django's widget templates take
    seconds for that, this takes milliseconds. Option groups are supported, as in `Select`.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = "" if value is None else str(value[0] if isinstance(value, list) else value)
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(key)}">')
                parts.extend(self._option(k, text, selected) for k, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(key, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above

    @staticmethod
    def _option(key: Any, label: Any, selected: str) -> str:
        mark = " selected" if str(key) == selected else ""
        return f'<option value="{escape(key)}"{mark}>{escape(label)}</option>'


class ProposalForm(forms.Form):
    """One proposed target. A row that is not accepted is not validated: it will not be saved."""

    accept = forms.BooleanField(label=_("Accept"), required=False)
    indicator = forms.ChoiceField(
        label=_("Indicator in the catalogue"), required=False, widget=CatalogueSelect
    )
    name = forms.CharField(label=_("Indicator as written"), max_length=400)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    level = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", "—"), *TargetLevel.choices]
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    comparator = forms.ChoiceField(label=_("Comparator"), choices=COMPARATOR_CHOICES)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    value_max = forms.DecimalField(
        label=_("Upper value"), required=False, max_digits=14, decimal_places=4
    )
    unit = forms.CharField(label=_("Unit"), max_length=60)
    text = forms.CharField(
        label=_("Source text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    direction = forms.ChoiceField(
        label=_("Better when (new indicator)"), choices=Direction.choices, initial="increase"
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("target", _("Target")), ("baseline", _("Baseline (a past figure)"))],
        initial="target",
    )

    def __init__(self, *args: Any, indicator_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("➕ New indicator (the name as written)")), *indicator_choices]
        # Each input says which row it belongs to, for screen readers (the table has no labels).
        number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        for name, each in self.fields.items():
            each.widget.attrs["aria-label"] = f"{each.label} ({number})"
            if name == "accept":
                each.widget.attrs["class"] = "accept"

    def is_accepted(self) -> bool:
        return bool(self["accept"].value()) if self.is_bound else bool(self.initial.get("accept"))

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.is_accepted():
            self._errors = ErrorDict()


ProposalFormSet = formset_factory(ProposalForm, extra=0)


def proposal_initial(target: ProposedTarget, indicator_id: int | None) -> dict[str, Any]:
    return {
        "accept": target.confidence >= ACCEPT_CONFIDENCE,
        "indicator": str(indicator_id) if indicator_id else "",
        "name": target.indicator,
        "pillar": target.pillar,
        "level": target.level or "",
        "year": target.year,
        "comparator": comparator_choice(target.comparator, target.strict),
        "value": target.value,
        "value_max": target.value_max,
        "unit": target.unit,
        "text": target.text,
        "kind": "baseline" if target.is_baseline else "target",
        "direction": direction_for(target.unit, target.comparator),
    }


class ProgrammeForm(forms.Form):
    """Where the accepted targets go: a new programme, or one the user already manages."""

    destination = forms.ChoiceField(
        label=_("Save into"),
        choices=[("new", _("a new programme")), ("existing", _("an existing programme"))],
        initial="new",
        widget=forms.RadioSelect,
    )
    existing = forms.ChoiceField(label=_("Programme"), required=False)
    number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=DocumentType.choices
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    issuer = forms.CharField(label=_("Issued by"), required=False, max_length=200)
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    code = forms.SlugField(
        label=_("Code"),
        required=False,
        max_length=80,
        help_text=_("Used in the address of the programme's page, e.g. gia-lai-05-nq-tu."),
    )

    def __init__(
        self,
        *args: Any,
        programme_choices: list[tuple[str, str]],
        province_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_destinations = bool(programme_choices or province_choices)
        for name, choices in (("existing", programme_choices), ("province", province_choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "—"), *choices]

    _NEW_FIELDS = ("number", "document_type", "title", "issuer", "issued_on", "province", "code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("destination") == "existing":
            if not cleaned.get("existing"):
                self.add_error("existing", _("Choose the programme."))
        else:
            for name in self._NEW_FIELDS:
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, _("This field is required."))
        return cleaned
