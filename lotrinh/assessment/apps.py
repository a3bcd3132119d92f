from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "lotrinh.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from lotrinh.assessment.refresh import on_report_decided
        from lotrinh.reporting.signals import report_decided

        report_decided.connect(on_report_decided, dispatch_uid="assessment-refresh")
