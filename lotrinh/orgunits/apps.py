from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "lotrinh.orgunits"
    label = "orgunits"
    verbose_name = _("Organisation units")
