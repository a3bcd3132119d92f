"""Memberships kept in the shared cache: a change counts on the next request, in every process."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches

from config.settings import base
from lotrinh.access.models import Membership, Role
from lotrinh.access.permissions import (
    ACCESS_CACHE,
    _Access,
    _generation,
    can_view_programme,
    can_view_unit,
)
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def gia_lai():
    return OrgUnit.objects.get(structure=Structure.CURRENT, code="52")


def next_request(user: User) -> User:
    """The user as the next request loads it (nothing remembered on the object)."""
    return User.objects.get(pk=user.pk)


def test_a_removed_membership_stops_working_on_the_next_request(gia_lai):
    user = User.objects.create_user("lanh_dao", password="x")
    membership = Membership.objects.create(user=user, org_unit=gia_lai, role=Role.VIEWER)
    assert can_view_unit(next_request(user), gia_lai)
    assert can_view_unit(next_request(user), gia_lai)  # now from the cache
    membership.delete()
    assert not can_view_unit(next_request(user), gia_lai)


def test_a_new_membership_and_a_changed_role_count_on_the_next_request(gia_lai):
    user = User.objects.create_user("lanh_dao", password="x")
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    assert not can_view_programme(next_request(user), binh_dinh)
    membership = Membership.objects.create(user=user, org_unit=gia_lai, role=Role.REPORTER)
    assert can_view_programme(next_request(user), binh_dinh)
    membership.org_unit = OrgUnit.objects.get(structure=Structure.CURRENT, code="24")
    membership.save()
    assert not can_view_programme(next_request(user), binh_dinh)


def test_memberships_read_before_a_change_was_committed_are_not_served_after_it(
    gia_lai, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("lanh_dao", password="x")
    Membership.objects.create(user=user, org_unit=gia_lai, role=Role.VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=user).delete()
        # Meanwhile another request, which still sees the committed rows, caches the old role.
        old = _Access([(Role.VIEWER, gia_lai.path, gia_lai.pk)], [])
        caches[ACCESS_CACHE].set(f"access:{user.pk}:{_generation(user.pk)}", old)
    assert not can_view_unit(next_request(user), gia_lai)


def test_sessions_and_memberships_are_cached_where_every_server_process_reads_them():
    """A cache private to each process would let a session ended, or a role removed, in one
    worker live on in the others."""
    assert base.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert base.SESSION_CACHE_ALIAS == ACCESS_CACHE
    shared = base.CACHES[ACCESS_CACHE]["BACKEND"]
    assert shared == "django.core.cache.backends.filebased.FileBasedCache"
