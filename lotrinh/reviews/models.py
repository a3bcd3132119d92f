"""A programme's review report (sơ kết / tổng kết): its remembered letterhead and the drafts made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import Programme


class Layout(models.TextChoices):
    STATE = "state", _("State body (Decree 30/2020/NĐ-CP)")
    PARTY = "party", _("Party committee (Guidance 36-HD/VPTW)")


class Format(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


class ReviewSettings(models.Model):
    """The letterhead, number, place, signer and recipients of a programme's review, remembered
    so that the next draft starts from them."""

    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="review_settings",
    )
    layout = models.CharField(_("layout"), max_length=5, choices=Layout.choices)
    parent_body = models.CharField(_("parent body"), max_length=120, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=120)
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=30)
    place = models.CharField(_("place"), max_length=60)
    issued_on = models.DateField(_("date"))
    title = models.CharField(_("summary line"), max_length=300)
    signer_authority = models.CharField(_("signing on behalf of"), max_length=40, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120)
    signer_name = models.CharField(_("signer"), max_length=120)
    recipients = models.TextField(_("recipients"), help_text=_("One per line."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return f"{self.programme} · {self.number}/{self.symbol}"


class DraftState(models.TextChoices):
    PENDING = "pending", _("being drafted")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ReviewDocument(models.Model):
    """One generated draft, kept with who made it, from which cut-off, and its bytes."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="review_documents",
    )
    as_of = models.DateField(_("data up to"))
    layout = models.CharField(_("layout"), max_length=5, choices=Layout.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=5)
    metadata = models.JSONField(_("letterhead used"), default=dict)
    content = models.BinaryField(_("file"), default=b"", blank=True)
    # A draft asked for on the page is made by a background task: pending until it is ready.
    state = models.CharField(
        _("state"), max_length=10, choices=DraftState.choices, default=DraftState.READY
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.as_of} · {self.format}"

    @property
    def filename(self) -> str:
        return f"bao-cao-so-ket-{self.programme.code}-{self.as_of:%Y%m%d}.{self.format}"
