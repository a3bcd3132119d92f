"""The sample monitoring plan: every target of the five sample programmes has a source."""

import pytest

from lotrinh.indicators.models import Target
from lotrinh.monitoring.models import DataSource
from lotrinh.monitoring.queries import plan_province
from lotrinh.monitoring.services import load_plan

pytestmark = pytest.mark.django_db


def test_every_sample_target_has_a_source_once_the_sample_plan_is_loaded():
    sources = load_plan()
    assert sources == DataSource.objects.count() == 93
    planned = set(DataSource.objects.values_list("province_id", "indicator_id"))
    targets = Target.objects.select_related("programme__org_unit")
    missing = [
        t
        for t in targets
        if (plan_province(t.programme.org_unit).pk, t.indicator_id) not in planned
    ]
    assert targets.count() == 142 and missing == []


def test_loading_the_plan_again_changes_nothing():
    load_plan()
    before = list(DataSource.objects.order_by("pk").values())
    load_plan()
    assert list(DataSource.objects.order_by("pk").values()) == before


def test_a_plan_file_with_one_bad_entry_is_refused_whole(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(
        '[[source]]\nprovince = "2025/52"\nindicator = "so-do-thi-thong-minh"\nkind = "published"\n'
        'frequency = "annual"\npublisher = "Sở Xây dựng"\nreference = "Báo cáo"\n\n'
        '[[source]]\nprovince = "2025/52"\nindicator = "khong-co"\nkind = "published"\n',
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="khong-co"):
        load_plan(path)
    assert not DataSource.objects.exists()


def test_loading_the_plan_reassesses_so_no_target_lacks_a_source(
    django_capture_on_commit_callbacks,
):
    from lotrinh.assessment.models import Assessment
    from lotrinh.assessment.services import assess_all

    assess_all()
    assert Assessment.objects.filter(reason="no_source").exists()
    with django_capture_on_commit_callbacks(execute=True):
        load_plan()
    assert Assessment.objects.count() == 142
    assert not Assessment.objects.filter(reason="no_source").exists()
