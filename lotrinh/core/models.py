"""The audit trail: every change to reported data or its status, with who, when, where and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How a change arrived, as people read it; the stored code stays for machines and exports.
CHANNEL_LABELS = {
    "web": _("web form"),
    "api": _("API"),
    "import": _("file import"),
    "system": _("system"),
}


class AuditEvent(models.Model):
    """One recorded change. Rows are only ever added, never updated or deleted by the application."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, blank=True, help_text=_("web, api, import, system")
    )
    action = models.CharField(_("action"), max_length=30)
    target_type = models.CharField(_("object type"), max_length=40)
    target_id = models.BigIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=80, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # An import changes many figures of a report at once: one event carries them all,
    # {code: [old, new]}; lotrinh.core.audit.per_figure shows it as one entry per figure.
    changes = models.JSONField(_("figures changed together"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "field"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id} {self.field}"

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))


class PreparedState(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class PreparedFile(models.Model):
    """A large download prepared by a background task (lotrinh.core.jobs), kept for the user who
    asked for it and for nobody else."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("what"), max_length=200)
    # The dotted path of the function that writes the file; set by code, never from a request.
    producer = models.CharField(_("made by"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=dict)
    language = models.CharField(_("language"), max_length=5)
    state = models.CharField(
        _("state"), max_length=10, choices=PreparedState.choices, default=PreparedState.PENDING
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("file"), default=b"", blank=True)
    # The page showing a ready result instead of a download (a URL name taking the id), if any.
    opens = models.CharField(max_length=80, blank=True)
    # The user's heavy slot (lotrinh.core.concurrency) this job holds until it has finished.
    slot = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} · {self.state}"


class ScheduledJob(models.Model):
    """One job the task worker runs on its own at set times (lotrinh.core.schedule): when it runs
    next and the queued task that will run it. A run moves `next_run_at` on with a conditional
    update, so however many tasks and workers exist, each time is run once; `run_in_progress`
    holds the time of the run taken and not yet finished, so that a run whose worker was killed
    is found and run again."""

    name = models.CharField(_("job"), max_length=50, primary_key=True)
    next_run_at = models.DateTimeField(_("next run"))
    # The queued task (django-tasks-db's result id) that makes the next run.
    task_id = models.CharField(_("queued task"), max_length=64, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    run_in_progress = models.DateTimeField(
        _("run in progress"),
        null=True,
        blank=True,
        help_text=_(
            "The time of the run taken and not yet finished or given up; empty when there is none."
        ),
    )

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
