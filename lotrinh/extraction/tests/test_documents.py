"""Reading uploaded files: each bad input gets its own clear message, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from lotrinh.extraction.documents import ExtractionError, check_size
from lotrinh.extraction.documents import read_document as read_with_limits
from lotrinh.extraction.limits import current_limits

SENTENCE = "Đến năm 2026, 90% hồ sơ được xử lý trực tuyến."


def read_document(data: bytes, filename: str) -> str:
    return read_with_limits(data, filename, current_limits())


def english(error: pytest.ExceptionInfo[ExtractionError]) -> str:
    return error.value.text("en")


def docx(body: str, name: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, body)
    return buffer.getvalue()


def minimal_pdf(page_content: bytes) -> bytes:
    """A one-page PDF whose page draws `page_content` (empty for a scanned-like page)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_utf8_text_is_read():
    assert read_document(SENTENCE.encode(), "plan.txt") == SENTENCE


def test_utf16_and_windows_1258_text_are_read():
    assert read_document(SENTENCE.encode("utf-16"), "plan.txt") == SENTENCE
    # Windows-1258 writes tone marks as combining characters: "Mu" + dot below + "c tiêu".
    legacy = "Mu\u0323c tiêu 90%".encode("cp1258")
    assert read_document(legacy, "plan.txt") == "Mu\u0323c tiêu 90%"


def test_empty_file_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(b"", "plan.txt")
    assert "empty" in english(error)


def test_binary_file_named_txt_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(bytes(range(256)) * 20, "plan.txt")
    assert "binary" in english(error)


def test_file_over_the_size_limit_is_rejected_before_reading():
    with pytest.raises(ExtractionError) as error:
        check_size(20 * 1024 * 1024 + 1, 20 * 1024 * 1024)
    assert "20 MB" in english(error)


def test_docx_paragraphs_are_read():
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Mục tiêu đến năm 2026</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>- 90% hồ sơ </w:t></w:r><w:r><w:t>trực tuyến.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    assert (
        read_document(docx(body), "plan.docx") == "Mục tiêu đến năm 2026\n- 90% hồ sơ trực tuyến."
    )


def test_docx_that_is_a_zip_of_something_else_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(docx("hello", name="photos/cat.txt"), "plan.docx")
    assert "not a Word document" in english(error)


def test_docx_that_is_not_a_zip_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(b"PK but not really a zip file", "plan.docx")
    assert "not a Word document" in english(error)


def test_docx_zip_bomb_is_not_expanded():
    with pytest.raises(ExtractionError) as error:
        read_document(docx("<w:document>" + " " * 5_000_000 + "</w:document>"), "plan.docx")
    assert "zip bomb" in english(error)


def test_pdf_text_layer_is_read():
    text = read_document(
        minimal_pdf(b"BT /F1 12 Tf 20 100 Td (Muc tieu 90% ho so) Tj ET"), "plan.pdf"
    )
    assert "90%" in text


def test_scanned_pdf_asks_for_ocr():
    with pytest.raises(ExtractionError) as error:
        read_document(minimal_pdf(b""), "scan.pdf")
    assert "OCR" in english(error)


def test_damaged_pdf_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(b"%PDF-1.4 nothing else", "plan.pdf")
    assert "PDF" in english(error)


def test_unsupported_type_is_rejected():
    with pytest.raises(ExtractionError) as error:
        read_document(b"data", "plan.xlsx")
    assert ".docx" in english(error)


def test_messages_are_full_sentences_in_both_languages():
    with pytest.raises(ExtractionError) as error:
        read_document(b"", "plan.txt")
    assert error.value.text("en").endswith(".")
    assert error.value.bilingual()
