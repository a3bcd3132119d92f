"""Kept as-of assessments and the open data follow a published figure entered or changed."""

import datetime

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.models import PastAssessment
from lotrinh.assessment.services import assess_as_of, kept_as_of
from lotrinh.indicators.models import Indicator, Observation, Programme
from lotrinh.monitoring.published import PublishedFigure, record_published_figure
from lotrinh.opendata.catalogue import publication_version
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

PROGRAMME = "binh-dinh-05-nq-tu"  # Bình Định's, planned in Gia Lai
CUTOFF = datetime.date(2026, 9, 30)
SERVICE_RANK = "Xếp hạng Bộ chỉ số phục vụ người dân, doanh nghiệp (766)"


@pytest.fixture
def officer() -> User:
    user = User.objects.create_user("ke_hoach_gl", password="x")
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52")
    Membership.objects.create(user=user, org_unit=gia_lai, role=Role.OFFICER)
    return user


def _figure(value: str) -> PublishedFigure:
    indicator = Indicator.objects.filter(observations__indicator_name=SERVICE_RANK).distinct().get()
    return PublishedFigure(
        indicator=indicator,
        province=OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52"),
        year=2026,
        period="Q1/2026",
        value=value,
        unit="hạng/34",
        reference="Báo cáo 1/BC-BCĐ",
    )


def test_a_figure_entered_makes_the_kept_cutoffs_stale_then_they_are_assessed_again(
    officer, django_capture_on_commit_callbacks
):
    programme = Programme.objects.get(code=PROGRAMME)
    kept = assess_as_of(programme, CUTOFF)
    assert kept_as_of(programme, CUTOFF) is not None
    computed = {a.pk: a.computed_at for a in kept}

    record_published_figure(officer, _figure("5"))  # its announcement not delivered yet
    assert kept_as_of(programme, CUTOFF) is None  # out of date: assessed again when asked for

    with django_capture_on_commit_callbacks(execute=True):
        record_published_figure(officer, _figure("4"))
    again = PastAssessment.objects.filter(target__programme=programme, as_of=CUTOFF)
    assert again.count() == len(computed)
    assert all(a.computed_at > max(computed.values()) for a in again)
    assert kept_as_of(programme, CUTOFF) is not None


def test_a_changed_figure_changes_the_open_data_version(officer):
    record_published_figure(officer, _figure("5"))
    before = publication_version()
    record_published_figure(officer, _figure("6"))  # the same row, another value
    assert Observation.objects.filter(period_label="Q1/2026").count() == 1
    assert publication_version() != before
