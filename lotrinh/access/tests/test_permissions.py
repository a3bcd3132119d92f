"""The one choke point: roles cover a subtree; reporters only their unit; history of merged territories."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from lotrinh.access.models import Membership, Role
from lotrinh.access.permissions import (
    can_approve_for,
    can_report_for,
    can_view_programme,
    can_view_unit,
    visible_units,
)
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db


def member(unit, role, name="u"):
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(user=user, org_unit=unit, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def gia_lai():
    return OrgUnit.objects.get(structure=Structure.CURRENT, code="52")


def test_an_approver_covers_the_units_below(gia_lai):
    approver = member(gia_lai, Role.APPROVER)
    commune = OrgUnit.objects.filter(parent=gia_lai, tier=Tier.COMMUNE).first()
    assert can_approve_for(approver, commune) and can_report_for(approver, commune)
    assert not can_approve_for(
        approver, OrgUnit.objects.get(structure=Structure.CURRENT, code="24")
    )


def test_a_reporter_covers_only_its_own_unit(gia_lai):
    commune, neighbour = OrgUnit.objects.filter(parent=gia_lai, tier=Tier.COMMUNE).order_by("code")[
        :2
    ]
    reporter = member(commune, Role.REPORTER)
    assert can_report_for(reporter, commune) and not can_report_for(reporter, neighbour)
    assert not can_approve_for(reporter, commune)


def test_the_merged_province_may_read_its_predecessors_history_but_not_change_it(gia_lai):
    viewer = member(gia_lai, Role.APPROVER)
    binh_dinh_commune = OrgUnit.objects.get(structure=Structure.LEGACY, code="21952")
    assert can_view_unit(viewer, binh_dinh_commune)
    assert not can_approve_for(viewer, binh_dinh_commune)
    assert visible_units(viewer).filter(pk=binh_dinh_commune.pk).exists()
    assert can_view_programme(viewer, OrgUnit.objects.get(structure=Structure.LEGACY, code="52"))
    assert not can_view_unit(viewer, OrgUnit.objects.get(structure=Structure.LEGACY, code="24"))


def test_anonymous_users_see_nothing(gia_lai):
    assert not can_view_unit(AnonymousUser(), gia_lai)
    assert not visible_units(AnonymousUser()).exists()
