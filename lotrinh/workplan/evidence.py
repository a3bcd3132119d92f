"""Files of evidence attached to "done" progress: checked before they are kept, kept under the
data directory with a random name, read back only through `services.evidence_for_download`.

A file is judged by its content, never by its name or the browser's declared type: a PDF, a PNG
or JPEG image that Pillow can read, or a Word (.docx) or Excel (.xlsx) file whose zip directory
passes `core.archives.check_zip` and holds the part that makes it one. Anything else, an empty
file, or one over `LOTRINH_TASK_EVIDENCE_MAX_MB` is refused with a message in both languages.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from PIL import Image

from lotrinh.core.archives import MB, ZipLimits, check_zip
from lotrinh.core.errors import UserFacingError

# What each accepted kind is served as, and the extension its download gets.
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
_OFFICE_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_ZIP_LIMITS = ZipLimits(
    members=2000, uncompressed_bytes=200 * MB, compression_ratio=100, ratio_from_bytes=MB
)
_MAX_PIXELS = 60_000_000  # a photo of a signed page is far smaller; more is a decompression bomb


class EvidenceError(UserFacingError):
    """A file that cannot be kept as evidence, explained to the person who sent it."""


@dataclass(frozen=True)
class EvidenceFile:
    """A checked file: its content, its kind (a key of KINDS) and a name safe to show."""

    data: bytes
    kind: str
    name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return int(settings.LOTRINH_TASK_EVIDENCE_MAX_MB) * MB


def _read_bounded(upload: File) -> bytes:
    """At most the limit plus one byte, so an oversized file costs no more than the limit."""
    limit = max_bytes()
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > limit:
            raise EvidenceError(
                _("The file is larger than the limit of %(limit)s MB for evidence."),
                limit=limit // MB,
            )
    return bytes(data)


def _image_kind(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > _MAX_PIXELS:
                    return None
                image.verify()
                return {"PNG": "png", "JPEG": "jpeg"}.get(image.format or "")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, _ZIP_LIMITS, EvidenceError)
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OFFICE_PARTS.items() if part in names), None)


def sniff(data: bytes) -> str | None:
    """The kind of a file from its content (a key of KINDS), or None when it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _image_kind(data)
    return None


def safe_name(name: str, kind: str) -> str:
    """The sender's file name as shown and offered on download: letters, digits and a few marks,
    at most 100 characters, with the extension of what the file really is."""
    stem = Path(unicodedata.normalize("NFC", name)).stem
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in stem).strip(" ._")
    return f"{cleaned[:90] or 'minh-chung'}.{KINDS[kind][1]}"


def check_evidence(upload: File) -> EvidenceFile:
    """The upload, checked: not empty, within the size limit, and a kind that is accepted."""
    data = _read_bounded(upload)
    if not data:
        raise EvidenceError(_("The file is empty."))
    kind = sniff(data)
    if kind is None:
        raise EvidenceError(
            _(
                "“%(name)s” is not a PDF, a PNG or JPEG image, a Word (.docx) or an Excel (.xlsx) "
                "file: only these are kept as evidence."
            ),
            name=(upload.name or "")[:100],
        )
    return EvidenceFile(data=data, kind=kind, name=safe_name(upload.name or "", kind))


def evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def store(evidence: EvidenceFile) -> str:
    """Write the file under a new random name; the name is what the progress row keeps."""
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    key = f"{secrets.token_urlsafe(24)}.{KINDS[evidence.kind][1]}"
    (directory / key).write_bytes(evidence.data)
    return key


def stored_path(key: str) -> Path | None:
    """The kept file of `key`, or None when the key is not one `store` makes or the file is gone."""
    if not key or "/" in key or "\\" in key or key.startswith("."):
        return None
    path = evidence_dir() / key
    return path if path.is_file() else None


def discard(key: str) -> None:
    if path := stored_path(key):
        path.unlink(missing_ok=True)
