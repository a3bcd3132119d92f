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


FIGURES_HEADER = "province,successor_province,indicator,year,period,value,unit,source_url,quote"
GOOD_ROW = "Bình Định,Gia Lai,Xếp hạng DTI cấp tỉnh,2024,2024,21,hạng/63,https://dti.gov.vn/2024,21"
BAD_ROW = "Gia Lai,Gia Lai,Xếp hạng DTI cấp tỉnh,2025,2025,70,hạng/34,https://dti.gov.vn/2025,70"


def _figures_file(*rows: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\n".join([FIGURES_HEADER, *rows]) + "\n"
    return SimpleUploadedFile("dti.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_file_of_published_figures_is_checked_then_kept_through_the_api(client, officer):
    from lotrinh.indicators.models import Observation

    before = Observation.objects.count()
    url = "/api/v1/published-figures/import"
    dry = client.post(url, {"file": _figures_file(GOOD_ROW)})
    assert dry.status_code == 200, dry.content
    assert (dry.json()["applied"], dry.json()["rows"][0]["ok"]) == (False, True)
    assert Observation.objects.count() == before
    kept = client.post(f"{url}?apply=true", {"file": _figures_file(GOOD_ROW)})
    assert (kept.status_code, kept.json()["applied"]) == (200, True)
    assert Observation.objects.count() == before + 1


def test_a_file_with_a_wrong_row_answers_422_naming_it_and_keeps_nothing(client, officer):
    from lotrinh.indicators.models import Observation

    before = Observation.objects.count()
    url = "/api/v1/published-figures/import?apply=true"
    refused = client.post(url, {"file": _figures_file(GOOD_ROW, BAD_ROW)})
    assert refused.status_code == 422
    body = refused.json()
    assert (body["applied"], body["wrong"]) == (False, 1)
    assert "1 rows are wrong" in body["detail_en"] and "không có gì được lưu" in body["detail"]
    wrong = body["rows"][1]
    assert wrong["line"] == 3 and "từ 1 đến 34" in wrong["error"]
    assert "from 1 to 34" in wrong["error_en"]
    assert Observation.objects.count() == before
    from django.core.files.uploadedfile import SimpleUploadedFile

    columns = SimpleUploadedFile("dti.csv", b"province,value\nGia Lai,3\n")
    unreadable = client.post(url, {"file": columns})
    assert unreadable.status_code == 400
    assert "lacks the columns" in unreadable.json()["detail_en"]
    assert "thiếu các cột" in unreadable.json()["detail"]
    assert Observation.objects.count() == before
