"""The monitoring plan through the API: coverage, and a source saved or refused."""

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.monitoring.models import DataSource
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

PROGRAMME = "binh-dinh-05-nq-tu"


@pytest.fixture
def officer(client):
    user = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52"),
        role=Role.OFFICER,
    )
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


def test_a_published_rank_is_planned_and_shown_in_the_coverage(client, officer):
    saved = client.put(
        f"/api/v1/programmes/{PROGRAMME}/plan/so-do-thi-thong-minh",
        {
            "kind": "published",
            "frequency": "annual",
            "publisher": "Sở Xây dựng",
            "reference": "https://sxd.gialai.gov.vn",
        },
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["province"] == "2025/52" and saved.json()["kind"] == "published"
    coverage = client.get(f"/api/v1/programmes/{PROGRAMME}/coverage", {"source": "published"})
    body = coverage.json()
    assert body["province"] == "2025/52"
    assert {t["indicator_code"] for t in body["targets"]} == {"so-do-thi-thong-minh"}
    assert sum(p["targets"] for p in body["pillars"]) == 37


def test_an_unknown_regime_is_refused_in_both_languages_and_nothing_is_stored(client, officer):
    refused = client.put(
        f"/api/v1/programmes/{PROGRAMME}/plan/xa-phu-cap-quang",
        {
            "kind": "reported",
            "frequency": "annual",
            "regime": "khong-co",
            "reporting_tiers": ["commune"],
            "first_period": "2027",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Không có chế độ báo cáo nào có mã “khong-co”."
    assert refused.json()["detail_en"] == "No reporting regime has the code “khong-co”."
    assert not DataSource.objects.exists()


def test_the_assessments_name_the_gap_of_each_target_without_data(
    client, officer, smart_cities_unreported
):
    items = client.get(f"/api/v1/programmes/{PROGRAMME}/assessments").json()
    lacking = [i for i in items if i["status"] == "insufficient_data"]
    assert {i["data_gap"] for i in lacking if not i["series"]} == {"no_source"}
    assert {i["data_gap"] for i in lacking if i["series"]} <= {"too_few_points"}
    assert {i["data_gap"] for i in items if i["status"] != "insufficient_data"} == {""}


def test_a_published_rank_of_70_out_of_63_is_refused_and_a_real_one_is_kept(client, officer):
    from lotrinh.indicators.models import Observation

    figure = {
        "indicator": "xep-hang-dti-tinh",
        "province": "legacy/52",
        "year": 2024,
        "period": "2024",
        "value": "70",
        "unit": "hạng/63",
        "source_url": "https://dti.gov.vn/xep-hang-2024",
    }
    before = Observation.objects.count()
    refused = client.post("/api/v1/published-figures", figure, content_type="application/json")
    assert refused.status_code == 400
    assert "từ 1 đến 63" in refused.json()["detail"]
    assert "from 1 to 63" in refused.json()["detail_en"]
    assert Observation.objects.count() == before
    kept = client.post(
        "/api/v1/published-figures", {**figure, "value": "21"}, content_type="application/json"
    )
    assert kept.status_code == 200
    assert (kept.json()["value"], kept.json()["province"]) == (21.0, "legacy/52")
    assert Observation.objects.count() == before + 1


def test_a_published_figure_for_an_unknown_indicator_is_refused(client, officer):
    refused = client.post(
        "/api/v1/published-figures",
        {
            "indicator": "khong-co",
            "province": "2025/52",
            "year": 2025,
            "period": "2025",
            "value": "1",
            "unit": "%",
            "reference": "Báo cáo 1",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail_en"] == "No indicator has the code “khong-co”."
