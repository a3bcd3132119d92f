"""A period's figure counts for a target only when enough of the expected units reported, and a
merged province's trend compares only points covering the same legacy provinces."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotrinh.assessment.models import Assessment
from lotrinh.assessment.series import (
    counted_points,
    indicator_series,
    read_series_source,
    series_as_of,
    territory,
)
from lotrinh.assessment.services import assess_programme
from lotrinh.indicators.models import Indicator, Programme, Target
from lotrinh.orgunits.models import REFORM_DATE, OrgUnit, Structure
from lotrinh.reporting.models import DataValue, Period, Report, ReportingRegime, Status
from lotrinh.reporting.queries import due_date, expected_units
from lotrinh.reporting.regimes import ensure_periods
from lotrinh.reporting.services import Actor, approve_report

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
PROGRAMME = "binh-dinh-05-nq-tu"


def inspections_2030() -> Assessment:
    """Bình Định's 2030 target: inspections carried out online above 70 %."""
    return Assessment.objects.get(
        target__programme__code=PROGRAMME,
        target__indicator__code="kiem-tra-qua-moi-truong-so",
        target__year=2030,
    )


@pytest.fixture
def new_period() -> Period:
    """A quarter after every period of the sample data: nobody has reported for it yet."""
    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    latest = regime.periods.order_by("-cutoff_to").first()
    assert latest is not None
    ensure_periods(regime, latest.cutoff_to + datetime.timedelta(days=100))
    period = regime.periods.order_by("-cutoff_to").first()
    assert period is not None and period.cutoff_to > latest.cutoff_to
    return period


def submitted_commune_report(period: Period) -> Report:
    """One commune of Gia Lai (Bình Định's territory) submits 5 of 8 inspections done online."""
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    communes, _note = territory(binh_dinh, Structure.CURRENT, "xã")
    commune = expected_units(period.regime, period).filter(pk__in=communes.values("pk"))[0]
    report = Report.objects.create(
        regime=period.regime,
        period=period,
        org_unit=commune,
        status=Status.SUBMITTED,
        due_on=due_date(period.regime, period, commune),
    )
    for code, value in (("tong_hoat_dong_kiem_tra", 8), ("hoat_dong_kiem_tra_moi_truong_so", 5)):
        DataValue.objects.create(
            report=report,
            data_element=period.regime.fields.get(data_element__code=code).data_element,
            value=Decimal(value),
        )
    return report


def approve_one_commune(period: Period, django_capture_on_commit_callbacks) -> None:
    admin = User.objects.create_superuser("approver", "a@example.invalid", "x")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(Actor(admin), submitted_commune_report(period))


def test_approving_one_commune_leaves_the_province_status_and_latest_value_alone(
    new_period, django_capture_on_commit_callbacks
):
    assess_programme(Programme.objects.get(code=PROGRAMME), today=TODAY)
    before = inspections_2030()
    approve_one_commune(new_period, django_capture_on_commit_callbacks)
    after = inspections_2030()
    assert (after.status, after.latest_value, after.latest_year) == (
        before.status,
        before.latest_value,
        before.latest_year,
    )
    newest = after.series[-1]
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    communes, _note = territory(binh_dinh, Structure.CURRENT, "")
    expected = (
        expected_units(new_period.regime, new_period).filter(pk__in=communes.values("pk")).count()
    )
    assert newest["day"] == new_period.cutoff_to.isoformat() and newest["value"] == 62.5
    assert newest["provisional"] is True and newest["counted"] is False
    assert (newest["approved"], newest["expected"], newest["tier"]) == (1, expected, "commune")
    assert expected > 40  # the communes Bình Định's communes became


def test_a_regime_may_set_its_own_threshold(new_period, django_capture_on_commit_callbacks):
    regime = new_period.regime
    regime.completeness_threshold = Decimal("0")
    regime.save(update_fields=["completeness_threshold"])
    approve_one_commune(new_period, django_capture_on_commit_callbacks)
    after = inspections_2030()
    assert after.series[-1]["provisional"] is False and after.series[-1]["counted"] is True
    assert after.latest_value == 62.5


def test_the_site_threshold_applies_to_regimes_without_their_own(settings):
    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    settings.LOTRINH_COMPLETENESS_THRESHOLD = 1.0
    strict = indicator_series(indicator, binh_dinh, "xã").points
    settings.LOTRINH_COMPLETENESS_THRESHOLD = 0.0
    lenient = indicator_series(indicator, binh_dinh, "xã").points
    assert all(p.provisional == (p.approved < p.expected) for p in strict)
    assert any(p.provisional for p in strict) and not any(p.provisional for p in lenient)
    assert all(0 < p.approved <= p.expected for p in lenient)


def test_published_figures_are_complete_by_definition():
    indicator = Indicator.objects.filter(observations__isnull=False, reported_as=None).first()
    assert indicator is not None
    province = indicator.observations.first().org_unit
    points = indicator_series(indicator, province).points
    assert points and all(p.source == "published" and not p.provisional for p in points)
    assert counted_points(points) == points


def test_a_merged_province_compares_only_points_covering_the_same_former_provinces():
    """Gia Lai (since 1/7/2025) is Bình Định and the old Gia Lai; only Bình Định reported before."""
    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    points = indicator_series(indicator, gia_lai, "xã").points
    reform = datetime.date(2025, 7, 1)
    before = [p for p in points if p.day < reform]
    after = [p for p in points if p.day >= reform]
    assert before and after
    assert {(p.covered, p.parts) for p in before} == {(1, 2)}
    assert {(p.covered, p.parts) for p in after} == {(2, 2)}
    assert {p.covered_names for p in before} == {("Bình Định",)}
    counted = counted_points(points)
    assert counted and all(p.day >= reform and not p.provisional for p in counted)


def test_the_merged_province_programme_is_assessed_on_comparable_points_only():
    source = Programme.objects.get(code=PROGRAMME)
    target = source.target_set.get(
        indicator__code="ho-so-cong-viec-truc-tuyen", level="xã", year=2030
    )
    programme = Programme.objects.get(pk=source.pk)
    programme.pk, programme.code = None, "gia-lai-thu"
    programme.org_unit = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    programme.save()
    target.pk, target.programme = None, programme
    target.save()
    assessment = assess_programme(programme, today=TODAY).assessments[0]
    legacy = [p for p in assessment.series if p["day"] < "2025-07-01"]
    assert legacy and all(not p["counted"] and (p["covered"], p["parts"]) == (1, 2) for p in legacy)
    from lotrinh.dashboards.data import coverage_text

    assert coverage_text(legacy[0]) == "Bình Định — 1/2 tỉnh cũ"
    assert assessment.base_year is None or assessment.base_year >= 2025.5
    counted = [p for p in assessment.series if p["counted"]]
    assert assessment.latest_value == pytest.approx(counted[-1]["value"], abs=1e-4)
    assert Target.objects.filter(programme=programme).count() == 1


def test_a_series_reads_both_structures_figures_in_one_query():
    """Bình Định's series runs across the reform: its legacy units' figures before 1/7/2025 and
    its successor communes' after it come from one aggregation over the figures."""
    binh_dinh = OrgUnit.objects.get(structure=Structure.LEGACY, code="52")
    indicator = Indicator.objects.get(code="kiem-tra-qua-moi-truong-so")
    with CaptureQueriesContext(connection) as captured:
        source = read_series_source(indicator, binh_dinh, "xã")
    figures = [q for q in captured.captured_queries if "reporting_datavalue" in q["sql"]]
    assert len(figures) == 1
    days = [p.day for p in series_as_of(source).points]
    assert min(days) < REFORM_DATE <= max(days)
    assert [s.structure for s in source.structures] == [Structure.LEGACY, Structure.CURRENT]
    assert all(r.day < REFORM_DATE for r in source.structures[0].rows)
    assert all(r.day >= REFORM_DATE for r in source.structures[1].rows)
