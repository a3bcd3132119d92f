"""Tasks (nhiệm vụ) of a programme, assigned to agencies with deadlines, and their reported progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import Programme, Target
from lotrinh.orgunits.models import OrgUnit
from lotrinh.workplan.deadlines import Deadline


class DeadlineKind(models.TextChoices):
    DATE = "date", _("a date")
    QUARTER = "quarter", _("a quarter")
    YEAR = "year", _("a year")
    YEARLY = "yearly", _("every year")


class Task(models.Model):
    """Who must do what by when: one task of a programme, led by one unit with partners."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    # The unit the document named, kept when the task moved to its successor on 1/7/2025.
    reassigned_from = models.ForeignKey(
        OrgUnit,
        verbose_name=_("assigned before 01/07/2025 to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partners = models.ManyToManyField(
        OrgUnit, verbose_name=_("partners"), blank=True, related_name="partner_tasks"
    )
    targets = models.ManyToManyField(
        Target, verbose_name=_("targets served"), blank=True, related_name="tasks"
    )
    deadline_kind = models.CharField(_("deadline kind"), max_length=8, choices=DeadlineKind.choices)
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)
    deadline_quarter = models.PositiveSmallIntegerField(
        _("deadline quarter"), null=True, blank=True
    )
    deadline_date = models.DateField(_("deadline date"), null=True, blank=True)
    due_on = models.DateField(_("last day on time"), null=True, blank=True, db_index=True)
    evidence_required = models.BooleanField(
        _("evidence required when done"),
        default=True,
        help_text=_("A document number, a link or both must accompany “done”."),
    )
    text = models.TextField(_("source text"), blank=True)
    text_start = models.PositiveIntegerField(_("start offset"), null=True, blank=True)
    text_end = models.PositiveIntegerField(_("end offset"), null=True, blank=True)
    source_line = models.PositiveIntegerField(_("line in the source file"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the task last changed: the open data's version reads it.
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["programme", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "source_line"], name="task_unique_line"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            self.deadline_kind,
            year=self.deadline_year,
            quarter=self.deadline_quarter,
            day=self.deadline_date,
        )


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class ApprovalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class TaskProgress(models.Model):
    """One report of a task's state for a reporting period, by its lead agency, then approved.

    Reports are kept, never overwritten: a task's state on a day is its latest approved report
    describing that day or earlier (`workplan.queries.with_state`).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="progress"
    )
    period_code = models.CharField(_("period"), max_length=8)
    as_of = models.DateField(_("state on"))
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True, blank=True)
    evidence_number = models.CharField(_("document number"), max_length=100, blank=True)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    # A file of evidence (lotrinh.workplan.evidence): its random key under the data directory,
    # the sender's name made safe, its checked kind and its SHA-256.
    evidence_file = models.CharField(_("file of evidence"), max_length=64, blank=True)
    evidence_file_name = models.CharField(_("file name"), max_length=100, blank=True)
    evidence_file_kind = models.CharField(_("file kind"), max_length=8, blank=True)
    evidence_file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    blocked_reason = models.TextField(_("why it is blocked"), blank=True)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    state = models.CharField(
        _("approval"),
        max_length=10,
        choices=ApprovalState.choices,
        default=ApprovalState.SUBMITTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")
        ordering = ["task", "-as_of", "-pk"]
        indexes = [models.Index(fields=["task", "state", "as_of"], name="taskprogress_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
                name="taskprogress_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period_code}: {self.get_status_display()}"
