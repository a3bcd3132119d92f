"""`lotrinh check-data`: verify the invariants of the reported figures; exits with 1 on a finding."""

from django.core.management.base import BaseCommand, CommandError

from lotrinh.reporting.integrity import check_data_values


class Command(BaseCommand):
    help = (
        "Check that every reported figure belongs to an existing report and data element, "
        "on its report's form and reported by its unit's tier."
    )

    def handle(self, *args: object, **options: object) -> None:
        found = check_data_values()
        self.stdout.write(
            f"figures without a report: {found.without_report}\n"
            f"figures without a data element: {found.without_element}\n"
            f"figures not on their report's form: {found.off_form}\n"
            f"figures of a field their unit's tier does not report: {found.off_tier}"
        )
        if not found.ok:
            raise CommandError("The reported figures are inconsistent (see above).")
