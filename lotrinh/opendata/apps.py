from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "lotrinh.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from lotrinh.opendata import checks  # noqa: F401  (registers the contact address check)
