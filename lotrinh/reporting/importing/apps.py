from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """Lets Django find importing/templates/ when "lotrinh.reporting.importing" is installed."""

    name = "lotrinh.reporting.importing"
    label = "importing"
    verbose_name = "Import"
