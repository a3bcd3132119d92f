"""Loading the national unit tables and the 2025 crosswalk, and adding agencies."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from lotrinh.core.errors import UserFacingError
from lotrinh.orgunits.models import OrgUnit, OrgUnitSuccession, Structure, Tier
from lotrinh.orgunits.queries import current_provinces_of, legacy_provinces_of
from lotrinh.orgunits.services import create_agency, load_units

pytestmark = pytest.mark.django_db


def count(structure: str, tier: str) -> int:
    return OrgUnit.objects.filter(structure=structure, tier=tier).count()


def test_legacy_structure_has_63_provinces_696_districts_and_10035_communes():
    assert count(Structure.LEGACY, Tier.PROVINCE) == 63
    assert count(Structure.LEGACY, Tier.DISTRICT) == 696
    assert count(Structure.LEGACY, Tier.COMMUNE) == 10035


def test_current_structure_has_34_provinces_and_3321_communes_without_districts():
    assert count(Structure.CURRENT, Tier.PROVINCE) == 34
    assert count(Structure.CURRENT, Tier.COMMUNE) == 3321
    assert count(Structure.CURRENT, Tier.DISTRICT) == 0
    types = dict(
        OrgUnit.objects.filter(structure=Structure.CURRENT, tier=Tier.COMMUNE)
        .values_list("unit_type")
        .annotate(n=Count("id"))
    )
    assert types == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


def test_validity_dates_follow_the_reform_of_1_july_2025():
    legacy = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    current = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    assert str(legacy.valid_to) == "2025-06-30" and legacy.valid_from is None
    assert str(current.valid_from) == "2025-07-01" and current.valid_to is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bình Định", "Gia Lai"),
        ("Bến Tre", "Vĩnh Long"),
        ("Hòa Bình", "Phú Thọ"),
        ("Phú Yên", "Đắk Lắk"),
        ("Bắc Giang", "Bắc Ninh"),
    ],
)
def test_the_five_sample_provinces_map_to_their_successors(old, new):
    legacy = OrgUnit.objects.get(structure=Structure.LEGACY, tier=Tier.PROVINCE, short_name=old)
    assert [p.short_name for p in current_provinces_of(legacy)] == [new]


def test_every_legacy_province_has_exactly_one_main_successor():
    main_links = OrgUnitSuccession.objects.filter(predecessor__tier=Tier.PROVINCE, is_default=True)
    assert main_links.count() == 63
    assert set(main_links.values_list("successor__structure", flat=True)) == {Structure.CURRENT}


def test_merged_province_knows_all_its_predecessors():
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    assert sorted(p.short_name for p in legacy_provinces_of(gia_lai)) == ["Bình Định", "Gia Lai"]


def test_every_legacy_commune_has_a_successor_and_split_ones_one_main_successor():
    communes = OrgUnit.objects.filter(structure=Structure.LEGACY, tier=Tier.COMMUNE)
    assert not communes.filter(successor_links__isnull=True).exists()
    split = communes.annotate(n=Count("successor_links")).filter(n__gt=1)
    assert split.count() > 400
    for commune in split[:50]:
        assert commune.successor_links.filter(is_default=True).count() == 1


def test_a_town_becomes_the_new_commune_of_the_same_name():
    town = OrgUnit.objects.get(structure=Structure.LEGACY, name="Thị trấn Tuy Phước")
    successor = town.successor_links.get().successor
    assert (successor.name, successor.parent.name) == ("Xã Tuy Phước", "Tỉnh Gia Lai")


def test_island_districts_without_communes_become_special_zones():
    ly_son = OrgUnit.objects.get(
        structure=Structure.LEGACY, tier=Tier.DISTRICT, name="Huyện Lý Sơn"
    )
    names = set(ly_son.successor_links.values_list("successor__unit_type", flat=True))
    assert "Đặc khu" in names


def test_paths_put_every_unit_under_its_parent():
    commune = OrgUnit.objects.select_related("parent__parent").get(
        structure=Structure.LEGACY, code="21952"
    )
    assert commune.path == f"legacy/52/{commune.parent.code}/21952/"
    assert commune.parent.parent.code == "52"


def test_loading_units_again_changes_nothing():
    before = (OrgUnit.objects.count(), OrgUnitSuccession.objects.count())
    result = load_units()
    assert (result.created, result.updated, result.links_created, result.links_removed) == (
        0,
        0,
        0,
        0,
    )
    assert (OrgUnit.objects.count(), OrgUnitSuccession.objects.count()) == before


def test_loading_units_repairs_a_changed_name():
    unit = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    OrgUnit.objects.filter(pk=unit.pk).update(name="Tỉnh Sai Tên")
    assert load_units().updated == 1
    unit.refresh_from_db()
    assert unit.name == "Tỉnh Gia Lai"


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("boss", "boss@example.invalid", "x")


def test_an_administrator_adds_an_agency_under_a_province(admin_user):
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    agency = create_agency(admin_user, province, "  Sở Khoa học và   Công nghệ ")
    assert agency.tier == Tier.AGENCY and agency.parent == province
    assert agency.name == "Sở Khoa học và Công nghệ"
    assert agency.path.startswith(province.path) and agency.valid_from == province.valid_from
    assert load_units().created == 0  # reloading the tables leaves agencies alone
    assert OrgUnit.objects.filter(pk=agency.pk).exists()


def test_agencies_cannot_go_under_a_commune(admin_user):
    commune = OrgUnit.objects.filter(structure=Structure.CURRENT, tier=Tier.COMMUNE).first()
    with pytest.raises(UserFacingError, match="province"):
        create_agency(admin_user, commune, "Ban Chỉ đạo")


def test_agency_codes_must_be_unique(admin_user):
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    create_agency(admin_user, province, "Sở Tài chính", code="52-STC")
    with pytest.raises(UserFacingError):
        create_agency(admin_user, province, "Sở Tài chính 2", code="52-STC")


def test_a_user_without_permission_cannot_add_agencies():
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    with pytest.raises(PermissionDenied):
        create_agency(clerk, province, "Sở Nội vụ")
    clerk.user_permissions.add(Permission.objects.get(codename="add_orgunit"))
    clerk = User.objects.get(pk=clerk.pk)  # permissions are cached per instance
    assert create_agency(clerk, province, "Sở Nội vụ").parent == province
