"""Stored assessments: one target, one method, one data cut-off, with every figure behind the status.

`Assessment` is today's (what dashboards read); `PastAssessment` keeps the same figures as they
stood at a past cut-off (a quarter end, a review's "số liệu đến 31/12/2025"), one per cut-off."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import Target


class AssessmentStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    ACCELERATION_NEEDED = "acceleration_needed", _("Acceleration needed")
    ADJUSTMENT_NEEDED = "adjustment_needed", _("Adjustment needed")
    LIMITED = "limited", _("Limited or no progress")
    DETERIORATION = "deterioration", _("Deterioration")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")


class AssessmentFigures(models.Model):
    """Every figure of one assessment, shared by today's and past ones."""

    method = models.CharField(_("method"), max_length=30)
    method_version = models.CharField(_("method version"), max_length=20)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    data_cutoff = models.DateField(_("data up to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    base_year = models.FloatField(_("base year"), null=True, blank=True)
    base_value = models.FloatField(_("base value"), null=True, blank=True)
    base_source = models.CharField(_("base from"), max_length=20, blank=True)
    latest_year = models.FloatField(_("latest year"), null=True, blank=True)
    latest_value = models.FloatField(_("latest value"), null=True, blank=True)
    target_year = models.FloatField(_("target year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    cagr_actual = models.FloatField(_("actual growth per year"), null=True, blank=True)
    cagr_required = models.FloatField(_("required growth per year"), null=True, blank=True)
    ratio = models.FloatField(_("ratio"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    forecast_year = models.FloatField(_("forecast year"), null=True, blank=True)
    forecast_value = models.FloatField(_("forecast value"), null=True, blank=True)
    gap = models.FloatField(_("gap at the deadline"), null=True, blank=True)
    deadline_passed = models.BooleanField(_("deadline passed"), default=False)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    series = models.JSONField(
        _("values used"),
        default=list,
        blank=True,
        help_text=_(
            "Every point (date, value, source, completeness, territory covered, whether the "
            "status rests on it), for charts and audits."
        ),
    )

    class Meta:
        abstract = True


class Assessment(AssessmentFigures):
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="assessments"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["target", "method"], name="assessment_unique_method")
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.method}: {self.status}"


class PendingRefresh(models.Model):
    """A programme whose stored assessments may be older than its approved data.

    Marking it queues one task; approvals arriving while the mark stands queue nothing more, so a
    burst of approvals in one province costs one re-assessment (`assessment.refresh`)."""

    programme = models.OneToOneField(
        "indicators.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_refresh",
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("programme awaiting re-assessment")
        verbose_name_plural = _("programmes awaiting re-assessment")

    def __str__(self) -> str:
        return str(self.programme)


class PastAssessment(AssessmentFigures):
    """A target's assessment from the figures approved (or published) by `as_of`, kept per cut-off."""

    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        related_name="past_assessments",
    )
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("past assessment")
        verbose_name_plural = _("past assessments")
        ordering = ["target", "method", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "method", "as_of"], name="past_assessment_unique_cutoff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.method} · {self.as_of}: {self.status}"
