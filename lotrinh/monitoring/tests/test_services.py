"""The monitoring plan's writes: who may change it, what is refused, what is recorded, and how a
target's "thiếu dữ liệu" names its reason."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.explain import gap_of
from lotrinh.assessment.models import Assessment
from lotrinh.assessment.services import assess_programme
from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Indicator, Observation, Programme
from lotrinh.monitoring.models import DataSource
from lotrinh.monitoring.queries import plan_province
from lotrinh.monitoring.services import SourceInput, set_source
from lotrinh.orgunits.models import OrgUnit, Structure, Tier
from lotrinh.reporting.models import DataValue, Period

pytestmark = pytest.mark.django_db

PROGRAMME = "binh-dinh-05-nq-tu"
RATIO = "xa-phu-cap-quang"  # a ratio of two data elements on the annual form
NO_ELEMENT = "so-tram-5g"  # a count with no data element (published by others)
REPORTED = SourceInput(
    kind="reported",
    frequency="annual",
    regime="cds-dinh-ky-quy",
    reporting_tiers=("commune",),
    first_period="2027",
)
PUBLISHED = SourceInput(
    kind="published",
    frequency="annual",
    publisher="Sở Khoa học và Công nghệ",
    reference="https://skhcn.gialai.gov.vn/bao-cao-ha-tang-so",
)


def _province(code: str) -> OrgUnit:
    return OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code=code)


@pytest.fixture
def officer() -> User:
    user = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(user=user, org_unit=_province("52"), role=Role.OFFICER)
    return user


def _status_of(indicator: str) -> tuple[str, str]:
    assessment = Assessment.objects.filter(
        target__programme__code=PROGRAMME, target__indicator__code=indicator
    ).first()
    assert assessment is not None
    return assessment.status, gap_of(assessment)


def test_a_legacy_provinces_programmes_are_planned_in_the_province_it_merged_into():
    programme = Programme.objects.get(code=PROGRAMME)
    assert plan_province(programme.org_unit) == _province("52")


def test_a_target_without_a_source_says_so_and_one_with_a_source_waits_for_data(
    officer, django_capture_on_commit_callbacks
):
    ratio = Indicator.objects.get(code=RATIO)
    # Nothing reported or published yet: the sample's illustrative figures of the ratio are taken
    # away, and so is the figure published for Gia Lai, which counts for Bình Định from 2025.
    DataValue.objects.filter(data_element__in=[ratio.numerator, ratio.denominator]).delete()
    Observation.objects.filter(indicator=ratio).delete()
    assess_programme(Programme.objects.get(code=PROGRAMME))
    assert _status_of(RATIO) == ("insufficient_data", "no_source")
    with django_capture_on_commit_callbacks(execute=True):
        set_source(officer, ratio, _province("52"), REPORTED)
    # The plan's change reassessed the programme: a source, and nothing reported yet.
    assert _status_of(RATIO) == ("insufficient_data", "no_data")


def test_a_source_is_recorded_once_for_the_province_and_audited(officer):
    indicator = Indicator.objects.get(code=NO_ELEMENT)
    source = set_source(officer, indicator, _province("52"), PUBLISHED)
    assert source is not None and source.publisher == "Sở Khoa học và Công nghệ"
    set_source(officer, indicator, _province("52"), PUBLISHED)  # the same again: no new event
    events = AuditEvent.objects.filter(target_type="datasource", target_id=indicator.pk)
    assert [e.action for e in events] == ["source_set"]
    assert (
        events[0].actor == officer
        and '"publisher": "Sở Khoa học và Công nghệ"' in events[0].new_value
    )
    set_source(officer, indicator, _province("52"), SourceInput(kind="none"))
    assert not DataSource.objects.filter(indicator=indicator).exists()
    assert [e.action for e in events.order_by("pk")] == ["source_set", "source_removed"]


@pytest.mark.parametrize(
    ("indicator", "source", "vietnamese", "english"),
    [
        (
            RATIO,
            replace(REPORTED, regime="khong-co"),
            "Không có chế độ báo cáo nào có mã “khong-co”.",
            "No reporting regime has the code",
        ),
        (
            RATIO,
            replace(REPORTED, frequency="monthly", first_period="202701"),
            "không thể mang số liệu",
            "cannot carry a figure collected more often (Monthly)",
        ),
        (
            RATIO,
            replace(REPORTED, first_period="2027Q1"),
            "không khớp với tần suất",
            "does not match the frequency",
        ),
        (
            RATIO,
            replace(REPORTED, reporting_tiers=()),
            "đơn vị nào báo cáo",
            "Say which units report",
        ),
        (NO_ELEMENT, REPORTED, "chưa có chỉ tiêu dữ liệu", "has no data element to report"),
        (
            NO_ELEMENT,
            replace(PUBLISHED, reference=" "),
            "văn bản hoặc địa chỉ",
            "Give the document or web address",
        ),
        (
            RATIO,
            SourceInput(kind="guessed", frequency="annual"),
            "không phải là loại nguồn",
            "is not a kind of source",
        ),
    ],
)
def test_bad_input_is_refused_in_both_languages_and_nothing_is_stored(
    officer, indicator, source, vietnamese, english
):
    with pytest.raises(UserFacingError) as refused:
        set_source(officer, Indicator.objects.get(code=indicator), _province("52"), source)
    assert vietnamese in refused.value.text("vi")
    assert english in refused.value.text("en")
    assert not DataSource.objects.exists()
    assert not AuditEvent.objects.filter(target_type="datasource").exists()


def test_a_closed_period_cannot_be_the_first(officer):
    period = Period.objects.filter(regime__code="cds-dinh-ky-quy", code="2025Q1").get()
    period.is_locked = True
    period.save(update_fields=["is_locked"])
    source = replace(REPORTED, frequency="quarterly", first_period="2025Q1")
    with pytest.raises(UserFacingError, match="đã khoá sổ"):
        set_source(officer, Indicator.objects.get(code=RATIO), _province("52"), source)
    assert not DataSource.objects.exists()


def test_an_officer_of_another_province_may_not_change_the_plan():
    user = User.objects.create_user("ha_noi", password="x")
    Membership.objects.create(user=user, org_unit=_province("01"), role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        set_source(user, Indicator.objects.get(code=RATIO), _province("52"), REPORTED)
    assert not DataSource.objects.exists()
