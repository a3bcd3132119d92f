"""Read an uploaded document (.txt, .docx or text .pdf) into text, or explain why it cannot be read.

Every failure is an `ExtractionError` whose message says, in Vietnamese and English, what is wrong
and what to do. Sizes are checked before anything is decompressed or parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

MAX_BYTES = 50 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
# A .docx body rarely expands more than 20 times; a zip bomb expands thousands of times.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExtractionError(UserFacingError):
    """A document that cannot be read, explained to the person who uploaded it."""


def check_size(size: int) -> None:
    """Raise ExtractionError when a file of `size` bytes is empty or over the limit."""
    if size == 0:
        raise ExtractionError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ExtractionError(
            _("The file is larger than the limit of %(limit)d MB. Split it or remove images."),
            limit=MAX_MEGABYTES,
        )


def read_document(data: bytes, filename: str) -> str:
    """Return the text of a .txt, .docx or .pdf file given as bytes.

    The file type comes from the name's extension. Raises ExtractionError for an empty or
    oversized file, binary data named .txt, a .docx that is not a Word document, a PDF without a
    text layer (scanned), or an unsupported type.
    """
    check_size(len(data))
    extension = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if extension in {"txt", "text", "md"}:
        text = _read_text(data)
    elif extension == "docx":
        text = _read_docx(data)
    elif extension == "pdf":
        text = _read_pdf(data)
    else:
        raise ExtractionError(
            _("Files of type “%(extension)s” cannot be read. Use a .txt, .docx or .pdf file."),
            extension=extension or filename,
        )
    if not text.strip():
        raise ExtractionError(_("The file contains no text."))
    return text


def _read_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise ExtractionError(
            _(
                "This file is not text (it contains binary data). Save the document as .txt, .docx or .pdf."
            )
        )
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(_("The text encoding of this file is not recognised. Save it as UTF-8."))


def _looks_binary(sample: bytes) -> bool:
    text = sample.decode("latin-1")
    return len(_CONTROL.findall(text)) > max(8, len(text) // 50)


def _read_docx(data: bytes) -> str:
    not_word = ExtractionError(_("This .docx file is not a Word document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise not_word from exc
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as exc:
            raise not_word from exc
        if info.file_size > MAX_UNCOMPRESSED or info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ExtractionError(
                _("This .docx file expands to an unsafe size and was not opened.")
            )
        xml = archive.read(info)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        # Word never writes a DTD; one here could expand entities without limit.
        raise not_word
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 (no DTD, size checked above)
    except ElementTree.ParseError as exc:
        raise not_word from exc
    return "\n".join(_paragraph_text(paragraph) for paragraph in root.iter(f"{_WORD_NS}p"))


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_WORD_NS}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_WORD_NS}tab":
            parts.append("\t")
        elif node.tag in {f"{_WORD_NS}br", f"{_WORD_NS}cr"}:
            parts.append("\n")
    return "".join(parts)


def _read_pdf(data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise ExtractionError(_("PDF files cannot be read on this server.")) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(_("This PDF file is damaged or not a PDF.")) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ExtractionError(
            _(
                "This PDF has no text layer (it is probably a scan). Run OCR on it first, "
                "then upload the result."
            )
        )
    return text
