"""The bounds on one extraction, read from the settings (docs/configuration.md).

Real resolutions are 20–80 KB of text with at most a few dozen numbers; the bounds leave several
times that room while keeping any one request to a few seconds and a few megabytes of page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class ExtractionLimits:
    """How much one extraction may read and propose, and for how long."""

    characters: int
    candidates: int
    seconds: float
    # Largest upload per kind of file, in bytes.
    upload_bytes: dict[str, int]

    def deadline(self) -> float:
        """The `time.monotonic()` value past which reading stops."""
        return time.monotonic() + self.seconds

    @property
    def largest_upload(self) -> int:
        return max(self.upload_bytes.values())


def current_limits() -> ExtractionLimits:
    return ExtractionLimits(
        characters=settings.LOTRINH_EXTRACTION_MAX_CHARACTERS,
        candidates=settings.LOTRINH_EXTRACTION_MAX_CANDIDATES,
        seconds=settings.LOTRINH_EXTRACTION_SECONDS,
        upload_bytes={
            "txt": settings.LOTRINH_EXTRACTION_MAX_TXT_MB * MB,
            "docx": settings.LOTRINH_EXTRACTION_MAX_DOCX_MB * MB,
            "pdf": settings.LOTRINH_EXTRACTION_MAX_PDF_MB * MB,
        },
    )
