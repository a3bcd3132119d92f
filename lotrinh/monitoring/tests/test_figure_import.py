"""Importing published figures from a CSV or .xlsx on the web: a dry run per row, then all or
nothing, audited."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lotrinh.access.models import Membership, Role
from lotrinh.core.models import AuditEvent
from lotrinh.indicators.models import Observation
from lotrinh.indicators.parsing import ProgrammeFileError
from lotrinh.monitoring.published import FIGURE_COLUMNS, load_observations
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

PROGRAMME = "bac-giang-111-nq-tu"  # Bắc Giang's, planned in Bắc Ninh (24) since the merger
GOOD = [
    "Bắc Giang",
    "Bắc Ninh",
    "Xếp hạng DTI cấp tỉnh",
    2024,
    "2024",
    8,
    "hạng/63",
    "https://dti.gov.vn/2024",
    "8",
]
BAD = [
    "Bắc Ninh",
    "Bắc Ninh",
    "Xếp hạng DTI cấp tỉnh",
    2025,
    "2025",
    70,
    "hạng/34",
    "https://dti.gov.vn/2025",
    "70",
]


@pytest.fixture
def officer_client() -> Client:
    user = User.objects.create_user("ke_hoach", password="x")
    province = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="24")
    Membership.objects.create(user=user, org_unit=province, role=Role.OFFICER)
    client = Client()
    client.force_login(user)
    return client


def _xlsx(*rows: list[object], header: tuple[str, ...] = FIGURE_COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, name: str, content: bytes, **data: str):
    url = reverse("monitoring:figure-import", args=[PROGRAMME])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def test_an_xlsx_is_checked_then_stored_whole_and_audited(officer_client):
    before = Observation.objects.count()
    response = _upload(officer_client, "dti.xlsx", _xlsx(GOOD))
    assert response.status_code == 200
    assert response.context["rows"][0].ok and response.context["token"]
    assert Observation.objects.count() == before  # a dry run keeps nothing
    token = response.context["token"]
    url = reverse("monitoring:figure-import", args=[PROGRAMME])
    applied = officer_client.post(url, {"token": token})
    assert applied.status_code == 302
    stored = Observation.objects.get(
        year=2024,
        period_label="2024",
        org_unit__name__contains="Bắc Giang",
        indicator__name__icontains="chuyển đổi số",
        reference="",
        source_url="https://dti.gov.vn/2024",
    )
    assert stored.value == 8
    event = AuditEvent.objects.get(target_type="observation", target_id=stored.pk)
    assert (event.actor.username, event.channel) == ("ke_hoach", "import")
    # The same token cannot be applied twice.
    again = officer_client.post(url, {"token": token})
    assert again.status_code == 400, again.content.decode()[-3000:]
    assert "Upload the file again" in again.content.decode(), again.content.decode()[-3000:]


def test_a_file_with_a_wrong_row_lists_it_in_both_languages_and_stores_nothing(officer_client):
    before = (Observation.objects.count(), AuditEvent.objects.count())
    response = _upload(officer_client, "dti.xlsx", _xlsx(GOOD, BAD))
    assert response.status_code == 400
    rows = response.context["rows"]
    assert [r.ok for r in rows] == [True, False] and rows[1].line == 3
    page = response.content.decode()
    assert "từ 1 đến 34" in page and "from 1 to 34" in page
    assert not response.context["token"]
    assert (Observation.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("name", "content", "vietnamese", "english"),
    [
        (
            "dti.xlsx",
            _xlsx(GOOD, header=("province", "value")),
            "thiếu các cột",
            "lacks the columns",
        ),
        ("dti.pdf", b"%PDF-1.4 not a table", "không phải", "neither an Excel workbook"),
        ("dti.xlsx", b"PK\x03\x04 not really a zip", ".xlsx", "damaged zip"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_both_languages(
    officer_client, name, content, vietnamese, english
):
    before = Observation.objects.count()
    response = _upload(officer_client, name, content)
    page = response.content.decode()
    assert response.status_code == 400
    assert vietnamese in page and english in page
    assert Observation.objects.count() == before


def test_a_formula_in_a_workbook_is_refused(officer_client):
    formula = [*GOOD[:5], "=1+7", *GOOD[6:]]
    response = _upload(officer_client, "dti.xlsx", _xlsx(formula))
    assert response.status_code == 400 and "formula" in response.content.decode()


def test_the_command_reads_a_workbook_like_a_csv(tmp_path):
    path = tmp_path / "dti.xlsx"
    earlier = ["Bắc Giang", "Bắc Ninh", "Xếp hạng DTI cấp tỉnh", 2023, "2023", 9.0, "hạng/63"]
    path.write_bytes(_xlsx(GOOD, [*earlier, *GOOD[7:]]))
    before = Observation.objects.count()
    assert load_observations(path, apply=False) == 2
    assert Observation.objects.count() == before
    # A decimal cell keeps its decimal mark: 7.5 is read as seven and a half, not 75.
    path.write_bytes(_xlsx(GOOD, [*earlier[:5], 7.5, *GOOD[6:]]))
    with pytest.raises(ProgrammeFileError) as refused:
        load_observations(path, apply=False)
    assert "line 3" in str(refused.value) and "7,5 is not possible" in str(refused.value)


def test_an_officer_of_another_province_may_not_open_the_import(client):
    user = User.objects.create_user("ha_noi", password="x")
    hanoi = OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="01")
    Membership.objects.create(user=user, org_unit=hanoi, role=Role.OFFICER)
    client.force_login(user)
    before = Observation.objects.count()
    response = _upload(client, "dti.xlsx", _xlsx(GOOD))
    assert response.status_code == 403
    assert Observation.objects.count() == before
