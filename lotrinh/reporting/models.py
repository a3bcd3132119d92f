"""Reporting regimes (Decree 09/2019/NĐ-CP), their periods and forms, reports, values and rules."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import DataElement
from lotrinh.orgunits.models import OrgUnit
from lotrinh.orgunits.models import Tier as OrgTier
from lotrinh.reporting.periods import period_code_on, period_label
from lotrinh.reporting.rules import RuleError, check_rule_names, compile_rule


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Six-monthly")
    ANNUAL = "annual", _("Annual")


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic (định kỳ)")
    THEMATIC = "thematic", _("Thematic (chuyên đề)")
    AD_HOC = "ad_hoc", _("Ad hoc (đột xuất)")


class ReportingRegime(models.Model):
    """A reporting regime with every element Decree 09/2019/NĐ-CP (Điều 8) requires."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("report name"), max_length=300)
    content = models.TextField(_("content"), help_text=_("What the report covers."))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.PERIODIC
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    cutoff_day = models.PositiveSmallIntegerField(
        _("cut-off day"),
        default=15,
        help_text=_(
            "Data are counted from this day of the month before the period to the day before it in "
            "the period's last month (Decree 09: the 15th to the 14th)."
        ),
    )
    reporting_tiers = models.JSONField(
        _("reporting tiers"),
        default=list,
        blank=True,
        help_text=_("Tiers that report: province, district, commune, agency."),
    )
    reporting_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("also reporting"),
        blank=True,
        related_name="+",
        help_text=_("Units that report in addition to the tiers."),
    )
    scopes = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("territories"),
        related_name="regimes",
        help_text=_("The provinces (of either structure) whose units report under this regime."),
    )
    receiving_unit = models.CharField(_("receiving body"), max_length=300)
    sending_method = models.CharField(
        _("sending and receiving method"),
        max_length=300,
        default="Hệ thống thông tin báo cáo của tỉnh",
    )
    deadline_days = models.JSONField(
        _("deadline (days after cut-off) per tier"),
        default=dict,
        help_text=_('For example {"commune": 2, "district": 4, "agency": 4, "province": 6}.'),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    is_active = models.BooleanField(_("active"), default=True)
    completeness_threshold = models.DecimalField(
        _("completeness threshold"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "Share of the expected units (0 to 1) whose approved reports make a period's total "
            "count for targets; below it the figure is provisional. Empty: the site's setting."
        ),
    )
    approver_must_differ = models.BooleanField(
        _("approver must differ from submitter"),
        default=True,
        help_text=_(
            "When on, the person who submitted a report may not approve it: a second person checks "
            "every figure."
        ),
    )

    class Meta:
        verbose_name = _("reporting regime")
        verbose_name_plural = _("reporting regimes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def required_completeness(self) -> float:
        """The share of expected units with approved reports from which a period's figures count."""
        if self.completeness_threshold is not None:
            return float(self.completeness_threshold)
        return float(settings.LOTRINH_COMPLETENESS_THRESHOLD)


def validity_label(
    frequency: str, valid_from: datetime.date | None, valid_until: datetime.date | None
) -> str:
    """The periods a field or rule applies to, as people read them ("from Q3 2026"); empty when
    it applies to every period."""
    first = period_label(period_code_on(frequency, valid_from)) if valid_from else ""
    last = period_label(period_code_on(frequency, valid_until)) if valid_until else ""
    if first and last:
        return _("from %(first)s to %(last)s") % {"first": first, "last": last}
    if first:
        return _("from %(first)s") % {"first": first}
    if last:
        return _("until %(last)s") % {"last": last}
    return ""


class FormField(models.Model):
    """One line of a regime's form: a data element, in order, with help for the reporter."""

    regime = models.ForeignKey(ReportingRegime, on_delete=models.CASCADE, related_name="fields")
    data_element = models.ForeignKey(
        DataElement, verbose_name=_("data element"), on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=200, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    # A form changes from a period on: a field applies to the periods inside these days (empty: no
    # limit), so reports of earlier periods keep the form they were made with and stay readable.
    valid_from = models.DateField(
        _("applies from"),
        null=True,
        blank=True,
        help_text=_("First day of the first period whose reports carry this field."),
    )
    valid_until = models.DateField(
        _("applies until"),
        null=True,
        blank=True,
        help_text=_("Last day of the last period whose reports carry this field."),
    )
    # A line only some of the regime's tiers report (the figures of a province-level target that
    # departments report, beside the communes' lines) is on the form of those units only.
    tiers = models.JSONField(
        _("reported by"),
        default=list,
        blank=True,
        help_text=_(
            "The tiers whose units report this field (province, district, commune, agency); "
            "empty: every unit that reports under the regime."
        ),
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["regime", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "data_element"], name="formfield_unique_element"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.data_element}"

    @property
    def validity(self) -> str:
        """The periods this field applies to, as people read them ("from Q3 2026"); empty when
        it applies to every period."""
        return validity_label(self.regime.frequency, self.valid_from, self.valid_until)

    @property
    def reporters(self) -> str:
        """The tiers whose units report this field, as people read them; empty: every unit."""
        return ", ".join(str(OrgTier(t).label) for t in self.tiers if t in OrgTier.values)

    def applies_to(self, period: Period) -> bool:
        """Whether reports of `period` carry this field (the rule `in_force` states for queries)."""
        return (self.valid_from is None or self.valid_from <= period.starts_on) and (
            self.valid_until is None or self.valid_until >= period.ends_on
        )

    def reported_by(self, tier: str | None) -> bool:
        """Whether units of `tier` report this field; None asks for the whole form, every tier's
        lines (the regime's page, the proposal of a form change, bulk writers' element ids)."""
        return tier is None or not self.tiers or tier in self.tiers


class Severity(models.TextChoices):
    ERROR = "error", _("Error: blocks submission")
    WARNING = "warning", _("Warning: needs an explanation")


class ValidationRule(models.Model):
    """A rule across fields, stored as a readable expression over data element codes."""

    regime = models.ForeignKey(ReportingRegime, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("code"), max_length=60)
    expression = models.CharField(
        _("expression"),
        max_length=500,
        help_text=_("e.g. ho_so_cong_viec_dien_tu <= tong_ho_so_cong_viec"),
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    message_vi = models.CharField(_("message in Vietnamese"), max_length=300)
    message_en = models.CharField(_("message in English"), max_length=300)
    # Like a form field, a rule added by a form change applies from a period on (reporting.queries
    # in_force states the rule for both).
    valid_from = models.DateField(
        _("applies from"),
        null=True,
        blank=True,
        help_text=_("First day of the first period whose reports are checked by this rule."),
    )
    valid_until = models.DateField(
        _("applies until"),
        null=True,
        blank=True,
        help_text=_("Last day of the last period whose reports are checked by this rule."),
    )

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [models.UniqueConstraint(fields=["regime", "code"], name="rule_unique_code")]

    def __str__(self) -> str:
        return self.expression

    @property
    def validity(self) -> str:
        """The periods whose reports this rule checks ("from Q3 2026"); empty: every period."""
        return validity_label(self.regime.frequency, self.valid_from, self.valid_until)

    def clean(self) -> None:
        codes = (
            list(self.regime.fields.values_list("data_element__code", flat=True))
            if self.regime_id
            else []
        )
        try:
            compile_rule(self.expression)
            if codes:
                check_rule_names(self.expression, codes)
        except RuleError as exc:
            raise ValidationError({"expression": exc.bilingual()}) from exc


class Period(models.Model):
    """One reporting period of a regime, with the ids other systems use (2025Q2, 2025S1, 2025, 202506)."""

    regime = models.ForeignKey(ReportingRegime, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("code"), max_length=8)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    cutoff_from = models.DateField(_("data counted from"))
    cutoff_to = models.DateField(_("data counted until"))
    is_locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["regime", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="period_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """The period as people read it ("Quý III/2026"): reporting.periods.period_label."""
        return period_label(self.code)

    def is_open_on(self, day: datetime.date) -> bool:
        return not self.is_locked and day >= self.cutoff_from


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Report(models.Model):
    """One unit's report for one period of one regime."""

    regime = models.ForeignKey(ReportingRegime, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    returned_version = models.PositiveIntegerField(
        _("version when returned"),
        null=True,
        blank=True,
        help_text=_(
            "The report's version when it was last returned or reopened: resubmitted at this "
            "version, nothing in it has changed since."
        ),
    )
    # The database default lets bulk writers (COPY) that list only the columns they fill work.
    reply = models.TextField(
        _("reply to the approver"),
        blank=True,
        default="",
        db_default="",
        help_text=_("The unit's explanation (giải trình) sent with its last submission."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Generated sample data, not reported by a real unit."),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__starts_on", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "period", "org_unit"], name="report_unique_unit_period"
            ),
        ]
        indexes = [
            models.Index(fields=["regime", "period", "status"], name="report_regime_period_status")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.period}"

    @property
    def is_locked(self) -> bool:
        """Submitted and approved reports are read-only (a correction reopens them)."""
        return self.status in {Status.SUBMITTED, Status.APPROVED}


class DataValue(models.Model):
    """One reported figure. Its unit and period are its report's: aggregation over a territory and
    periods selects the reports first (indexed by unit), then their figures by (report, element)."""

    # The primary key (report, data_element) is the table's only index: every index of this table
    # (tens of millions of rows) is maintained for each imported figure, and a bulk import's write
    # time grew with each one (a surrogate id cost a sequence call and an index more); reads go
    # through the report, whose indexes are small.
    pk = models.CompositePrimaryKey("report", "data_element")
    # Real foreign keys (deferred to commit on PostgreSQL, so a bulk COPY is checked once per
    # transaction): no figure can outlive its report or data element, whatever writes the table.
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="values", db_index=False
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(
        _("report version of the last change"),
        default=1,
        help_text=_(
            "Lets a save that started from an older version learn which figures changed meanwhile."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")

    def __str__(self) -> str:
        return f"{self.data_element.code} = {self.value}"


class DraftText(models.Model):
    """What a reporter typed for a figure that could not be read ("abc", -3 for a count), kept on
    the draft with its error until it is corrected: typed work is never dropped silently, and a
    report holding any of these cannot be submitted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="draft_texts")
    data_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("as typed"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("figure kept as typed")
        verbose_name_plural = _("figures kept as typed")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "data_element"], name="drafttext_unique_element"
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_element_id}: {self.text}"


class Notification(models.Model):
    """An in-app message (reminders, returns, approvals). A message sent once for some identity
    (a reminder of a unit's report on a day, an approver's digest) names it in `dedupe_key`, and
    the database keeps at most one message per key, whatever writes them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_sent_once",
            )
        ]

    def __str__(self) -> str:
        return self.text


class UsualRanges(models.Model):
    """A unit's usual range of each figure for one period, computed from its approved figures of the
    periods before (see reporting.usual_ranges). Kept when reports are approved, so that an import
    of a whole quarter reads one row per unit instead of a million historical figures; `basis`
    names the approved reports it came from, and a row whose basis no longer matches is ignored."""

    regime = models.ForeignKey(ReportingRegime, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=40)
    # (data element id, low, high) per figure as float64 triples: read back for thousands of units
    # at once without parsing text (low is -inf after a zero).
    ranges = models.BinaryField(default=bytes)

    class Meta:
        verbose_name = _("usual ranges")
        verbose_name_plural = _("usual ranges")
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "period", "org_unit"], name="usualranges_unique_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.period_id}"
