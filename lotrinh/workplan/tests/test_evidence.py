"""Files of evidence on "done": judged by content, bounded in size, kept only with their report,
and downloaded only by those who may see the task, each download audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import AuditEvent
from lotrinh.workplan import evidence
from lotrinh.workplan.models import TaskProgress
from lotrinh.workplan.services import ProgressInput, TaskError, report_progress

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def office(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (png(), "png"),
        (office("word/document.xml"), "docx"),
        (office("xl/workbook.xml"), "xlsx"),
        (b"<html><script>alert(1)</script></html>", None),
        (b"\x89PNG\r\n\x1a\nnot really an image", None),
        (office("content.xml"), None),  # a zip that is no Office document
    ],
)
def test_a_file_is_judged_by_its_content(content, kind):
    assert evidence.sniff(content) == kind


@given(st.binary(max_size=2048))
@hypothesis_settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_sniffing_any_bytes_answers_a_kind_or_none_and_never_fails(data):
    assert evidence.sniff(data) in {None, *evidence.KINDS}


def test_the_download_name_is_safe_and_says_what_the_file_is():
    assert evidence.safe_name("../../Quyết định 12.exe", "pdf") == "Quyết định 12.pdf"
    assert evidence.safe_name("<script>.png", "png") == "script.png"


@pytest.mark.django_db
def test_done_with_a_file_is_kept_and_audited(task, reporter, data_dir):
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")
    progress = report_progress(reporter, task, ProgressInput("done", evidence_file=upload))
    assert (progress.evidence_file_kind, progress.evidence_file_name) == ("pdf", "quyet-dinh.pdf")
    assert (data_dir / "evidence" / progress.evidence_file).read_bytes() == PDF
    event = AuditEvent.objects.get(target_id=task.pk, action="task_progress_reported")
    assert "quyet-dinh.pdf sha256:" in event.new_value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "status", "english"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable", "done", "is not a PDF"),
        ("empty.pdf", b"", "done", "empty"),
        ("big.pdf", PDF + b"0" * (1024 * 1024 + 1), "done", "larger than the limit of 1 MB"),
        ("plan.pdf", PDF, "in_progress", "goes with “done”"),
    ],
)
def test_a_bad_file_is_refused_in_both_languages_and_nothing_is_kept(
    task, reporter, data_dir, settings, name, content, status, english
):
    settings.LOTRINH_TASK_EVIDENCE_MAX_MB = 1
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(UserFacingError) as error:
        report_progress(reporter, task, ProgressInput(status, percent=10, evidence_file=upload))
    assert english in error.value.text("en") and error.value.text("vi") != error.value.text("en")
    assert not TaskProgress.objects.exists()
    assert not list(data_dir.glob("evidence/*"))


@pytest.mark.django_db
def test_only_those_who_see_the_task_download_the_file_and_each_download_is_audited(
    task, reporter, officer
):
    upload = SimpleUploadedFile("anh.png", png())
    progress = report_progress(reporter, task, ProgressInput("done", evidence_file=upload))
    address = reverse("workplan:evidence", args=[progress.pk])
    client = Client()
    client.force_login(officer.user)
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == png()
    assert (
        AuditEvent.objects.filter(action="task_evidence_downloaded", actor=officer.user).count()
        == 1
    )
    outsider = Client()
    outsider.force_login(User.objects.create_user("outsider", password="x"))  # noqa: S106
    assert outsider.get(address).status_code == 403
    assert AuditEvent.objects.filter(action="task_evidence_downloaded").count() == 1


@pytest.mark.django_db
def test_done_without_any_evidence_is_still_refused(task, reporter):
    with pytest.raises(TaskError) as error:
        report_progress(reporter, task, ProgressInput("done"))
    assert "or the file" in error.value.text("en")
