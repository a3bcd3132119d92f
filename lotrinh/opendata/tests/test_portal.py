"""The open data portal's pages and downloads, read by an anonymous visitor."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from lotrinh.opendata.catalogue import INDICATOR, PROGRAMME, get_dataset, list_datasets
from lotrinh.reporting.models import Report, Status

pytestmark = pytest.mark.django_db

GIA_LAI_RECORDS = "ho-so-cong-viec-truc-tuyen-gia-lai"


def test_every_indicator_and_province_with_approved_figures_is_a_dataset():
    datasets = {d.name: d for d in list_datasets()}
    gia_lai = datasets[GIA_LAI_RECORDS]
    assert gia_lai.kind == INDICATOR
    assert gia_lai.organisation.code == "52" and gia_lai.organisation.structure == "2025"
    assert 2025 in gia_lai.years
    assert datasets["chi-tieu-binh-dinh-05-nq-tu"].kind == PROGRAMME


def test_the_catalogue_finds_a_dataset_with_or_without_diacritics(client):
    for query in ("hồ sơ công việc gia lai", "ho so cong viec gia lai"):
        page = client.get("/dataset/", {"q": query}).content.decode()
        assert f"/dataset/{GIA_LAI_RECORDS}/" in page, query
    page = client.get("/dataset/", {"q": "khong co gi nhu the nay"}).content.decode()
    assert GIA_LAI_RECORDS not in page


def test_a_facet_keeps_only_its_datasets(client):
    page = client.get("/dataset/", {"kind": PROGRAMME}).content.decode()
    assert "/dataset/chi-tieu-binh-dinh-05-nq-tu/" in page
    assert f"/dataset/{GIA_LAI_RECORDS}/" not in page


def test_the_dataset_page_shows_metadata_and_figures(client):
    response = client.get(f"/dataset/{GIA_LAI_RECORDS}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Creative Commons Attribution 4.0" in page
    assert "01/07/2025" in page  # the unit code's validity, in Vietnamese date format
    assert 'data-chart="trend"' in page


def test_an_unknown_dataset_is_not_found(client):
    assert client.get("/dataset/khong-ton-tai/").status_code == 404
    assert client.get(f"/dataset/{GIA_LAI_RECORDS}/download/exe").status_code == 404


def test_the_csv_starts_with_a_byte_order_mark_and_reads_back(client):
    body = client.get(f"/dataset/{GIA_LAI_RECORDS}/download/csv").content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows and {r["unit_code"] for r in rows} == {"52"}
    assert all(float(r["value"]) >= 0 for r in rows)


def test_the_xlsx_and_json_hold_the_same_rows_as_the_csv(client):
    base = f"/dataset/{GIA_LAI_RECORDS}/download/"
    rows = list(csv.DictReader(io.StringIO(client.get(base + "csv").content.decode("utf-8-sig"))))
    document = json.loads(client.get(base + "json").content)
    assert len(document["records"]) == len(rows)
    assert document["metadata"]["licence"] == "cc-by"
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "xlsx").content))
    assert book.active.max_row == len(rows) + 1


def test_a_target_sentence_that_looks_like_a_formula_is_written_as_text(client):
    from lotrinh.indicators.models import Target

    target = Target.objects.filter(programme__code="binh-dinh-05-nq-tu").first()
    Target.objects.filter(pk=target.pk).update(text='=HYPERLINK("http://x.example")')
    body = client.get("/dataset/chi-tieu-binh-dinh-05-nq-tu/download/csv").content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body


def test_a_reopened_report_leaves_the_published_data(client):
    before = len(
        json.loads(client.get(f"/dataset/{GIA_LAI_RECORDS}/download/json").content)["records"]
    )
    reports = Report.objects.filter(status=Status.APPROVED, org_unit__path__startswith="2025/52/")
    assert before and reports.exists()
    reports.update(status=Status.RETURNED)
    assert get_dataset(GIA_LAI_RECORDS) is None
    assert client.get(f"/dataset/{GIA_LAI_RECORDS}/download/json").status_code == 404


def test_a_repeated_request_is_answered_not_modified(client):
    for address in ("/api/3/action/package_list", f"/dataset/{GIA_LAI_RECORDS}/download/csv"):
        first = client.get(address)
        assert first["ETag"] and first["Last-Modified"]
        again = client.get(address, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, address
        since = client.get(address, headers={"If-Modified-Since": first["Last-Modified"]})
        assert since.status_code == 304, address


@pytest.mark.parametrize("extension", ["jsonld", "ttl", "xml"])
def test_a_dcat_document_written_anew_is_still_not_modified(client, settings, extension):
    # Made by the view each time (nothing kept): rdflib's blank nodes and order change between
    # writings, and the validator must not.
    settings.LOTRINH_OPEN_DATA_CACHE_ENTRIES = 0
    for address in (f"/dataset/{GIA_LAI_RECORDS}.{extension}", f"/catalog.{extension}"):
        first, second = client.get(address), client.get(address)
        assert first.status_code == 200 and first["ETag"].startswith('W/"'), address
        assert second["ETag"] == first["ETag"], address
        again = client.get(address, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, address
    other_page = client.get(f"/catalog.{extension}?page=2")
    assert other_page["ETag"] != client.get(f"/catalog.{extension}")["ETag"]


def test_other_sites_may_read_the_open_data_from_a_browser(client):
    origin = {"Origin": "https://du-lieu.example.org"}
    assert (
        client.get("/api/3/action/package_list", headers=origin)["Access-Control-Allow-Origin"]
        == "*"
    )
    assert client.get("/data.json", headers=origin)["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/reports/", headers=origin)


def test_a_client_asking_too_often_is_told_when_to_come_back(client, settings):
    settings.LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE = 3
    answers = [client.get("/api/3/action/status_show") for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = answers[-1]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert "Quá nhiều" in body["detail"] and "Too many" in body["detail_en"]
    assert client.get("/programmes/").status_code == 200  # the rest of the site is not limited


def test_a_programme_publishes_its_tasks_and_their_approved_state_without_names(client):
    import datetime

    from django.contrib.auth.models import User
    from django.utils import timezone

    from lotrinh.indicators.models import Programme
    from lotrinh.workplan.models import (
        ApprovalState,
        DeadlineKind,
        ProgressStatus,
        Task,
        TaskProgress,
    )

    name = "chi-tieu-binh-dinh-05-nq-tu"
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    today = timezone.localdate()
    task = Task.objects.create(
        programme=programme,
        title="Xây dựng kho dữ liệu dùng chung của tỉnh",
        lead_unit=programme.org_unit,
        deadline_kind=DeadlineKind.YEAR,
        deadline_year=2099,
        due_on=datetime.date(2099, 12, 31),
        source_line=9999,
    )
    reporter = User.objects.create_user("nguoibaocao", "bao.cao.vien@example.vn", "x")
    progress = {"task": task, "reporter": reporter, "decided_by": reporter}
    TaskProgress.objects.create(
        **progress,
        period_code="2025Q4",
        as_of=today - datetime.timedelta(days=1),
        status=ProgressStatus.IN_PROGRESS,
        percent=40,
        note="Ghi chú nội bộ",
        state=ApprovalState.APPROVED,
    )
    TaskProgress.objects.create(
        **progress,
        period_code="2026Q1",
        as_of=today,
        status=ProgressStatus.BLOCKED,
        blocked_reason="Lý do nội bộ không công bố",
        state=ApprovalState.SUBMITTED,
    )
    package = client.get("/api/3/action/package_show", {"id": name}).json()["result"]
    ids = [r["id"] for r in package["resources"]]
    assert f"{name}-tasks-csv" in ids and f"{name}-tasks-json" in ids
    found = client.get(
        "/api/3/action/datastore_search", {"resource_id": f"{name}-tasks-csv", "limit": 32000}
    ).json()["result"]
    assert found["total"] == Task.objects.filter(programme=programme).count()
    record = next(r for r in found["records"] if r["title"] == task.title)
    # The blocked report is not approved: the approved one gives the state.
    assert (record["status"], record["percent"]) == (ProgressStatus.IN_PROGRESS, 40)
    assert record["lead_unit"] == programme.org_unit.name and record["overdue"] is False
    csv_body = client.get(f"/dataset/{name}/download/tasks-csv").content
    assert csv_body.startswith(b"\xef\xbb\xbf") and task.title.encode() in csv_body
    document = json.loads(client.get(f"/dataset/{name}/download/tasks-json").content)
    assert task.title in {r["title"] for r in document["records"]}
    page = client.get(f"/dataset/{name}/").content.decode()
    assert task.title in page and "/download/tasks-json" in page
    for body in (csv_body.decode("utf-8-sig"), page, json.dumps(found, ensure_ascii=False)):
        for private in ("nguoibaocao", "bao.cao.vien@example.vn", "Lý do nội bộ", "Ghi chú nội bộ"):
            assert private not in body


def test_a_programme_with_tasks_and_no_target_publishes_its_tasks(client):
    import datetime

    from lotrinh.indicators.models import Programme
    from lotrinh.orgunits.models import OrgUnit
    from lotrinh.workplan.models import ApprovalState, DeadlineKind, ProgressStatus, Task

    province = OrgUnit.objects.get(path="2025/52/")
    programme = Programme.objects.create(
        code="gia-lai-chi-giao-nhiem-vu",
        number="98/KH-UBND",
        title="Kế hoạch giao nhiệm vụ số hóa",
        issuer="UBND tỉnh Gia Lai",
        issued_on=datetime.date(2025, 8, 1),
        org_unit=province,
        document_text="Giao nhiệm vụ, không đặt chỉ tiêu.",
    )
    name = "chi-tieu-gia-lai-chi-giao-nhiem-vu"
    assert get_dataset(name) is None  # no target and no task: nothing to publish
    task = Task.objects.create(
        programme=programme,
        title="Kết nối cơ sở dữ liệu đất đai với cổng dịch vụ công",
        lead_unit=province,
        deadline_kind=DeadlineKind.YEAR,
        deadline_year=2099,
        due_on=datetime.date(2099, 12, 31),
        source_line=3,
    )
    task.progress.create(
        period_code="2025Q3",
        as_of=datetime.date(2025, 9, 30),
        status=ProgressStatus.IN_PROGRESS,
        percent=60,
        state=ApprovalState.APPROVED,
    )
    task.progress.create(
        period_code="2025Q4",
        as_of=datetime.date(2025, 12, 31),
        status=ProgressStatus.DONE,
        percent=100,
        state=ApprovalState.SUBMITTED,
    )
    dataset = get_dataset(name)
    assert dataset is not None and dataset.kind == PROGRAMME
    assert dataset.organisation.code == "52"
    package = client.get("/api/3/action/package_show", {"id": name}).json()["result"]
    assert f"{name}-tasks-csv" in [r["id"] for r in package["resources"]]
    found = client.get(
        "/api/3/action/datastore_search", {"resource_id": f"{name}-tasks-csv"}
    ).json()["result"]
    assert found["total"] == 1
    record = found["records"][0]
    assert record["title"] == task.title
    # Only the approved report gives the state: the submitted "done" is not published.
    assert (record["status"], record["percent"]) == (ProgressStatus.IN_PROGRESS, 60)
    targets = client.get("/api/3/action/datastore_search", {"resource_id": f"{name}-csv"}).json()[
        "result"
    ]
    assert targets["total"] == 0
    page = client.get(f"/dataset/{name}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert task.title in text and "/download/tasks-csv" in text
    assert "Chương trình không đặt chỉ tiêu" in text
    search = client.get("/api/3/action/package_search", {"q": "giao nhiem vu so hoa"}).json()
    assert name in [p["name"] for p in search["result"]["results"]]
