"""Fixtures for the reporting tests: a commune reporter and a province approver in Gia Lai, one
of its departments and a field only departments report, a clean open period, and three communes'
reports submitted to that approver."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.indicators.models import DataElement
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import in_subtree
from lotrinh.reporting.models import FormField, Period, Report, ReportingRegime
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.services import Actor, open_report, save_values, submit_report

DEPARTMENT_FIELD = "so_trung_tam_du_lieu"


@pytest.fixture
def regime(db):
    return ReportingRegime.objects.get(code="cds-dinh-ky-quy")


@pytest.fixture
def open_period(regime):
    spec = period_containing(regime.frequency, timezone.localdate(), regime.cutoff_day)
    return Period.objects.get(regime=regime, code=spec.code)


@pytest.fixture
def gia_lai(db):
    return OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier=Tier.PROVINCE)


@pytest.fixture
def commune(gia_lai):
    return OrgUnit.objects.filter(parent=gia_lai, tier=Tier.COMMUNE).order_by("code").first()


@pytest.fixture
def agency(gia_lai):
    """A province-level agency (a department) of Gia Lai."""
    return OrgUnit.objects.filter(in_subtree(gia_lai.path), tier=Tier.AGENCY).order_by("code")[0]


@pytest.fixture
def clean_period(regime, open_period, gia_lai):
    """No reports yet in Gia Lai for the open period (the illustrative data may have some)."""
    Report.objects.filter(
        in_subtree(gia_lai.path, via="org_unit__"), regime=regime, period=open_period
    ).delete()
    return open_period


@pytest.fixture
def department_field(regime):
    """A required field only departments and province-level agencies report."""
    element = DataElement.objects.create(code=DEPARTMENT_FIELD, name="Số trung tâm dữ liệu")
    return FormField.objects.create(
        regime=regime, data_element=element, position=99, tiers=["agency"], is_required=True
    )


@pytest.fixture
def reporter(commune):
    user = User.objects.create_user("xa", password="x")
    Membership.objects.create(user=user, org_unit=commune, role=Role.REPORTER)
    return Actor(user, "10.0.0.7", "web")


@pytest.fixture
def approver(gia_lai):
    user = User.objects.create_user("tinh", password="x")
    Membership.objects.create(user=user, org_unit=gia_lai, role=Role.APPROVER)
    return Actor(user, "10.0.0.8", "web")


@pytest.fixture
def three_submitted(regime, open_period, gia_lai, approver):
    """Three communes' reports submitted, each by its own reporter (what the approver submits
    themselves awaits another approver, so it is not in their digest)."""
    communes = list(gia_lai.children.filter(tier=Tier.COMMUNE).order_by("code")[:3])
    Report.objects.filter(regime=regime, org_unit__in=communes).delete()
    for unit in communes:
        user = User.objects.create_user(f"xa-{unit.code}", password="x")
        Membership.objects.create(user=user, org_unit=unit, role=Role.REPORTER)
        reporter = Actor(user, "10.0.0.9", "web")
        report = open_report(reporter, regime, open_period, unit)
        save_values(reporter, report, GOOD)
        submit_report(reporter, report)
    return communes


GOOD = {
    "tong_ho_so_cong_viec": "300",
    "ho_so_cong_viec_dien_tu": "240",
    "tong_so_tthc": "110",
    "so_dvctt": "90",
    "so_dvctt_toan_trinh": "60",
    "tong_ho_so_tthc": "150",
    "ho_so_tthc_truc_tuyen": "120",
}
