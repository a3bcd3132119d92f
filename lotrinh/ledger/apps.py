from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "lotrinh.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from lotrinh.ledger import checks  # noqa: F401  (registers the signing key check)
