"""The monitoring plan: one source per indicator and province, shared by the province's programmes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotrinh.indicators.models import Indicator
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Frequency, ReportingRegime


class SourceKind(models.TextChoices):
    REPORTED = "reported", _("Reported by units")
    PUBLISHED = "published", _("Published by another body")


class ReportingTier(models.TextChoices):
    COMMUNE = "commune", _("Communes")
    DISTRICT = "district", _("Districts")
    AGENCY = "agency", _("Departments and province-level agencies")
    PROVINCE = "province", _("The province")


class DataSource(models.Model):
    """How one indicator is measured in one province: reported by its units through a regime, or
    published by another body (DTI, PAR Index, the statistics office). An indicator without a row
    has no source yet, which the coverage page shows as a gap.

    The province is the one the programmes are tracked in today (a legacy province's programmes
    are planned in the province it merged into), so an indicator several programmes share is
    planned once."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    province = models.ForeignKey(
        OrgUnit, verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("source"), max_length=10, choices=SourceKind.choices)
    regime = models.ForeignKey(
        ReportingRegime,
        verbose_name=_("reporting regime"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporting_tiers = models.JSONField(_("reporting tiers"), default=list, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    first_period = models.CharField(_("first period"), max_length=8, blank=True)
    publisher = models.CharField(_("published by"), max_length=300, blank=True)
    reference = models.CharField(
        _("document or address"),
        max_length=500,
        blank=True,
        help_text=_("The document number or the web address where the figure is published."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["province", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province"], name="datasource_unique_indicator_province"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="published") | models.Q(regime__isnull=False),
                name="datasource_reported_has_regime",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.province}: {self.kind}"
