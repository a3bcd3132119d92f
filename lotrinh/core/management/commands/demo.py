"""`lotrinh demo`: prepare a ready-to-browse site on the configured database (SQLite by default).

Migrates, collects static files, loads Vietnam's units, the indicator catalogue, the five sample
programmes, the real published figures, the sample reporting regimes, the monitoring plan, the
sample tasks, the illustrative reports, assesses every target (today, and at the last eight quarter
ends so that the pages show a status trend), and creates the demo logins. Safe to run again: it
only adds what is missing.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.services import assess_all, assess_recent_history
from lotrinh.indicators.services import load_catalogue, load_sample_programmes
from lotrinh.monitoring.published import load_observations
from lotrinh.monitoring.services import load_plan
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.services import load_units
from lotrinh.reporting.illustrative import generate_illustrative
from lotrinh.reporting.models import Report, ReportingRegime
from lotrinh.reporting.pages import recent_periods
from lotrinh.reporting.regimes import load_regimes
from lotrinh.workplan.illustrative import generate_illustrative_progress
from lotrinh.workplan.services import load_sample_tasks

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "lotrinh-demo"  # noqa: S105 - printed on purpose: a local demo login
DEMO_REPORTER = "xa_demo"  # reports for one current commune of Gia Lai
DEMO_APPROVER = "tinh_demo"  # approves for the current Tỉnh Gia Lai and keeps its programmes
DEMO_DEPARTMENT = "so_demo"  # reports the tasks of Gia Lai's department of science and technology
DEMO_REGIME = "cds-dinh-ky-quy"
# Two years of quarter ends: the trend a first visitor sees on every target card.
DEMO_HISTORY_QUARTERS = 8


class Command(BaseCommand):
    help = "Set up the database with real units and the five sample programmes, ready to browse."

    def add_arguments(self, parser):
        parser.add_argument("--no-static", action="store_true", help="Skip collectstatic.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        units = load_units()
        catalogue = load_catalogue()
        programmes = load_sample_programmes()
        observations = load_observations()
        load_regimes()
        sources = load_plan()
        # Tasks first: the departments they add are units the forms expect reports from too.
        tasks = load_sample_tasks()
        illustrative = generate_illustrative()
        generate_illustrative_progress()
        assessed = assess_all()  # pages show stored assessments and never compute them
        cutoffs = assess_recent_history(DEMO_HISTORY_QUARTERS)
        self._ensure_demo_user()
        reporter_unit = self._ensure_reporting_users()
        targets = sum(p.targets for p in programmes)
        self.stdout.write(self.style.SUCCESS("Lộ Trình is ready. / Lộ Trình đã sẵn sàng."))
        self.stdout.write(
            f"  units: {units.created} new, {units.updated} updated · indicators: {catalogue.indicators} · "
            f"programmes: {len(programmes)} · targets: {targets} ({assessed} assessed, "
            f"{cutoffs} past quarter ends kept) · "
            f"tasks added: {tasks} · published figures: {observations} · planned sources: {sources} · "
            f"illustrative reports added: {illustrative.reports} · {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"  database: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(
            f"  site: http://{settings.LOTRINH_BIND}/   admin: http://{settings.LOTRINH_BIND}/admin/"
        )
        self.stdout.write(f"  demo login / đăng nhập thử: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        self.stdout.write(
            f"  reporter / người báo cáo: {DEMO_REPORTER} / {DEMO_PASSWORD} ({reporter_unit})"
        )
        self.stdout.write(
            f"  department reporter (tasks) / người báo cáo nhiệm vụ của sở: {DEMO_DEPARTMENT} / "
            f"{DEMO_PASSWORD} (Sở Khoa học và Công nghệ, Gia Lai)"
        )
        self.stdout.write(
            f"  approver and programme officer / người phê duyệt, cán bộ phụ trách chương trình: "
            f"{DEMO_APPROVER} / {DEMO_PASSWORD} (Tỉnh Gia Lai)"
        )

    def _ensure_demo_user(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(
                DEMO_USERNAME, "admin@example.invalid", DEMO_PASSWORD
            )

    def _ensure_reporting_users(self) -> str:
        """A commune reporter and a province approver and programme officer in the current Tỉnh Gia Lai.

        The reporter's commune is one whose current quarterly report has not been started, so that
        there is something to fill in; once chosen it stays (the membership is kept on re-runs).
        """
        province = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52")
        user_model = get_user_model()
        approver, created = user_model.objects.get_or_create(username=DEMO_APPROVER)
        if created:
            approver.set_password(DEMO_PASSWORD)
            approver.save()
        # The province's account in the demo also keeps its programmes (the extraction saves).
        for role in (Role.APPROVER, Role.OFFICER):
            Membership.objects.get_or_create(user=approver, org_unit=province, role=role)
        reporter, created = user_model.objects.get_or_create(username=DEMO_REPORTER)
        if created:
            reporter.set_password(DEMO_PASSWORD)
            reporter.save()
        department = OrgUnit.objects.filter(
            parent=province, tier=Tier.AGENCY, name="Sở Khoa học và Công nghệ"
        ).first()
        if department is not None:
            staff, created = user_model.objects.get_or_create(username=DEMO_DEPARTMENT)
            if created:
                staff.set_password(DEMO_PASSWORD)
                staff.save()
            Membership.objects.get_or_create(user=staff, org_unit=department, role=Role.REPORTER)
        membership = Membership.objects.filter(user=reporter, role=Role.REPORTER).first()
        if membership is None:
            membership = Membership.objects.create(
                user=reporter, org_unit=self._free_commune(province), role=Role.REPORTER
            )
        return membership.org_unit.name

    def _free_commune(self, province: OrgUnit) -> OrgUnit:
        communes = OrgUnit.objects.filter(parent=province, tier=Tier.COMMUNE).order_by("code")
        regime = ReportingRegime.objects.get(code=DEMO_REGIME)
        current = recent_periods(regime, timezone.localdate(), 1)[0]
        started = Report.objects.filter(regime=regime, period=current).values("org_unit_id")
        return communes.exclude(pk__in=started).first() or communes[0]
