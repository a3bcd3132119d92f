"""The demo's first page: with the sample plan and the illustrative reports of all five provinces,
few targets lack data (each saying why) and the statuses are a mix a leader would believe."""

from collections import Counter

import pytest

from lotrinh.assessment.models import Assessment
from lotrinh.assessment.scoring import Status
from lotrinh.assessment.services import assess_all
from lotrinh.monitoring.services import load_plan
from lotrinh.reporting.illustrative import generate_illustrative

pytestmark = pytest.mark.django_db

ON_COURSE = {Status.ACHIEVED, Status.ON_TRACK}


def test_few_sample_targets_lack_data_and_the_status_mix_is_neither_all_good_nor_all_bad():
    load_plan()
    generate_illustrative()  # every province and period, as `lotrinh demo` does
    assess_all()
    demo_assessments = list(Assessment.objects.values_list("status", "reason"))

    missing = [reason for status, reason in demo_assessments if status == Status.INSUFFICIENT_DATA]
    assert len(demo_assessments) == 142
    assert len(missing) <= 21  # at most 15 % of the 142 targets
    assert all(reason in {"no_source", "no_data", "too_few_points"} for reason in missing)

    statuses = Counter(status for status, _reason in demo_assessments)
    on_course = sum(statuses[s] for s in ON_COURSE)
    behind = len(demo_assessments) - on_course - statuses[Status.INSUFFICIENT_DATA]
    assert 0.25 <= on_course / len(demo_assessments) <= 0.75
    assert 0.25 <= behind / len(demo_assessments) <= 0.75
    assert max(statuses.values()) <= 0.5 * len(demo_assessments)
