"""What the open data publishes: approved figures of non-confidential data elements only, from the
moment of approval until a report is reopened, and no one's name or e-mail address."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from lotrinh.core.formatting import format_number
from lotrinh.indicators.models import DataElement, Indicator
from lotrinh.opendata.catalogue import (
    dataset_table,
    get_dataset,
    list_datasets,
    resources_of,
)
from lotrinh.reporting.models import DataValue, Report, Status
from lotrinh.reporting.services import Actor, approve_report, reopen_report

pytestmark = pytest.mark.django_db

INDICATOR = "ho-so-cong-viec-truc-tuyen"
GIA_LAI_RECORDS = f"{INDICATOR}-gia-lai"
DRAFT_FIGURE = Decimal("31415926")
NAME, EMAIL = "Nguyễn Thị Bí Mật", "bi.mat.nguoi.bao.cao@example.vn"


def public_addresses(client):
    """Every public address of the open data, for every dataset and format."""
    addresses = ["/dataset/", "/en/dataset/", "/dataset/api/", "/catalog.ttl", "/catalog.jsonld"]
    addresses += ["/catalog.xml", "/data.json", "/api/3/action/package_search?rows=1000"]
    addresses += ["/api/3/action/package_list", "/api/3/action/organization_list?all_fields=1"]
    addresses += ["/sdmx/datastructure/LOTRINH/DSD_INDICATORS/1.0"]
    for dataset in list_datasets():
        name = dataset.name
        addresses += [f"/dataset/{name}/", f"/en/dataset/{name}/", f"/dataset/{name}.ttl"]
        if dataset.kind == "indicator":
            addresses += [f"/dataset/{name}/download/{fmt}" for fmt in ("dhis2", "adx")]
        addresses += [f"/api/3/action/package_show?id={name}"]
        for resource in resources_of(dataset):
            addresses += [f"/dataset/{name}/download/{resource.key}"]
            addresses += [f"/api/3/action/resource_show?id={name}-{resource.key}"]
            if resource.datastore:
                addresses += [
                    f"/api/3/action/datastore_search?resource_id={name}-{resource.key}&limit=32000",
                    f"/datastore/dump/{name}-{resource.key}",
                ]
    return addresses


def tasks_only_programme(person: User) -> str:
    """A programme with one task and no target, whose progress names `person` and holds notes
    and evidence that stay inside; the name of its dataset."""
    import datetime

    from lotrinh.indicators.models import Programme
    from lotrinh.orgunits.models import OrgUnit
    from lotrinh.workplan.models import ApprovalState, DeadlineKind, ProgressStatus, Task

    province = OrgUnit.objects.get(path="2025/52/")
    programme = Programme.objects.create(
        code="gia-lai-ke-hoach-nhiem-vu",
        number="99/KH-UBND",
        title="Kế hoạch triển khai nhiệm vụ chuyển đổi số",
        issuer="UBND tỉnh Gia Lai",
        issued_on=datetime.date(2025, 8, 1),
        org_unit=province,
        document_text="Kế hoạch chỉ giao nhiệm vụ, không đặt chỉ tiêu.",
    )
    task = Task.objects.create(
        programme=programme,
        title="Số hóa hồ sơ lưu trữ của tỉnh",
        lead_unit=province,
        deadline_kind=DeadlineKind.YEAR,
        deadline_year=2099,
        due_on=datetime.date(2099, 12, 31),
        source_line=1,
    )
    for code, state, status in (
        ("2025Q3", ApprovalState.APPROVED, ProgressStatus.IN_PROGRESS),
        ("2025Q4", ApprovalState.SUBMITTED, ProgressStatus.BLOCKED),
    ):
        task.progress.create(
            period_code=code,
            as_of=datetime.date(2025, 9, 30),
            status=status,
            percent=35,
            note="Ghi chú nội bộ về nhiệm vụ",
            blocked_reason="Lý do chậm không công bố",
            evidence_number="CV-MAT-2025",
            evidence_url="https://noi-bo.example.vn/minh-chung",
            evidence_file_name="bien-ban-mat.pdf",
            reporter=person,
            decided_by=person,
            state=state,
        )
    return f"chi-tieu-{programme.code}"


def forms(number: Decimal) -> set[str]:
    found = {str(number), format_number(number), str(float(number))}
    return {f for f in found if len(f) >= 5}


def test_no_public_address_gives_away_confidential_or_draft_figures_or_personal_data(
    client, settings
):
    # One client asks for every address of every dataset: more than the per-minute limit allows.
    settings.LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE = 100_000
    indicator = Indicator.objects.get(code=INDICATOR)
    before = dataset_table(get_dataset(GIA_LAI_RECORDS))
    secrets = set().union(*(forms(r["numerator"]) for r in before.rows if r["numerator"]))
    assert secrets, "Gia Lai has published numerators before they become confidential"

    draft = Report.objects.filter(org_unit__path__startswith="2025/52/").exclude(
        status=Status.APPROVED
    )[0]
    element = DataElement.objects.filter(is_confidential=False).exclude(
        pk__in=[indicator.numerator_id, indicator.denominator_id]
    )[0]
    DataValue.objects.update_or_create(
        report=draft, data_element=element, defaults={"value": DRAFT_FIGURE}
    )
    secrets |= forms(DRAFT_FIGURE)
    person = User.objects.create_user("bimat", EMAIL, first_name=NAME)
    Report.objects.filter(org_unit__path__startswith="2025/52/").update(
        submitted_by=person, decided_by=person
    )
    secrets |= {NAME, EMAIL, "bimat"}
    DataElement.objects.filter(pk=indicator.numerator_id).update(is_confidential=True)
    # A programme that sets no target but assigns tasks publishes them: not its progress's
    # reporter, approver, note, reason for a block or evidence.
    tasks_only = tasks_only_programme(person)
    secrets |= {
        "Ghi chú nội bộ về nhiệm vụ",
        "Lý do chậm không công bố",
        "CV-MAT-2025",
        "https://noi-bo.example.vn/minh-chung",
        "bien-ban-mat.pdf",
    }

    assert get_dataset(GIA_LAI_RECORDS) is None
    addresses = public_addresses(client)
    assert len(addresses) > 50
    assert f"/api/3/action/datastore_search?resource_id={tasks_only}-tasks-csv&limit=32000" in (
        addresses
    )
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.content
        if address.endswith("xlsx"):
            continue  # a zip: its cells are the CSV's, checked at the CSV's address
        text = body.decode("utf-8")
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{address} shows {leaked}"


def _superuser():
    return Actor(User.objects.create_superuser("quantri-od", "qt@example.vn", "x"))


def _periods(client):
    found = client.get(
        "/api/3/action/datastore_search",
        {"resource_id": f"{GIA_LAI_RECORDS}-csv", "limit": 32000},
    ).json()["result"]["records"]
    return {(r["period_end"], r["units_approved"]) for r in found}


def test_a_reopened_report_leaves_the_published_figures_at_once(client):
    report = (
        Report.objects.filter(status=Status.APPROVED, org_unit__path__startswith="2025/52/")
        .order_by("-period__cutoff_to")
        .first()
    )
    before = _periods(client)
    reopen_report(_superuser(), report, "Sửa lại số liệu đã báo cáo")
    after = _periods(client)
    assert after != before
    day = report.period.cutoff_to.isoformat()
    assert sum(n for d, n in after if d == day) == sum(n for d, n in before if d == day) - 1


def test_an_approved_report_is_published_at_once(client):
    report = Report.objects.filter(
        status=Status.SUBMITTED, org_unit__path__startswith="2025/52/"
    ).first()
    if report is None:
        pytest.skip("the illustrative data has no submitted report in Gia Lai")
    before = _periods(client)
    approve_report(_superuser(), report)
    after = _periods(client)
    day = report.period.cutoff_to.isoformat()
    assert sum(n for d, n in after if d == day) == sum(n for d, n in before if d == day) + 1


def test_the_json_download_names_the_licence_and_the_unit_codes_validity(client):
    document = json.loads(client.get(f"/dataset/{GIA_LAI_RECORDS}/download/json").content)
    assert document["metadata"]["unit_code"] == "52"
    assert document["metadata"]["unit_valid_from"] == "2025-07-01"
    assert {r["unit_valid_from"] for r in document["records"]} == {"2025-07-01"}


def test_a_reworded_target_is_published_at_once(client):
    from lotrinh.indicators.models import Target
    from lotrinh.opendata.catalogue import publication_version

    target = Target.objects.filter(programme__code="binh-dinh-05-nq-tu").order_by("pk").first()
    resource = "chi-tieu-binh-dinh-05-nq-tu-csv"
    before = publication_version()
    client.get("/api/3/action/datastore_search", {"resource_id": resource, "limit": 32000})
    target.text = "Đến năm 2030, tỷ lệ hồ sơ trực tuyến toàn trình đạt 99,5% (câu đã sửa)"
    target.save()
    assert publication_version() != before
    records = client.get(
        "/api/3/action/datastore_search", {"resource_id": resource, "limit": 32000}
    ).json()["result"]["records"]
    assert target.text in {r["source_text"] for r in records}
