"""API credentials and idempotency records: what the HTTP API itself needs to remember."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A secret that lets another system call the API as `user`.

    Only the SHA-256 hash of the token is stored: the token itself is shown once, when it is made
    (`lotrinh create-api-token USERNAME`), and cannot be read back from the database.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the calling system.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a user sent with a write, and the response it got.

    The row is created before the write runs (`response_status` empty = in progress) and completed
    in the same transaction as the write, so a stored response always means the write happened.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the method, path and body of the first request with this key."),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    started_at = models.DateTimeField(_("attempt started at"))
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_unique_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.key}"

    @property
    def is_complete(self) -> bool:
        return self.response_status is not None
