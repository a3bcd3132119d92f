from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lotrinh.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from lotrinh.reporting.signals import keep_usual_ranges, report_decided

        report_decided.connect(keep_usual_ranges, dispatch_uid="reporting-usual-ranges")
