"""The bounds on one extraction: worst-case inputs at and just over each limit.

An input over a limit is refused with a message naming the limit; an input at the limit is read
completely, within the time budget, into a page of bounded size.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from lotrinh.core.concurrency import heavy_request
from lotrinh.extraction import rules
from lotrinh.extraction.documents import ExtractionError, read_document
from lotrinh.extraction.limits import current_limits
from lotrinh.extraction.parsing import extract_document
from lotrinh.extraction.tests.test_documents import docx, minimal_pdf

START = "/en/extract/"
# One statement dense with every kind of number the extractor reads, and no full stop.
DENSE_UNIT = (
    "đến năm 2025 đạt 90% hồ sơ cấp tỉnh, 80% cấp huyện (mục tiêu năm 2030 lần lượt là 100%, "
    "95%), 02 trung tâm dữ liệu, thứ hạng 30/63 về chỉ số PAPI, "
)
# The review page of the largest allowed input stays below this many bytes.
MAX_REVIEW_PAGE_BYTES = 8 * 1024 * 1024


def dense_text(characters: int) -> str:
    """Target-like text of exactly `characters` characters, as one paragraph."""
    text = "Mục tiêu: " + DENSE_UNIT * (characters // len(DENSE_UNIT) + 1)
    return text[:characters]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    return client


def test_a_dense_resolution_is_read_within_the_time_budget():
    # 46,800 characters of this text took 177 s before each number's work stopped growing
    # with the length of its paragraph.
    result = extract_document(dense_text(46_800), current_limits())
    assert len(result.targets) == current_limits().candidates


@pytest.mark.django_db
def test_the_largest_allowed_paste_finishes_with_a_bounded_page(admin_client):
    limits = current_limits()
    # Read by the background task (at once in the tests), then shown on its review page.
    response = admin_client.post(START, {"text": dense_text(limits.characters)}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "/extract/read/" in response.redirect_chain[-1][0]
    assert len(response.context["rows"]) == limits.candidates
    assert "Only the first 200 proposed targets are shown" in page
    assert len(response.content) < MAX_REVIEW_PAGE_BYTES


@pytest.mark.django_db
def test_a_paste_one_character_over_the_limit_is_refused(admin_client):
    limits = current_limits()
    response = admin_client.post(START, {"text": dense_text(limits.characters + 1)})
    page = response.content.decode()
    assert "formset" not in response.context
    assert "more than 300,000 characters" in page and "Split it into parts" in page


@pytest.mark.django_db
def test_an_uploaded_text_over_the_character_limit_is_refused(admin_client):
    data = dense_text(current_limits().characters + 1).encode()
    upload = SimpleUploadedFile("nghi-quyet.txt", data, content_type="text/plain")
    page = admin_client.post(START, {"file": upload}).content.decode()
    assert "more than 300,000 characters" in page


@pytest.mark.django_db
def test_an_uploaded_text_at_the_character_limit_is_read(admin_client):
    data = dense_text(current_limits().characters).encode()
    upload = SimpleUploadedFile("nghi-quyet.txt", data, content_type="text/plain")
    response = admin_client.post(START, {"file": upload}, follow=True)
    assert response.status_code == 200 and "/extract/read/" in response.redirect_chain[-1][0]
    assert len(response.context["rows"]) == current_limits().candidates
    assert len(response.content) < MAX_REVIEW_PAGE_BYTES


@pytest.mark.django_db
def test_reading_past_the_time_budget_stops_with_a_message(admin_client, settings):
    settings.LOTRINH_EXTRACTION_SECONDS = -1
    response = admin_client.post(START, {"text": dense_text(2_000)})
    assert response.status_code == 400
    assert "took longer than the limit of -1 seconds" in response.content.decode()


@pytest.mark.django_db
def test_a_second_extraction_by_the_same_user_is_refused_at_once(admin_client):
    user = admin_client.session["_auth_user_id"]
    try:
        with heavy_request(user, hold_seconds=60):
            response = admin_client.post(START, {"text": dense_text(2_000)})
        assert response.status_code == 429
        assert (
            "You already have an extraction, import or large download being prepared"
            in response.content.decode()
        )
        # Once the first one has finished, the user may extract again.
        assert admin_client.post(START, {"text": dense_text(2_000)}).status_code == 200
    finally:
        caches["shared"].clear()


def nested_docx(depth: int) -> bytes:
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "<w:body>" * depth
        + "<w:p><w:r><w:t>Đạt 90% hồ sơ</w:t></w:r></w:p>"
        + "</w:body>" * depth
        + "</w:document>"
    )
    return docx(body)


def test_a_docx_nested_deeper_than_word_ever_does_is_refused():
    with pytest.raises(ExtractionError) as error:
        read_document(nested_docx(50_000), "plan.docx", current_limits())
    assert "more than 256 levels deep" in error.value.text("en")


def test_a_docx_nested_as_deep_as_allowed_is_read():
    assert read_document(nested_docx(250), "plan.docx", current_limits()) == "Đạt 90% hồ sơ"


def test_a_docx_of_too_many_parts_is_refused_before_reading():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(1_001):
            archive.writestr(f"word/media/{number}.xml", "")
    with pytest.raises(ExtractionError) as error:
        read_document(buffer.getvalue(), "plan.docx", current_limits())
    assert "holds 1001 parts (limit 1000)" in error.value.text("en")


def test_a_docx_with_an_entity_is_refused():
    body = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(ExtractionError) as error:
        read_document(docx(body), "plan.docx", current_limits())
    assert "not a Word document" in error.value.text("en")


def pdf_with_stream(compressed: bytes) -> bytes:
    """A one-page PDF whose content stream is `compressed` (FlateDecode)."""
    page = minimal_pdf(b"")
    return page.replace(
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed)
        + compressed
        + b"\nendstream",
    )


def test_a_pdf_decompression_bomb_is_refused_with_a_message():
    # 100 MB of spaces, compressed to about 100 KB: past pypdf's inflation limit.
    bomb = zlib.compress(b" " * (100 * 1024 * 1024), 9)
    with pytest.raises(ExtractionError) as error:
        read_document(pdf_with_stream(bomb), "plan.pdf", current_limits())
    assert "expands to an unsafe size" in error.value.text("en")


def test_the_content_decides_the_reader_not_the_name():
    pdf = minimal_pdf(b"BT /F1 12 Tf 20 100 Td (Muc tieu 90% ho so) Tj ET")
    with pytest.raises(ExtractionError) as error:
        read_document(pdf, "plan.txt", current_limits())
    assert "not text" in error.value.text("en")
    with pytest.raises(ExtractionError) as error:
        read_document(b"%PDF-1.4 hello", "plan.docx", current_limits())
    assert "not a Word document" in error.value.text("en")


def test_each_kind_of_file_has_its_own_size_limit():
    limits = current_limits()
    assert limits.upload_bytes == {"txt": 2 * 1024**2, "docx": 20 * 1024**2, "pdf": 20 * 1024**2}
    with pytest.raises(ExtractionError) as error:
        read_document(b"%PDF-" + b" " * limits.upload_bytes["pdf"], "plan.pdf", limits)
    assert "larger than the limit of 20 MB" in error.value.text("en")


def _bracket_by_scanning(text: str, position: int) -> tuple[int, int] | None:
    depth = 0
    for index in range(position - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            if depth == 0:
                closing = text.find(")", position)
                return index, (closing + 1 if closing >= 0 else len(text))
            depth -= 1
    return None


def test_the_bracket_around_a_position_is_the_innermost_open_one():
    chooser = random.Random(7)
    for _ in range(300):
        text = "".join(chooser.choice("(()) ab") for _ in range(chooser.randint(0, 40)))
        for position in range(len(text) + 1):
            assert rules.parenthesis_around(text, position) == _bracket_by_scanning(text, position)
