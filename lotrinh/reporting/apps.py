from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lotrinh.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lotrinh.reporting.models import Period
        from lotrinh.reporting.signals import (
            give_period_partition,
            keep_usual_ranges,
            report_decided,
        )

        report_decided.connect(keep_usual_ranges, dispatch_uid="reporting-usual-ranges")
        post_save.connect(give_period_partition, sender=Period, dispatch_uid="reporting-partition")
