"""Assessments as of a past cut-off: only what was approved or published by then, kept per cut-off."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.assessment.models import Assessment, PastAssessment
from lotrinh.assessment.queries import assessment_history, previous_cutoff
from lotrinh.assessment.series import indicator_series
from lotrinh.assessment.services import (
    assess_as_of,
    assess_history,
    assess_programme,
    quarter_ends,
)
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Indicator, Programme
from lotrinh.orgunits.models import OrgUnit, Structure
from lotrinh.reporting.models import Report, Status

pytestmark = pytest.mark.django_db
PROGRAMME = "binh-dinh-05-nq-tu"
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.get(code=PROGRAMME)


def _files_online_series(as_of: datetime.date | None):
    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    return indicator_series(indicator, gia_lai, "xã", as_of=as_of)


def test_quarter_ends_run_from_the_issuing_quarter_to_the_last_one_ended():
    ends = quarter_ends(datetime.date(2024, 11, 5), datetime.date(2025, 9, 29))
    assert ends == [
        datetime.date(2024, 12, 31),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 6, 30),
    ]
    assert quarter_ends(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))[-1] == (
        datetime.date(2025, 3, 31)
    )


def test_a_period_counts_only_the_approvals_made_by_the_cut_off():
    """Before a period's data cut-off day it has no point; on that day only the few reports
    approved at once count; two months later every approval is in."""
    latest = _files_online_series(None).points[-1]
    assert all(p.day < latest.day for p in _files_online_series(latest.day - ONE_DAY).points)
    that_day = _files_online_series(latest.day).points
    assert that_day[-1].day != latest.day or that_day[-1].approved < latest.approved
    later = _files_online_series(latest.day + datetime.timedelta(days=60)).points
    assert later[-1].day == latest.day
    assert (later[-1].value, later[-1].approved) == (latest.value, latest.approved)


def test_a_report_approved_after_the_cut_off_is_left_out():
    latest = _files_online_series(None).points[-1]
    as_of = latest.day + datetime.timedelta(days=60)
    before = _files_online_series(as_of).points[-1]
    report = Report.objects.filter(
        status=Status.APPROVED,
        period__cutoff_to=latest.day,
        org_unit_id__in=Report.objects.filter(org_unit__tier="commune").values("org_unit_id"),
        regime__fields__data_element__code="ho_so_cong_viec_dien_tu",
    ).first()
    assert report is not None
    report.decided_at = datetime.datetime(as_of.year + 1, 1, 2, 9, tzinfo=datetime.UTC)
    report.save(update_fields=["decided_at"])
    after = _files_online_series(as_of).points[-1]
    assert after.day == before.day
    assert after.approved == before.approved - 1


def test_published_figures_count_once_their_year_has_ended():
    indicator = Indicator.objects.filter(observations__isnull=False).first()
    assert indicator is not None
    province = indicator.observations.first().org_unit
    years = sorted({o.year for o in indicator.observations.filter(org_unit=province)})
    kept = indicator_series(indicator, province, as_of=datetime.date(years[-1], 12, 30)).points
    assert all(p.day.year < years[-1] for p in kept if p.source == "published")
    whole = indicator_series(indicator, province, as_of=datetime.date(years[-1], 12, 31)).points
    assert whole and whole[-1].day == datetime.date(years[-1], 12, 31)


def test_as_of_today_gives_what_dashboards_read(programme):
    """One implementation: the latest assessment is the assessment as of today."""
    today = timezone.localdate()
    latest = {a.target_id: a for a in assess_programme(programme, today=today).assessments}
    past = assess_as_of(programme, today)
    assert len(past) == len(latest) == 37
    for row in past:
        now = latest[row.target_id]
        assert (row.status, row.latest_value, row.forecast_value, row.gap) == (
            now.status,
            now.latest_value,
            now.forecast_value,
            now.gap,
        )


def test_history_is_kept_per_cut_off_idempotently_and_leaves_the_latest_alone(programme):
    assess_programme(programme)
    latest = list(Assessment.objects.filter(target__programme=programme).values_list("status"))
    cutoffs = [datetime.date(2024, 12, 31), datetime.date(2025, 12, 31)]
    assess_history(programme, cutoffs=cutoffs)
    first = list(
        PastAssessment.objects.filter(target__programme=programme)
        .order_by("as_of", "target_id")
        .values_list("as_of", "target_id", "status", "latest_value")
    )
    assess_history(programme, cutoffs=cutoffs)
    again = list(
        PastAssessment.objects.filter(target__programme=programme)
        .order_by("as_of", "target_id")
        .values_list("as_of", "target_id", "status", "latest_value")
    )
    assert first == again and len(first) == 2 * 37
    assert (
        list(Assessment.objects.filter(target__programme=programme).values_list("status")) == latest
    )
    history = assessment_history(programme)
    assert [c.as_of for c in history] == cutoffs
    assert sum(history[0].counts.values()) == 37
    # Illustrative data start mid-2024: by the end of 2025 more targets have figures than in 2024.
    assert history[1].counts.get("insufficient_data", 0) < history[0].counts["insufficient_data"]
    previous = previous_cutoff(programme, datetime.date(2025, 12, 31))
    assert previous is not None and previous.as_of == datetime.date(2024, 12, 31)


def test_the_default_history_covers_every_quarter_since_the_programme_was_issued(programme):
    done = assess_history(programme, today=datetime.date(2026, 11, 23))
    assert (
        done[0]
        == quarter_ends(programme.issued_on, programme.issued_on + datetime.timedelta(92))[0]
    )
    assert done[-1] == datetime.date(2026, 9, 30)
    assert PastAssessment.objects.filter(target__programme=programme).count() == 37 * len(done)


def test_a_future_cut_off_is_refused_in_both_languages_and_nothing_is_kept(programme):
    with pytest.raises(UserFacingError) as raised:
        assess_history(
            programme,
            cutoffs=[datetime.date(2025, 3, 31), datetime.date(2099, 3, 31)],
            today=datetime.date(2026, 11, 23),
        )
    assert "31/03/2099" in raised.value.text("vi") and "tương lai" in raised.value.text("vi")
    assert "future" in raised.value.text("en")
    assert not PastAssessment.objects.filter(target__programme=programme).exists()


def test_the_command_keeps_the_cut_offs_it_is_given(programme, capsys):
    call_command("assess_history", PROGRAMME, "--as-of", "2025-06-30", "--as-of", "2025-09-30")
    assert "2 cut-offs" in capsys.readouterr().out
    assert {c.as_of for c in assessment_history(programme)} == {
        datetime.date(2025, 6, 30),
        datetime.date(2025, 9, 30),
    }


def _member(role: str) -> User:
    user = User.objects.create_user(f"u-{role}", password="x")
    Membership.objects.create(
        user=user, org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"), role=role
    )
    return user


def test_the_api_recomputes_for_programme_officers_and_lists_for_viewers(client: Client):
    url = f"/api/v1/programmes/{PROGRAMME}/assessments/history"
    client.force_login(_member(Role.VIEWER))
    body = {"cutoffs": ["2025-12-31"]}
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert client.get(url).json() == []
    client.force_login(_member(Role.OFFICER))
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 200
    [cutoff] = answer.json()["cutoffs"]
    assert cutoff["as_of"] == "2025-12-31" and len(cutoff["targets"]) == 37
    assert sum(cutoff["counts"].values()) == 37
    refused = client.post(url, {"cutoffs": ["2099-01-01"]}, content_type="application/json")
    assert refused.status_code == 400 and "future" in refused.content.decode()


def test_kept_assessments_are_reused_until_a_report_is_decided(programme):
    from lotrinh.assessment.services import assessments_as_of, kept_as_of

    as_of = datetime.date(2025, 12, 31)
    first = assess_as_of(programme, as_of)
    assert {a.pk for a in assessments_as_of(programme, as_of)} == {a.pk for a in first}
    report = Report.objects.filter(status=Status.APPROVED).first()
    assert report is not None
    report.decided_at = timezone.now() + datetime.timedelta(seconds=1)
    report.save(update_fields=["decided_at"])
    assert kept_as_of(programme, as_of) is None
    again = assessments_as_of(programme, as_of)
    assert len(again) == 37 and not {a.pk for a in again} & {a.pk for a in first}


def _known_only(as_of: datetime.date) -> None:
    """Remove from the database every figure not approved or published by the end of `as_of`."""
    from lotrinh.assessment.series import known_by
    from lotrinh.indicators.models import Observation
    from lotrinh.reporting.models import DataValue

    DataValue.objects.exclude(known_by(as_of)).delete()
    year_ended = as_of.year + (as_of >= datetime.date(as_of.year, 12, 31))
    Observation.objects.filter(year__gte=year_ended).delete()


def test_a_history_read_once_equals_each_cut_off_assessed_on_the_data_known_then(programme):
    """The figures kept for each cut-off, derived from one read of the data, are those an
    assessment of today's data gives on a database holding only what was known by the cut-off."""
    cutoffs = quarter_ends(programme.issued_on, timezone.localdate())[-4:]
    assess_history(programme, cutoffs=cutoffs)
    fields = ("status", "latest_value", "forecast_value", "gap", "data_cutoff", "series")
    kept = {
        (row["target_id"], row["as_of"]): row
        for row in PastAssessment.objects.filter(target__programme=programme).values(
            "target_id", "as_of", *fields
        )
    }
    compared = 0
    for as_of in reversed(cutoffs):  # newest first: each removal keeps what older cut-offs know
        _known_only(as_of)
        for a in assess_programme(programme, today=as_of).assessments:
            then = kept[(a.target_id, as_of)]
            assert tuple(getattr(a, name) for name in fields) == tuple(then[f] for f in fields)
            compared += 1
    assert compared == 4 * 37
    assert len({kept[k]["status"] for k in kept}) > 1
