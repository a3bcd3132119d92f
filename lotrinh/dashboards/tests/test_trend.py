"""The progress page looks back: each card's status at the previous kept cut-off, its status trend
over the kept quarter ends, a summary of what moved, and the same in the CSV; read, never written."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.models import Assessment, AssessmentStatus, PastAssessment
from lotrinh.assessment.services import assess_history, quarter_ends
from lotrinh.dashboards import page_cache
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db
PROGRAMME = "binh-dinh-05-nq-tu"
PROGRESS = f"/programmes/{PROGRAMME}/progress/"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    page_cache.forget_reports_version()


@pytest.fixture
def viewer() -> Client:
    user = User.objects.create_user("lanh_dao", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"),
        role=Role.VIEWER,
    )
    client = Client()
    client.force_login(user)
    return client


def _vi(status: str) -> str:
    with translation.override("vi"):
        return str(AssessmentStatus(status).label)


@pytest.fixture
def history() -> dict[str, object]:
    """Three kept quarter ends; at the last one, as set here, two targets stood at "not achieved"
    (so they progressed since), one at "achieved" (so it fell back), the others as today."""
    programme = Programme.objects.get(code=PROGRAMME)
    cutoffs = quarter_ends(programme.issued_on, timezone.localdate())[-3:]
    assess_history(programme, cutoffs=cutoffs)
    now = dict(
        Assessment.objects.filter(target__programme=programme).values_list("target_id", "status")
    )
    previous = PastAssessment.objects.filter(target__programme=programme, as_of=cutoffs[-1])
    for target_id, status in now.items():
        previous.filter(target_id=target_id).update(status=status)
    middle = ["on_track", "acceleration_needed", "adjustment_needed", "limited", "deterioration"]
    movers = [t for t, s in now.items() if s in middle]
    better, worse = movers[:2], movers[2]
    previous.filter(target_id__in=better).update(status="not_achieved")
    previous.filter(target_id=worse).update(status="achieved")
    return {
        "cutoffs": cutoffs,
        "now": now,
        "better": better,
        "worse": worse,
        "total": len(now),
    }


def _card(page: str, target_id: int) -> str:
    return page.split(f'id="card-{target_id}"')[1].split("</article>")[0]


def test_each_card_shows_the_previous_status_and_the_trend_from_kept_results(viewer, history):
    page = viewer.get(PROGRESS).content.decode()
    day = history["cutoffs"][-1].strftime("%d/%m/%Y")
    target = history["better"][0]
    card = _card(page, target)
    now = _vi(history["now"][target])
    assert f"Kỳ trước ({day}): {_vi('not_achieved')} → Nay: {now}" in card
    trend = card.split('<ol class="status-trend"')[1].split("</ol>")[0]
    assert trend.count("<li") == len(history["cutoffs"]) + 1
    assert f"{history['cutoffs'][0]:%m/%Y}" in trend and "Nay" in trend
    assert f'class="status not_achieved" title="{_vi("not_achieved")}"' in trend


def test_the_summary_counts_targets_that_moved_since_the_previous_cut_off(viewer, history):
    page = viewer.get(PROGRESS).content.decode()
    day = history["cutoffs"][-1].strftime("%d/%m/%Y")
    unchanged = history["total"] - 3
    assert (
        f"So với kỳ trước ({day}): 2 chỉ tiêu tiến bộ, 1 chỉ tiêu tụt lại, "
        f"{unchanged} chỉ tiêu giữ nguyên trạng thái." in page
    )
    english = viewer.get(f"/en{PROGRESS}").content.decode()
    assert "2 targets moved to a better status, 1 target fell back" in english


def test_without_kept_results_the_page_shows_no_look_back(viewer):
    page = viewer.get(PROGRESS).content.decode()
    assert "So với kỳ trước" not in page and "status-trend" not in page


def test_the_csv_carries_the_previous_status_the_change_and_the_trend(viewer, history):
    rows = list(
        csv.reader(io.StringIO(viewer.get(f"{PROGRESS}?format=csv").content.decode("utf-8-sig")))
    )
    header, body = rows[0], rows[1:]
    column = {name: header.index(name) for name in header}
    changes = [row[column["change_since_previous"]] for row in body]
    assert changes.count("progressed") == 2 and changes.count("fell_back") == 1
    fell = next(row for row in body if row[column["change_since_previous"]] == "fell_back")
    assert fell[column["previous_status"]] == "achieved"
    assert fell[column["previous_as_of"]] == history["cutoffs"][-1].isoformat()
    steps = fell[column["status_trend"]].split(" ")
    assert [step.split(":")[0] for step in steps] == [d.isoformat() for d in history["cutoffs"]]
    assert steps[-1].endswith(":achieved")


def test_reading_the_look_back_writes_nothing(viewer, history):
    viewer.get("/")  # the session's first request may record the sign-in; not what is measured
    for address in (PROGRESS, f"{PROGRESS}?format=csv"):
        with CaptureQueriesContext(connection) as queries:
            assert viewer.get(address).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == []


def test_a_cached_page_shows_the_history_once_it_is_kept(viewer):
    assert "status-trend" not in viewer.get(PROGRESS).content.decode()
    programme = Programme.objects.get(code=PROGRAMME)
    assess_history(programme, cutoffs=[datetime.date(2025, 12, 31)])
    assert "status-trend" in viewer.get(PROGRESS).content.decode()
