from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "lotrinh.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from lotrinh.assessment.refresh import on_plan_changed, on_report_decided
        from lotrinh.monitoring.signals import plan_changed
        from lotrinh.reporting.signals import report_decided

        report_decided.connect(on_report_decided, dispatch_uid="assessment-refresh")
        plan_changed.connect(on_plan_changed, dispatch_uid="assessment-refresh-plan")
