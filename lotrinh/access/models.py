"""Memberships: a user holds a role in an organisation unit, which covers the unit's subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.orgunits.models import OrgUnit


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter (own unit)")
    APPROVER = "approver", _("Approver (unit and units below)")
    OFFICER = "officer", _("Programme officer (the province's programmes)")
    VIEWER = "viewer", _("Viewer (read only, unit and units below)")
    ADMINISTRATOR = "admin", _("Administrator (unit and units below)")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"


class ExternalIdentity(models.Model):
    """The account an identity provider's subject signs in to: the link survives a renamed
    `preferred_username` and never lets a provider's user take over a local account by name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    last_login = models.DateTimeField(_("last sign-in"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.issuer} · {self.subject}"


class ProviderSession(models.Model):
    """A session here opened through the identity provider, with the provider's session id
    (`sid`), so that the provider's back-channel logout can end it (`services.end_provider_sessions`).
    Sessions themselves carry no user index, and may live in Redis."""

    session_key = models.CharField(_("session"), max_length=40, unique=True)
    identity = models.ForeignKey(
        ExternalIdentity,
        verbose_name=_("single sign-on identity"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    sid = models.CharField(_("provider session"), max_length=255, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("single sign-on session")
        verbose_name_plural = _("single sign-on sessions")

    def __str__(self) -> str:
        return f"{self.identity} {self.sid}"
