"""A legacy province's programme reads, from the reform's year, the figures published for the
province it merged into."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.series import indicator_series
from lotrinh.indicators.models import Indicator, Observation
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

SERVICE_RANK = "Xếp hạng Bộ chỉ số phục vụ người dân, doanh nghiệp (766)"


def _province(structure: str) -> OrgUnit:
    return OrgUnit.objects.get(structure=structure, tier=Tier.PROVINCE, code="52")


def test_binh_dinh_reads_gia_lai_s_figures_from_2025_on_at_the_province_level():
    indicator = Indicator.objects.filter(observations__indicator_name=SERVICE_RANK).distinct().get()
    binh_dinh, gia_lai = _province(Structure.LEGACY), _province(Structure.CURRENT)
    merged = Observation.objects.filter(indicator=indicator, org_unit=gia_lai, year=2025)
    assert merged.exists()
    # A figure of Gia Lai before the reform stays Gia Lai's (the new province did not exist).
    Observation.objects.create(
        indicator=indicator, org_unit=gia_lai, year=2023, period_label="2023", value=50, unit="x"
    )
    series = indicator_series(indicator, binh_dinh, "tỉnh")
    by_day = {p.day: p.value for p in series.points}
    assert by_day[datetime.date(2025, 12, 31)] == float(merged.order_by("pk").last().value)
    assert by_day.get(datetime.date(2023, 12, 31)) != 50
    assert datetime.date(2024, 12, 31) in by_day  # Bình Định's own rank of 2024
    # A commune-tier series is not the province's rank.
    communes = indicator_series(indicator, binh_dinh, "xã")
    assert datetime.date(2025, 12, 31) not in {p.day for p in communes.points}


def test_a_figure_of_its_own_for_a_year_wins_over_the_successor_s():
    indicator = Indicator.objects.filter(observations__indicator_name=SERVICE_RANK).distinct().get()
    binh_dinh = _province(Structure.LEGACY)
    Observation.objects.create(
        indicator=indicator, org_unit=binh_dinh, year=2025, period_label="2025", value=9, unit="x"
    )
    series = indicator_series(indicator, binh_dinh, "tỉnh")
    assert {p.day: p.value for p in series.points}[datetime.date(2025, 12, 31)] == 9


def test_the_figure_form_of_binh_dinh_s_programme_offers_gia_lai_first():
    user = User.objects.create_user("ke_hoach_gl", password="x")
    gia_lai = _province(Structure.CURRENT)
    Membership.objects.create(user=user, org_unit=gia_lai, role=Role.OFFICER)
    client = Client()
    client.force_login(user)
    programme = "binh-dinh-05-nq-tu"
    indicator = Indicator.objects.filter(target__programme__code=programme).first()
    response = client.get(reverse("monitoring:figure-create", args=[programme, indicator.code]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["province"] == str(gia_lai.pk)
    assert str(gia_lai.pk) in dict(form.fields["province"].choices)
