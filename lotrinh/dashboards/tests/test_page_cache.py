"""Cached dashboard bodies: fresh after new data, authorised before they are served, never personal."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from lotrinh.access.models import Membership, Role
from lotrinh.dashboards import page_cache
from lotrinh.orgunits.models import OrgUnit, Structure
from lotrinh.reporting.models import Report, Status
from lotrinh.reporting.services import Actor, approve_report, return_report

pytestmark = pytest.mark.django_db
PROGRESS = "/programmes/binh-dinh-05-nq-tu/progress/"
OVERVIEW = "/units/2025/52/overview/"
API = "/api/v1/programmes/binh-dinh-05-nq-tu/assessments"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    page_cache.forget_reports_version()


def viewer(code: str, name: str) -> Client:
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code=code),
        role=Role.VIEWER,
    )
    client = Client()
    client.force_login(user)
    return client


def submitted_gia_lai_report() -> Report:
    """A commune's report waiting for approval, in the last closed quarter (the one dashboards show)."""
    report = (
        Report.objects.filter(
            status=Status.SUBMITTED,
            org_unit__structure=Structure.CURRENT,
            org_unit__path__startswith="2025/52/",
            period__cutoff_to__lt=timezone.localdate(),
        )
        .order_by("-period__starts_on", "org_unit__path")
        .first()
    )
    assert report is not None
    return report


def chart_data(page: str) -> str:
    """The figures behind every chart of a progress page (JSON in <script> elements)."""
    return "".join(part.split("</script>")[0] for part in page.split('type="application/json"'))


def test_a_cached_progress_page_shows_new_figures_once_they_are_approved(
    django_capture_on_commit_callbacks,
):
    client = viewer("52", "lanh_dao")
    before = client.get(PROGRESS).content.decode()
    assert chart_data(client.get(PROGRESS).content.decode()) == chart_data(before)
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(Actor(admin), submitted_gia_lai_report())
    after = client.get(PROGRESS).content.decode()
    assert chart_data(after) != chart_data(before)
    assert after.count('class="target-card"') == 37


def test_the_assessment_api_serves_the_refreshed_assessments_after_an_approval(
    django_capture_on_commit_callbacks,
):
    client = viewer("52", "lanh_dao")
    before = client.get(API).json()
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(Actor(admin), submitted_gia_lai_report())
    after = client.get(API).json()
    assert len(after) == len(before) == 37
    assert after[0]["computed_at"] > before[0]["computed_at"]
    assert [a["series"] for a in after] != [b["series"] for b in before]


def league_row(page: str, unit_name: str) -> str:
    return page.split(f">{unit_name}</a></td>")[1].split("</tr>")[0]


def test_a_cached_unit_overview_counts_a_returned_report_at_once_in_this_worker(monkeypatch):
    client = viewer("52", "lanh_dao")
    report = submitted_gia_lai_report()
    unit_name = report.org_unit.name
    before = league_row(client.get(OVERVIEW).content.decode(), unit_name)
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    return_report(Actor(admin), report, "Thiếu số liệu.")
    # A return is no approval, so no signal: another worker sees it once its version read expires.
    monkeypatch.setattr(page_cache, "REPORTS_VERSION_SECONDS", 0)
    after = league_row(client.get(OVERVIEW).content.decode(), unit_name)
    assert after != before


def test_an_approval_is_read_at_once_by_the_worker_that_made_it(
    django_capture_on_commit_callbacks,
):
    first = page_cache.reports_version()
    admin = User.objects.create_superuser("root", "r@example.invalid", "x")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(Actor(admin), submitted_gia_lai_report())
    assert page_cache.reports_version() != first


@pytest.mark.parametrize("path", [PROGRESS, OVERVIEW, API])
def test_a_user_who_may_not_see_the_data_never_gets_the_cached_body(path):
    allowed = viewer("52", "lanh_dao").get(path)
    assert allowed.status_code == 200
    other = viewer("24", "khac").get(path)
    assert other.status_code == 403
    assert "target-card" not in other.content.decode()
    assert "league" not in other.content.decode() and '"series"' not in other.content.decode()
    anonymous = Client().get(path)
    assert anonymous.status_code in {302, 401}


def test_each_unit_has_its_own_overview():
    viewer("52", "lanh_dao").get(OVERVIEW)
    page = viewer("24", "khac").get("/units/2025/24/overview/").content.decode()
    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52").name
    own = OrgUnit.objects.get(structure=Structure.CURRENT, code="24").name
    assert f"<h1>{own}</h1>" in page and f"<h1>{gia_lai}</h1>" not in page


def test_a_cached_page_holds_nothing_of_the_user_who_filled_the_cache():
    first = viewer("52", "lanh_dao_mot").get(PROGRESS).content.decode()
    second = viewer("52", "lanh_dao_hai").get(PROGRESS).content.decode()
    assert "lanh_dao_mot" in first and "lanh_dao_mot" not in second
    assert "lanh_dao_hai" in second
    token = first.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token not in second


def test_each_language_and_filter_has_its_own_body():
    client = viewer("52", "lanh_dao")
    vietnamese = client.get(PROGRESS).content.decode()
    english = client.get("/en" + PROGRESS).content.decode()
    assert "Where the targets stand" in english and "Where the targets stand" not in vietnamese
    economy = client.get(PROGRESS, {"pillar": "economy"}).content.decode()
    assert 0 < economy.count('class="target-card"') < vietnamese.count('class="target-card"')
    assert "?pillar=economy&amp;format=csv" in economy


def test_the_cached_api_body_is_what_the_schema_describes():
    client = viewer("52", "lanh_dao")
    response = client.get(API)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    schema = client.get("/api/v1/openapi.json").json()
    described = schema["components"]["schemas"]["AssessmentOut"]["properties"]
    assert set(body[0]) == set(described)
