"""Published figures: validated, audited, assessed like reported figures, and refused whole."""

import datetime
from dataclasses import replace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.models import Assessment
from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Indicator, Observation
from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.monitoring.published import PublishedFigure, load_observations, record_published_figure
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

RANK = "thu-hang-chi-so-danh-gia-chuyen-doi-so-cua-tinh"


def _province(code: str, structure: str = Structure.CURRENT) -> OrgUnit:
    return OrgUnit.objects.get(structure=structure, tier=Tier.PROVINCE, code=code)


@pytest.fixture
def officer() -> User:
    user = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(user=user, org_unit=_province("24"), role=Role.OFFICER)
    return user


@pytest.fixture
def rank() -> PublishedFigure:
    indicator = Indicator.objects.get(name="Thứ hạng chỉ số đánh giá chuyển đổi số của tỉnh")
    return PublishedFigure(
        indicator=indicator,
        province=_province("24", Structure.LEGACY),  # Bắc Giang, merged into Bắc Ninh
        year=2024,
        period="2024",
        value="12",
        unit="hạng/63",
        reference="Quyết định 1234/QĐ-BKHCN",
        published_on=datetime.date(2025, 5, 20),
    )


def test_a_published_rank_is_stored_audited_and_enters_the_assessment(
    officer, rank, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = record_published_figure(officer, rank)
    assert (row.value, row.unit, row.reference) == (12, "hạng/63", "Quyết định 1234/QĐ-BKHCN")
    event = AuditEvent.objects.get(target_type="observation", target_id=row.pk)
    assert (event.actor, event.action, event.new_value) == (officer, "figure_published", "12")
    # Bắc Ninh's programmes were reassessed: Bắc Giang's rank targets read the new figure.
    points = Assessment.objects.filter(
        target__programme__code="bac-giang-111-nq-tu", target__indicator=rank.indicator
    ).values_list("series", flat=True)
    assert points and all(any(p["value"] == 12 for p in series) for series in points)


def test_entering_the_same_period_again_replaces_the_figure(officer, rank):
    record_published_figure(officer, rank)
    record_published_figure(officer, replace(rank, value="10"))
    rows = Observation.objects.filter(
        indicator=rank.indicator, org_unit=rank.province, period_label="2024"
    )
    assert [r.value for r in rows] == [10]


@pytest.mark.parametrize(
    ("change", "vietnamese", "english"),
    [
        ({"value": "70"}, "từ 1 đến 63", "from 1 to 63"),
        ({"value": "20", "year": 2025, "period": "2025"}, "hạng/63", "is out of 34"),
        ({"value": "12,5"}, "số nguyên", "whole number"),
        ({"value": "mười"}, "không phải là số", "is not a number"),
        ({"reference": ""}, "văn bản hoặc địa chỉ", "Give the document or web address"),
        ({"source_url": "dti.gov.vn"}, "không phải là địa chỉ web", "is not a web address"),
        ({"published_on": datetime.date(2023, 1, 1)}, "trước năm", "before the reference year"),
        ({"year": 2099, "period": "2099"}, "Năm tham chiếu phải", "reference year must be"),
        ({"unit": " "}, "đơn vị", "Give the figure's unit"),
    ],
)
def test_a_bad_figure_is_refused_in_both_languages_and_nothing_is_stored(
    officer, rank, change, vietnamese, english
):
    before = Observation.objects.count()
    with pytest.raises(UserFacingError) as refused:
        record_published_figure(officer, replace(rank, **change))
    assert vietnamese in refused.value.text("vi") and english in refused.value.text("en")
    assert Observation.objects.count() == before
    assert not AuditEvent.objects.filter(action="figure_published", actor=officer).exists()


def test_a_share_above_100_percent_is_refused(officer):
    share = PublishedFigure(
        indicator=Indicator.objects.get(code="kinh-te-so-trong-grdp"),
        province=_province("24"),
        year=2025,
        period="2025",
        value="120",
        unit="%GRDP",
        source_url="https://thongke.gialai.gov.vn",
    )
    with pytest.raises(UserFacingError, match="từ 0 đến 100"):
        record_published_figure(officer, share)


def test_an_officer_of_another_province_may_not_enter_a_figure(rank):
    user = User.objects.create_user("ha_noi", password="x")
    Membership.objects.create(user=user, org_unit=_province("01"), role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        record_published_figure(user, rank)


def test_a_file_with_one_bad_row_is_refused_whole_and_a_dry_run_keeps_nothing(tmp_path):
    good = "Bình Định,Gia Lai,Xếp hạng DTI cấp tỉnh,2023,2023,20,hạng/63,https://dti.gov.vn/x,20"
    bad = "Gia Lai,Gia Lai,Xếp hạng DTI cấp tỉnh,2025,2025,70,hạng/34,https://dti.gov.vn/y,70"
    header = "province,successor_province,indicator,year,period,value,unit,source_url,quote"
    path = tmp_path / "figures.csv"
    before = Observation.objects.count()
    path.write_text("\n".join([header, good]), encoding="utf-8")
    assert load_observations(path, apply=False) == 1
    assert Observation.objects.count() == before
    path.write_text("\n".join([header, good, bad]), encoding="utf-8")
    with pytest.raises(ProgrammeFileError) as refused:
        load_observations(path)
    assert "figures.csv" in str(refused.value) and "3" in str(refused.value)
    assert Observation.objects.count() == before


def test_the_import_command_checks_without_keeping_unless_applied(tmp_path, officer):
    from django.core.management import call_command

    path = tmp_path / "figures.csv"
    path.write_text(
        "province,successor_province,indicator,year,period,value,unit,source_url,quote\n"
        "Bắc Giang,Bắc Ninh,Xếp hạng DTI cấp tỉnh,2024,2024,8,hạng/63,https://dti.gov.vn/2024,8\n",
        encoding="utf-8",
    )
    before = Observation.objects.count()
    call_command("import_published", str(path))
    assert Observation.objects.count() == before
    call_command("import_published", str(path), "--apply", "--user", officer.username)
    assert Observation.objects.count() == before + 1
