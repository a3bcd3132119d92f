"""Tree reads and diacritic-free search."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lotrinh
from lotrinh.core.text import search_key
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.orgunits.queries import ancestors_of, children_of, descendants_of, search_units

pytestmark = pytest.mark.django_db


def test_search_without_diacritics_finds_the_province_first():
    first = search_units("binh dinh").first()
    assert (first.name, first.structure) == ("Tỉnh Bình Định", Structure.LEGACY)


@pytest.mark.parametrize("query", ["Bình Định", "BINH DINH", "bình  định", "Bi\u0300nh Đi\u0323nh"])
def test_search_ignores_case_spacing_and_unicode_form(query):
    assert (
        search_units(query, tier=Tier.PROVINCE)
        .filter(code="52", structure=Structure.LEGACY)
        .exists()
    )


def test_search_handles_the_letter_d_with_stroke():
    assert (
        search_units("dak lak", tier=Tier.PROVINCE, structure=Structure.CURRENT).get().code == "66"
    )


def test_search_can_be_limited_to_a_subtree():
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    found = search_units("tuy phuoc", within=gia_lai)
    assert found.exists() and all(u.path.startswith(gia_lai.path) for u in found)


def test_ancestors_come_from_the_province_down():
    commune = OrgUnit.objects.get(structure=Structure.LEGACY, code="21952")
    assert [a.tier for a in ancestors_of(commune)] == [Tier.PROVINCE, Tier.DISTRICT]


def test_descendants_of_a_legacy_province_include_districts_and_communes():
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    tiers = set(descendants_of(binh_dinh).values_list("tier", flat=True))
    assert {Tier.DISTRICT, Tier.COMMUNE} <= tiers
    assert children_of(binh_dinh).filter(tier=Tier.DISTRICT).count() == 11


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ",
        max_size=40,
    )
)
def test_search_key_is_the_same_for_composed_and_decomposed_text(text):
    import unicodedata

    assert search_key(unicodedata.normalize("NFD", text)) == search_key(text)
    assert search_key(text).isascii()


def test_the_subtree_filter_is_written_in_one_place():
    """Every subtree query goes through in_subtree, so a change of the path scheme is one edit."""
    package = Path(lotrinh.__file__).parent
    inline = [
        f"{source.relative_to(package)}:{number}"
        for source in package.rglob("*.py")
        if "tests" not in source.parts and source != package / "orgunits" / "queries.py"
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
        if "path__startswith" in line
    ]
    assert inline == []
