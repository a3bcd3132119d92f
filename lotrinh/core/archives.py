"""Check an uploaded zip (.docx, .xlsx) before anything in it is inflated or parsed.

Python's zipfile never inflates a member past the size its directory declares, so the declared
sizes bound what reading can cost; a zip bomb shows as a huge total or a huge compression ratio.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    members: int
    uncompressed_bytes: int
    # Members smaller than `ratio_from_bytes` are not judged by ratio: tiny files have odd ratios.
    compression_ratio: int
    ratio_from_bytes: int


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits, error: type[UserFacingError]) -> None:
    """Raise `error` when the archive's directory declares too many or too large members."""
    members = archive.infolist()
    if len(members) > limits.members:
        raise error(
            _("The file holds %(count)s parts (limit %(limit)s). It is refused."),
            count=len(members),
            limit=limits.members,
        )
    total = sum(member.file_size for member in members)
    if total > limits.uncompressed_bytes:
        raise error(
            _("Unpacked, the file would take %(size)s MB (limit %(limit)s MB). It is refused."),
            size=total // MB,
            limit=limits.uncompressed_bytes // MB,
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= limits.ratio_from_bytes and ratio > limits.compression_ratio:
            raise error(
                _(
                    "The part “%(part)s” of the file is compressed %(ratio)s times (limit "
                    "%(limit)s): this looks like a zip bomb and is refused."
                ),
                part=member.filename,
                ratio=int(ratio),
                limit=limits.compression_ratio,
            )
