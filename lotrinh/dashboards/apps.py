from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "lotrinh.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from lotrinh.dashboards.page_cache import forget_reports_version
        from lotrinh.reporting.signals import report_decided

        report_decided.connect(forget_reports_version, dispatch_uid="dashboards-reports-version")
