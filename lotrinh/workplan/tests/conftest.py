"""Fixtures of the tasks' tests: Phú Yên's programme (legacy, tracked in Đắk Lắk), its departments
and the people who keep, report and approve its tasks."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.illustrative import ensure_sample_agencies
from lotrinh.reporting.services import Actor
from lotrinh.workplan.deadlines import parse_deadline
from lotrinh.workplan.services import TaskInput, create_tasks


@pytest.fixture
def programme(db) -> Programme:
    ensure_sample_agencies()
    return Programme.objects.get(code="phu-yen-1728-qd-ubnd")


@pytest.fixture
def dak_lak(db) -> OrgUnit:
    return OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="66")


@pytest.fixture
def department(programme, dak_lak) -> OrgUnit:
    """Sở Khoa học và Công nghệ of Đắk Lắk, the province Phú Yên merged into."""
    return OrgUnit.objects.get(parent=dak_lak, tier=Tier.AGENCY, name="Sở Khoa học và Công nghệ")


@pytest.fixture
def legacy_department(programme) -> OrgUnit:
    """Sở Thông tin và Truyền thông of Phú Yên, which the 2020 decision names."""
    return OrgUnit.objects.get(
        parent=programme.org_unit, tier=Tier.AGENCY, name="Sở Thông tin và Truyền thông"
    )


def _person(name: str, unit: OrgUnit, *roles: str) -> Actor:
    user = User.objects.create_user(name, password="x")  # noqa: S106 - test password
    for role in roles:
        Membership.objects.create(user=user, org_unit=unit, role=role)
    return Actor(user, "10.0.0.9", "web")


@pytest.fixture
def officer(dak_lak) -> Actor:
    return _person("officer", dak_lak, Role.OFFICER, Role.APPROVER)


@pytest.fixture
def reporter(department) -> Actor:
    return _person("department_reporter", department, Role.REPORTER)


@pytest.fixture
def task(officer, programme, department):
    return create_tasks(
        officer,
        programme,
        [
            TaskInput(
                title="Xây dựng và ban hành danh sách sáng kiến chuyển đổi số ưu tiên",
                lead_unit=department,
                deadline=parse_deadline("quý IV/2020"),
            )
        ],
    )[0]


TODAY = datetime.date(2026, 12, 1)
