"""Real published figures load with their source and show beside the programme data."""

from decimal import Decimal

import pytest

from lotrinh.indicators.models import Observation
from lotrinh.monitoring.published import load_observations

pytestmark = pytest.mark.django_db


def test_all_129_published_figures_are_loaded_with_their_source():
    assert Observation.objects.count() == 129
    assert not Observation.objects.filter(source_url="").exists()
    assert not Observation.objects.filter(quote="").exists()


def test_a_rank_is_attached_to_the_legacy_province_and_kept_exactly():
    row = Observation.objects.get(
        indicator_name="Xếp hạng DTI cấp tỉnh", year=2022, org_unit__short_name="Bắc Giang"
    )
    assert row.value == 9 and row.unit == "hạng/63" and row.org_unit.structure == "legacy"
    assert (
        row.indicator.name == "Thứ hạng chỉ số đánh giá chuyển đổi số của tỉnh"
    )  # an alias in the catalogue


def test_post_merger_figures_belong_to_the_merged_province():
    assert (
        Observation.objects.filter(
            org_unit__structure="2025", org_unit__short_name="Gia Lai"
        ).count()
        == 26
    )


def test_more_than_figures_are_lower_bounds():
    bounds = Observation.objects.filter(is_lower_bound=True)
    assert bounds.count() == 8 and bounds.filter(value=Decimal("90")).exists()


def test_loading_again_duplicates_nothing():
    assert load_observations() == 129
    assert Observation.objects.count() == 129


def test_the_merged_province_page_shows_its_and_its_predecessors_figures(client):
    page = client.get("/units/2025/52/").content.decode()
    assert 'id="observations"' in page and "dti.gov.vn" in page  # Bình Định's 2022 DTI rank


def test_the_indicator_page_lists_published_figures(client):
    from lotrinh.indicators.models import Indicator

    indicator = Indicator.objects.get(name="Thứ hạng chỉ số đánh giá chuyển đổi số của tỉnh")
    page = client.get(f"/indicators/{indicator.code}/").content.decode()
    assert "hạng/63" in page and "Bắc Giang" in page
