"""Organisation units, versioned in time, and the crosswalk between the two structures."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_END = REFORM_DATE - datetime.timedelta(days=1)


class Structure(models.TextChoices):
    """Which administrative structure a unit belongs to.

    The same GSO code can name different territories in the two structures (code 52 is Bình Định
    before the reform and the merged Gia Lai after it), so a code is only unique within one.
    """

    LEGACY = "legacy", _("63 provinces, 3 tiers (until 30/06/2025)")
    CURRENT = "2025", _("34 provinces, 2 tiers (from 01/07/2025)")


class Tier(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    AGENCY = "agency", _("Agency")


class OrgUnit(models.Model):
    """An administrative unit (province, district, commune) or an agency under one.

    `path` is a materialised path of codes ("legacy/52/540/21952/") so that a subtree is one
    indexed prefix query; it is set by the services, never by hand.
    """

    structure = models.CharField(_("structure"), max_length=8, choices=Structure.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    code = models.CharField(
        _("code"), max_length=32, help_text=_("GSO code, or the code of an agency.")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    unit_type = models.CharField(_("unit type"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    search_name = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "code"], name="orgunit_unique_code"),
        ]
        indexes = [models.Index(fields=["structure", "tier"], name="orgunit_structure_tier")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_legacy(self) -> bool:
        return self.structure == Structure.LEGACY

    def is_valid_on(self, day: datetime.date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= day
        ends_ok = self.valid_to is None or day <= self.valid_to
        return starts_ok and ends_ok


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("merged into")
    PARTLY = "partly", _("part transferred to")
    ABOLISHED = "abolished", _("abolished; territory went to")


class OrgUnitSuccession(models.Model):
    """One link of the crosswalk: `predecessor` (legacy) became, wholly or partly, `successor`.

    A legacy commune split between several new communes has one row per new commune; the one
    that took the commune's seat is marked `is_default`.
    """

    predecessor = models.ForeignKey(
        OrgUnit,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        OrgUnit,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    is_default = models.BooleanField(_("main successor"), default=True)
    effective_on = models.DateField(_("effective on"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
