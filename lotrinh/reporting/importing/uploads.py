"""Keep an uploaded file between its dry run and its "Apply" (a separate request).

Files live under DATA_DIR/imports with a random name; the session remembers which tokens belong to
the user, so nobody can apply someone else's file. Old files are removed on each new upload.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from lotrinh.reporting.importing.limits import UPLOAD_KEPT_SECONDS


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded: UploadedFile) -> str:
    """Save the file under a new random token and return the token."""
    purge_old()
    token = secrets.token_urlsafe(18)
    with (upload_dir() / token).open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return token


def upload_path(token: str) -> Path | None:
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = upload_dir() / token
    return path if path.is_file() else None


def discard(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_old() -> None:
    limit = time.time() - UPLOAD_KEPT_SECONDS
    for path in upload_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
