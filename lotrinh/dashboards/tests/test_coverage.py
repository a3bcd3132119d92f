"""The coverage page of a programme's monitoring plan: sources, newest figures, gaps and counts."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.indicators.models import Indicator
from lotrinh.monitoring.services import SourceInput, set_source
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

PAGE = "/programmes/binh-dinh-05-nq-tu/coverage/"


def _gia_lai() -> OrgUnit:
    return OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52")


@pytest.fixture
def officer(client):
    user = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(user=user, org_unit=_gia_lai(), role=Role.OFFICER)
    client.force_login(user)
    return user


@pytest.fixture
def smart_cities_unreported():
    """The illustrative reports carry figures for every sample target; this target's are taken
    away (and the programme reassessed) so that it lacks data and, with no plan loaded, a source."""
    from lotrinh.assessment.services import assess_programme
    from lotrinh.indicators.models import Indicator, Programme
    from lotrinh.reporting.models import DataValue

    indicator = Indicator.objects.get(code="so-do-thi-thong-minh")
    DataValue.objects.filter(data_element_id=indicator.reported_as_id).delete()
    assess_programme(Programme.objects.get(code="binh-dinh-05-nq-tu"))


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_target_is_listed_with_its_gap_and_the_pillars_add_up(
    client, officer, smart_cities_unreported
):
    rows = _rows(client.get(PAGE, {"format": "csv"}))
    assert len(rows) == 37
    # Nothing is planned yet: every target without a figure says it has no source; one with too
    # few figures says so.
    lacking = [r for r in rows if r["status"] == "insufficient_data"]
    assert {r["data_gap"] for r in lacking if not r["newest_day"]} == {"no_source"}
    assert {r["data_gap"] for r in lacking if r["newest_day"]} <= {"too_few_points"}
    assert {r["source"] for r in rows} == {"none"}
    page = client.get(PAGE).content.decode()
    assert "Kế hoạch theo dõi, đánh giá" in page and "Xác định nguồn số liệu" in page


def test_planning_a_source_moves_the_target_to_the_next_gap(
    client, officer, django_capture_on_commit_callbacks, smart_cities_unreported
):
    with django_capture_on_commit_callbacks(execute=True):
        set_source(
            officer,
            Indicator.objects.get(code="so-do-thi-thong-minh"),
            _gia_lai(),
            SourceInput(
                kind="published",
                frequency="annual",
                publisher="Sở Xây dựng",
                reference="QĐ 950/QĐ-TTg",
            ),
        )
    rows = _rows(client.get(PAGE, {"format": "csv", "source": "published"}))
    assert [(r["indicator_code"], r["data_gap"]) for r in rows] == [
        ("so-do-thi-thong-minh", "no_data"),
        ("so-do-thi-thong-minh", "no_data"),
    ]
    assert rows[0]["publisher"] == "Sở Xây dựng"


def test_the_gap_filter_keeps_only_targets_without_a_source(
    client, officer, smart_cities_unreported
):
    every = _rows(client.get(PAGE, {"format": "csv"}))
    gaps = _rows(client.get(PAGE, {"format": "csv", "gap": "no_source"}))
    assert gaps and len(gaps) == sum(1 for r in every if r["data_gap"] == "no_source")


def test_a_viewer_sees_the_coverage_but_is_not_offered_to_plan(client):
    user = User.objects.create_user("lanh_dao", password="x")
    Membership.objects.create(user=user, org_unit=_gia_lai(), role=Role.VIEWER)
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert "Thiếu dữ liệu" in page and "Xác định nguồn số liệu" not in page
    assert (
        client.get("/programmes/binh-dinh-05-nq-tu/plan/so-do-thi-thong-minh/").status_code == 403
    )


def test_the_plan_form_saves_a_source_and_a_bad_one_is_explained(client, officer):
    address = "/programmes/binh-dinh-05-nq-tu/plan/xa-phu-cap-quang/"
    bad = client.post(
        address,
        {
            "kind": "reported",
            "frequency": "annual",
            "regime": "cds-dinh-ky-quy",
            "reporting_tiers": ["commune"],
            "first_period": "2027Q1",
        },
    )
    assert bad.status_code == 400
    assert "không khớp với tần suất" in bad.content.decode()
    good = client.post(
        address,
        {
            "kind": "reported",
            "frequency": "annual",
            "regime": "cds-dinh-ky-quy",
            "reporting_tiers": ["commune"],
            "first_period": "2027",
        },
    )
    assert good.status_code == 302 and good["Location"].endswith("/coverage/")
    rows = _rows(client.get(PAGE, {"format": "csv", "source": "reported"}))
    assert {(r["indicator_code"], r["regime"], r["reporting_tiers"]) for r in rows} == {
        ("xa-phu-cap-quang", "cds-dinh-ky-quy", "commune")
    }


def test_the_figure_form_keeps_a_published_figure_and_explains_a_bad_one(client, officer):
    from lotrinh.indicators.models import Observation

    address = "/programmes/binh-dinh-05-nq-tu/published/so-do-thi-thong-minh/"
    assert client.get(address).status_code == 200
    figure = {
        "province": str(_gia_lai().pk),
        "year": "2025",
        "period": "2025",
        "value": "-3",
        "unit": "đô thị",
        "reference": "Báo cáo 45/BC-SXD",
        "published_on": "15/01/2026",
    }
    bad = client.post(address, figure)
    assert bad.status_code == 400 and "không thể là số âm" in bad.content.decode()
    assert not Observation.objects.filter(indicator__code="so-do-thi-thong-minh").exists()
    good = client.post(address, {**figure, "value": "2"})
    assert good.status_code == 302
    kept = Observation.objects.get(indicator__code="so-do-thi-thong-minh")
    assert (kept.value, kept.reference, kept.published_on.isoformat()) == (
        2,
        "Báo cáo 45/BC-SXD",
        "2026-01-15",
    )


def test_a_coverage_filter_value_that_is_not_a_choice_is_explained(client, officer):
    page = client.get(PAGE, {"gap": "abc", "source": "reported"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "“abc” không phải là một lựa chọn của bộ lọc “Thiếu dữ liệu”" in text
    assert "“abc” is not one of the choices of the filter “Missing data”" in text
    assert text.count('role="alert"') == 1  # the valid source filter is applied silently
