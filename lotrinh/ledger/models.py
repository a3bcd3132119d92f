"""The ledger's tables: entries (the log's leaves), the Merkle tree's nodes, and signed tree heads.

No foreign keys to reports or users: an entry must outlive a report deleted behind the
application's back, which is exactly what `lotrinh ledger verify` has to name.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Log(models.Model):
    """The one row every append locks, so that entries get consecutive indexes."""

    size = models.BigIntegerField(default=0)
    # Since when a tree head covering the latest entries is awaited (a task to sign one is queued);
    # None when none is. Set and cleared with the row locked (`services.request_tree_head`).
    head_wanted_since = models.DateTimeField(_("tree head awaited since"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger")
        verbose_name_plural = _("ledger")

    def __str__(self) -> str:
        return str(self.size)


class Action(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    REOPENED = "reopened", _("Reopened")
    CORRECTED = "corrected", _("Corrected")
    IMPORTED = "imported", _("Imported")
    GENERATED = "generated", _("Generated (illustrative)")
    ADOPTED = "adopted", _("Recorded when the ledger was started")


class Entry(models.Model):
    """One event of one report: what its status and figures were right after it (`content`)."""

    index = models.BigIntegerField(_("index"), primary_key=True)
    report_id = models.BigIntegerField(_("report"), db_index=True)
    regime = models.CharField(_("regime"), max_length=60)
    period = models.CharField(_("period"), max_length=8)
    unit = models.CharField(_("unit"), max_length=255)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor_id = models.IntegerField(_("actor"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    # The canonical JSON of the report's status and figures (lotrinh.ledger.canonical); it holds
    # confidential figures, so it leaves only in receipts, to people who may see the report.
    content = models.TextField(_("content"))
    content_sha256 = models.CharField(max_length=64)
    previous = models.BigIntegerField(_("previous entry of the report"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.report_id}"


class Node(models.Model):
    """The hash of a perfect subtree of 2**level leaves starting at leaf index * 2**level (level 0:
    the leaves). Stored once when complete, so proofs read O(log² n) rows."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.SmallIntegerField()
    index = models.BigIntegerField()
    hash = models.CharField(max_length=64)  # hex

    class Meta:
        verbose_name = _("ledger tree node")
        verbose_name_plural = _("ledger tree nodes")

    def __str__(self) -> str:
        return f"{self.level}/{self.index}"


class TreeHead(models.Model):
    """A signed tree head (RFC 6962 §3.5), kept so that later heads can be proved consistent."""

    tree_size = models.BigIntegerField(_("tree size"), unique=True)
    timestamp = models.BigIntegerField(_("time (ms since 1970)"))
    root_hash = models.CharField(max_length=64)  # hex
    signature = models.CharField(max_length=100)  # base64 Ed25519
    key_id = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
        ordering = ["-tree_size"]

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hash[:12]}"
