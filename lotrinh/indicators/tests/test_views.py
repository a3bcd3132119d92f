"""Programme and indicator pages."""

import pytest

from lotrinh.indicators.models import Indicator, Programme

pytestmark = pytest.mark.django_db


def test_programme_list_shows_five_programmes_and_their_successor_provinces(client):
    page = client.get("/programmes/").content.decode()
    for text in [
        "05-NQ/TU",
        "01-NQ/TU",
        "08-NQ/TU",
        "1728/QĐ-UBND",
        "111-NQ/TU",
        "Tỉnh Gia Lai",
        "Tỉnh Vĩnh Long",
        "Tỉnh Phú Thọ",
        "Tỉnh Đắk Lắk",
        "Tỉnh Bắc Ninh",
    ]:
        assert text in page


def test_programme_page_groups_targets_by_pillar_in_order(client):
    page = client.get("/programmes/binh-dinh-05-nq-tu/").content.decode()
    positions = [
        page.index(f'id="pillar-{p}"') for p in ["government", "economy", "society", "foundation"]
    ]
    assert positions == sorted(positions)
    assert page.count('<tr id="target-') == 37


def test_programme_page_highlights_every_cited_sentence(client):
    programme = Programme.objects.get(code="ben-tre-01-nq-tu")
    page = client.get(f"/programmes/{programme.code}/").content.decode()
    for target in programme.target_set.all():
        assert f'id="src-t{target.pk}"' in page
    assert "<mark" in page and "15–20" not in page  # Bến Tre has no range


def test_programme_page_shows_levels_years_and_figures(client):
    page = client.get("/programmes/bac-giang-111-nq-tu/").content.decode()
    assert "cấp huyện" in page and "&gt; 95%" in page and "hạng ≤ 15" in page


def test_unknown_programme_is_a_404(client):
    assert client.get("/programmes/khong-co/").status_code == 404


def test_indicator_page_puts_the_five_provinces_side_by_side(client):
    indicator = Indicator.objects.get(name="Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng")
    page = client.get(f"/indicators/{indicator.code}/").content.decode()
    for province in ["Bình Định", "Bến Tre", "Hòa Bình", "Phú Yên", "Bắc Giang"]:
        assert province in page
    assert "2025" in page and "2030" in page and "cấp xã" in page
    crumbs = page[page.index('<nav class="crumbs">') :].split("</nav>")[0]
    assert indicator.name in crumbs and indicator.code not in crumbs.replace(
        f"/{indicator.code}/", ""
    )


def test_indicator_catalogue_filters_by_pillar_and_text(client):
    page = client.get("/indicators/", {"pillar": "economy", "q": "kinh te so"}).content.decode()
    assert "Tỷ trọng kinh tế số trong GRDP" in page
    assert "Tỷ lệ hồ sơ công việc" not in page


def test_home_page_counts_what_is_loaded(client):
    page = client.get("/").content.decode()
    assert "142" in page and "3.321" in page and "10.035" in page


@pytest.mark.parametrize(
    ("role", "unit_code", "sees_notes"),
    [
        (None, None, False),  # anonymous
        ("reporter", "commune", False),
        ("viewer", "2025/52", False),
        ("approver", "2025/52", False),
        ("officer", "2025/52", True),  # manages the province the programme is followed in
        ("admin", "2025/52", True),
        ("officer", "2025/24", False),  # manages another province
    ],
)
def test_reviewers_notes_are_shown_only_to_those_who_manage_the_programme(
    client, role, unit_code, sees_notes
):
    from django.contrib.auth.models import User

    from lotrinh.access.models import Membership
    from lotrinh.orgunits.models import OrgUnit

    if role:
        user = User.objects.create_user("u", password="x")
        units = OrgUnit.objects.filter(path__startswith="2025/52/", tier="commune")
        unit = (
            units.first() if unit_code == "commune" else OrgUnit.objects.get(path=f"{unit_code}/")
        )
        Membership.objects.create(user=user, org_unit=unit, role=role)
        client.force_login(user)
    page = client.get("/en/programmes/binh-dinh-05-nq-tu/").content.decode()
    assert ("số viết bằng chữ" in page) is sees_notes


@pytest.mark.django_db
def test_an_unknown_pillar_in_the_catalogue_address_is_explained_and_ignored(client):
    every = client.get("/indicators/")
    page = client.get("/indicators/", {"pillar": "abc"})
    assert page.status_code == 400
    assert "“abc” không phải là một lựa chọn của bộ lọc “Trụ cột”" in page.content.decode()
    assert page.content.decode().count("<tr") == every.content.decode().count("<tr") > 1
