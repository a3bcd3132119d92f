"""Programmes, the shared indicator catalogue, data elements, targets and baselines."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.orgunits.models import OrgUnit


class Pillar(models.TextChoices):
    GOVERNMENT = "government", _("Digital government")
    ECONOMY = "economy", _("Digital economy")
    SOCIETY = "society", _("Digital society")
    FOUNDATION = "foundation", _("Foundations")


class UnitKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    GRDP_SHARE = "grdp_share", _("Share of GRDP")
    COUNT = "count", _("Count")
    RANK = "rank", _("Rank")
    INDEX = "index", _("Index")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Computation(models.TextChoices):
    DIRECT = "direct", _("Reported directly")
    RATIO = "ratio", _("Computed: numerator ÷ denominator")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")
    ABOUT = "~", _("about")
    EQUAL = "=", _("equal to")


class TargetLevel(models.TextChoices):
    PROVINCE = "tỉnh", _("province tier")
    DISTRICT = "huyện", _("district tier")
    COMMUNE = "xã", _("commune tier")


class YearSource(models.TextChoices):
    EXPLICIT = "explicit", _("stated in the sentence")
    SECTION = "section", _("from the heading or lead-in")
    NONE = "none", _("no year")
    DOCUMENT_DATE = "document_date", _("date of the document")


class DocumentType(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution (Nghị quyết)")
    DECISION = "decision", _("Decision (Quyết định)")
    CONCLUSION = "conclusion", _("Conclusion (Kết luận)")
    PLAN = "plan", _("Plan (Kế hoạch)")


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENT = "percent", _("Percentage (0–100)")


class DataElement(models.Model):
    """A raw quantity a unit reports, e.g. "tổng số hồ sơ công việc"."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("The counted noun: hộ, hồ sơ, trung tâm…")
    )
    value_type = models.CharField(
        _("value type"), max_length=8, choices=ValueType.choices, default=ValueType.INTEGER
    )
    min_value = models.DecimalField(
        _("lowest value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    is_confidential = models.BooleanField(
        _("confidential (state secret)"),
        default=False,
        help_text=_("Confidential values never leave through public channels."),
    )

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One measured quantity, shared by every programme that targets it."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=400, unique=True)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    unit_kind = models.CharField(_("unit kind"), max_length=12, choices=UnitKind.choices)
    unit = models.CharField(
        _("unit"), max_length=60, help_text=_("%, %GRDP, rank, or the counted noun.")
    )
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices)
    computation = models.CharField(_("computation"), max_length=8, choices=Computation.choices)
    numerator = models.ForeignKey(
        DataElement,
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        DataElement,
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_(
            "Other names of the same quantity, used to match programmes to this indicator."
        ),
    )
    reported_as = models.ForeignKey(
        DataElement,
        verbose_name=_("reported as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For an indicator reported directly: the data element that carries it."),
    )
    multiplier = models.DecimalField(_("multiplier"), max_digits=10, decimal_places=2, default=100)
    search_name = models.CharField(max_length=800, db_index=True, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pillar", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(computation="direct", numerator__isnull=True, denominator__isnull=True)
                    | models.Q(
                        computation="ratio", numerator__isnull=False, denominator__isnull=False
                    )
                ),
                name="indicator_formula_matches_computation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A resolution, decision or plan whose quantitative targets are tracked."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    number = models.CharField(_("document number"), max_length=60, help_text=_("e.g. 05-NQ/TU"))
    document_type = models.CharField(
        _("document type"), max_length=12, choices=DocumentType.choices
    )
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_(
            "The unit the programme was written for; for an old programme, the legacy province."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    document_text = models.TextField(_("document text"))
    search_name = models.CharField(max_length=800, db_index=True, editable=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["org_unit__name", "issued_on"]

    def __str__(self) -> str:
        return f"{self.number} — {self.org_unit.short_name or self.org_unit.name}"


class _Statement(models.Model):
    """Fields shared by targets and baselines: a figure for an indicator, with its source text."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    indicator_name = models.CharField(
        _("indicator as written"),
        max_length=400,
        help_text=_("The indicator name exactly as the reviewed record gives it."),
    )
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    level = models.CharField(_("tier"), max_length=6, choices=TargetLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    is_strict = models.BooleanField(_("strictly above"), default=False)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    value_max = models.DecimalField(
        _("upper value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=60)
    rank_total = models.PositiveSmallIntegerField(_("out of"), null=True, blank=True)
    text = models.TextField(_("source text"))
    text_start = models.PositiveIntegerField(_("start offset"))
    text_end = models.PositiveIntegerField(_("end offset"))
    year_source = models.CharField(_("year from"), max_length=14, choices=YearSource.choices)
    note = models.TextField(_("reviewer's note"), blank=True)
    source_line = models.PositiveIntegerField(_("line in the source file"))

    class Meta:
        abstract = True
        ordering = ["programme", "source_line"]

    def __str__(self) -> str:
        year = self.year or "—"
        return f"{self.indicator_name} ({year}): {self.comparator} {self.value}"


class Target(_Statement):
    """One quantitative target: indicator × scope × deadline × comparator × value, with its source."""

    period = models.CharField(
        _("recurrence"), max_length=10, blank=True, choices=[("annual", _("every year"))]
    )
    is_restatement = models.BooleanField(_("restatement"), default=False)
    is_borderline = models.BooleanField(_("borderline"), default=False)
    is_implicit_value = models.BooleanField(_("implicit value"), default=False)
    # When the target last changed: the open data's version reads it (a reworded target is
    # republished).
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta(_Statement.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "source_line"], name="target_unique_line"),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="target_indicator_year")]


class Baseline(_Statement):
    """A past figure stated in a programme's text (e.g. its "hiện trạng" section); not a target."""

    class Meta(_Statement.Meta):
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source_line"], name="baseline_unique_line"
            ),
        ]


class Observation(models.Model):
    """A real, published figure for a province (a DTI rank, an online-service rate, ...), with its source.

    These are not reported through a regime: they are read from public sources and always shown
    with the page they come from and the exact phrase quoted.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    indicator_name = models.CharField(_("indicator as published"), max_length=400)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="observations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_label = models.CharField(
        _("period"), max_length=60, help_text=_("As published: 2024, Q1/2024, 05/2024…")
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    is_lower_bound = models.BooleanField(_("lower bound (“more than”)"), default=False)
    unit = models.CharField(_("unit"), max_length=60)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    reference = models.CharField(
        _("document"), max_length=300, blank=True, help_text=_("The publishing document's number.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    quote = models.TextField(_("quoted phrase"), blank=True)
    source_line = models.PositiveIntegerField(
        _("line in the source file"), unique=True, null=True, blank=True
    )
    # When the figure was entered or last changed: kept assessments and the open data older than
    # this are out of date.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["indicator", "org_unit", "year", "period_label"]

    def __str__(self) -> str:
        return f"{self.indicator_name} · {self.org_unit} · {self.period_label}: {self.value}"
