"""Read an uploaded document (.txt, .docx or text .pdf) into text, or explain why it cannot be read.

Every failure is an `ExtractionError` whose message says, in Vietnamese and English, what is wrong
and what to do. The kind of file comes from its content, not its name. Sizes are checked before
anything is decompressed or parsed, and the text is bounded while it is read
(lotrinh.extraction.limits).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from typing import IO, TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lotrinh.core.archives import ZipLimits, check_zip
from lotrinh.core.errors import UserFacingError
from lotrinh.core.formatting import format_number

if TYPE_CHECKING:
    from lotrinh.extraction.limits import ExtractionLimits

MB = 1024 * 1024
# A .docx is a few XML parts and images; its text part rarely expands more than 20 times,
# while a zip bomb expands thousands of times.
DOCX_ZIP = ZipLimits(
    members=1_000,
    uncompressed_bytes=200 * MB,
    compression_ratio=100,
    ratio_from_bytes=1 * MB,
)
# Word nests a paragraph a dozen elements deep (tables in tables a few dozen); deeper nesting is
# built to exhaust the parser.
MAX_XML_DEPTH = 256
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = f"{_WORD_NS}t"
# What a run element other than text stands for.
_RUN_TEXT = {f"{_WORD_NS}tab": "\t", f"{_WORD_NS}br": "\n", f"{_WORD_NS}cr": "\n"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc format
_TEXT_EXTENSIONS = {"txt", "text", "md"}
_EXTENSIONS = _TEXT_EXTENSIONS | {"docx", "pdf"}


class ExtractionError(UserFacingError):
    """A document that cannot be read, explained to the person who uploaded it."""


def check_size(size: int, limit: int) -> None:
    """Raise ExtractionError when a file of `size` bytes is empty or over `limit` bytes."""
    if size == 0:
        raise ExtractionError(_("The file is empty."))
    if size > limit:
        raise ExtractionError(
            _("The file is larger than the limit of %(limit)d MB. Split it or remove images."),
            limit=limit // MB,
        )


def check_length(text: str, limits: ExtractionLimits) -> None:
    """Raise ExtractionError when `text` is longer than one extraction may read."""
    check_characters(len(text), limits)


def check_characters(count: int, limits: ExtractionLimits) -> None:
    """Raise ExtractionError when a text of `count` characters is more than one extraction may read."""
    if count > limits.characters:
        raise ExtractionError(
            _(
                "The text has more than %(limit)s characters, the most that can be read at once "
                "(a resolution is usually under 80,000). Split it into parts and read each part."
            ),
            # Formatted when shown, in the language of each sentence (300.000 / 300,000).
            limit=lazy(format_number, str)(limits.characters),
        )


def check_deadline(deadline: float, limits: ExtractionLimits) -> None:
    """Raise ExtractionError when the time.monotonic() `deadline` of a reading has passed."""
    if time.monotonic() > deadline:
        raise ExtractionError(
            _(
                "Reading this document took longer than the limit of %(seconds)s seconds, so it "
                "was stopped. Split the document into parts and read each part."
            ),
            seconds=limits.seconds,
        )


def document_kind(data: bytes) -> str:
    """ "docx", "pdf" or "txt", from the first bytes of the file."""
    if data.startswith(_ZIP_MAGIC):
        return "docx"
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    return "txt"


def read_document(data: bytes, filename: str, limits: ExtractionLimits) -> str:
    """Return the text of a .txt, .docx or .pdf file given as bytes.

    The kind comes from the content; the name only has to be one of the accepted kinds. Raises
    ExtractionError for an empty or oversized file, binary data, an old .doc, a .docx that is not
    a Word document or is built to exhaust the reader, a PDF without a text layer (scanned) or
    built to exhaust the reader, a text longer than the limits allow, or an unsupported type.
    """
    extension = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if extension not in _EXTENSIONS:
        raise ExtractionError(
            _("Files of type “%(extension)s” cannot be read. Use a .txt, .docx or .pdf file."),
            extension=extension or filename,
        )
    kind = document_kind(data)
    check_size(len(data), limits.upload_bytes[kind])
    if data.startswith(_OLE_MAGIC):
        raise ExtractionError(
            _("This is an old Word .doc file. Save it as .docx or PDF and upload it again.")
        )
    named = extension if extension in {"docx", "pdf"} else "txt"
    if kind != named:
        # The content decides which reader runs; a name that promises another kind is refused.
        raise ExtractionError(_MISMATCH[named])
    if kind == "docx":
        text = _read_docx(data, limits, limits.deadline())
    elif kind == "pdf":
        text = _read_pdf(data, limits, limits.deadline())
    else:
        text = _read_text(data)
    check_length(text, limits)
    if not text.strip():
        raise ExtractionError(_("The file contains no text."))
    return text


_NOT_WORD = _("This .docx file is not a Word document.")
_NOT_PDF = _("This PDF file is damaged or not a PDF.")
_NOT_TEXT = _(
    "This file is not text (it contains binary data). Save the document as .txt, .docx or .pdf."
)
_MISMATCH = {"docx": _NOT_WORD, "pdf": _NOT_PDF, "txt": _NOT_TEXT}


def _read_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractionError(
                _("The text encoding of this file is not recognised. Save it as UTF-8.")
            ) from exc
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise ExtractionError(_NOT_TEXT)
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(_("The text encoding of this file is not recognised. Save it as UTF-8."))


def _looks_binary(sample: bytes) -> bool:
    text = sample.decode("latin-1")
    return len(_CONTROL.findall(text)) > max(8, len(text) // 50)


def _read_docx(data: bytes, limits: ExtractionLimits, deadline: float) -> str:
    not_word = ExtractionError(_NOT_WORD)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise not_word from exc
    with archive:
        check_zip(archive, DOCX_ZIP, ExtractionError)
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as exc:
            raise not_word from exc
        with archive.open(info) as stream:
            return _docx_text(stream, limits, deadline, not_word)


def _docx_text(
    stream: IO[bytes], limits: ExtractionLimits, deadline: float, not_word: ExtractionError
) -> str:
    """The paragraphs of a document part, streamed: refused when nested or longer than allowed.

    defusedxml refuses any DTD or entity, so nothing expands beyond the bytes in the file; each
    element is dropped once read, so memory stays the size of one paragraph.
    """
    paragraphs: list[str] = []
    parts: list[str] = []
    open_elements: list[Any] = []
    length = 0
    try:
        for count, (event, node) in enumerate(
            iterparse(stream, events=("start", "end"), forbid_dtd=True)
        ):
            if count % 10_000 == 0:
                check_deadline(deadline, limits)
            if event == "start":
                open_elements.append(node)
                if len(open_elements) > MAX_XML_DEPTH:
                    raise ExtractionError(
                        _(
                            "This .docx file nests its content more than %(limit)s levels deep, "
                            "which Word never does, so it was not read. Save it again from Word, "
                            "or as PDF."
                        ),
                        limit=MAX_XML_DEPTH,
                    )
                continue
            if node.tag == f"{_WORD_NS}p":
                paragraphs.append("".join(parts))
                parts = []
                length += 1
            elif piece := _RUN_TEXT.get(node.tag, node.text if node.tag == _TEXT else None):
                parts.append(piece)
                length += len(piece)
            check_characters(length, limits)
            open_elements.pop()
            if open_elements:
                open_elements[-1].remove(node)
    except DefusedXmlException as exc:
        # Word never writes a DTD; one here could expand entities without limit.
        raise not_word from exc
    except SyntaxError as exc:  # ElementTree.ParseError
        raise not_word from exc
    return "\n".join(paragraphs)


def _read_pdf(data: bytes, limits: ExtractionLimits, deadline: float) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    pages: list[str] = []
    length = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            check_deadline(deadline, limits)
            pages.append(page.extract_text() or "")
            length += len(pages[-1]) + 1
            check_characters(length, limits)
    except LimitReachedError as exc:
        raise ExtractionError(
            _(
                "This PDF holds a part that expands to an unsafe size, so it was not read. "
                "Print it to a new PDF, or save the document as .docx, and upload that."
            )
        ) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(_NOT_PDF) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ExtractionError(
            _(
                "This PDF has no text layer (it is probably a scan). Run OCR on it first, "
                "then upload the result."
            )
        )
    return text
