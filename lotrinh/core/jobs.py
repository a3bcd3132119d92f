"""Large downloads prepared off the request: one mechanism for every export.

A view hands `deliver` the function that writes its file (a *producer*: the user and JSON
arguments in, a `File` out) and how many rows the file will have. Up to LOTRINH_BACKGROUND_ROWS
rows the file is written at once and sent; above, a `PreparedFile` is kept, the `prepare_file`
task writes it and the user's page (`core:prepared-file`) shows "being prepared" and refreshes
until the download appears. The job holds one of the user's heavy slots (lotrinh.core.concurrency,
shared with extraction and import) until it has finished, so a second heavy job is refused at
once with 429. A producer authorises the user itself: it runs again later in the worker, where
the user may have lost the role since.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from lotrinh.core.concurrency import BusyError, release_slot, take_slot
from lotrinh.core.errors import UserFacingError
from lotrinh.core.models import PreparedFile, PreparedState
from lotrinh.core.tasks import retry_later

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str
    content: bytes


Producer = Callable[[AbstractBaseUser | AnonymousUser, dict[str, Any]], File]


def file_response(file: File) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def deliver(
    request: HttpRequest, producer: Producer, arguments: dict[str, Any], *, rows: int, title: str
) -> HttpResponse:
    """Send the file now if it is small, or prepare it in the background and show its page."""
    if rows <= settings.LOTRINH_BACKGROUND_ROWS:
        return file_response(producer(request.user, arguments))
    try:
        prepared = start(request.user, producer, arguments, title)
    except BusyError as busy:
        return render(request, "core/busy.html", {"message": busy.bilingual()}, status=429)
    return redirect("core:prepared-file", prepared.pk)


def start(
    user: AbstractBaseUser | AnonymousUser,
    producer: Producer,
    arguments: dict[str, Any],
    title: str,
    *,
    opens: str = "",
) -> PreparedFile:
    """Keep a pending download for `user` and queue its task, holding one of the user's heavy
    slots; raises BusyError when the user already has a heavy job. With `opens` (a URL name
    taking the id), the ready result is shown by that page instead of being downloaded."""
    key = take_slot(user.pk, settings.LOTRINH_BACKGROUND_SECONDS)
    try:
        with transaction.atomic():
            forget_old()
            prepared = PreparedFile.objects.create(
                owner_id=user.pk or 0,
                title=title,
                producer=f"{producer.__module__}.{producer.__qualname__}",
                arguments=arguments,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                opens=opens,
                slot=key,
            )
            # Queued in the same transaction: with the database backend both are kept or neither.
            prepare_file.enqueue(prepared.pk)
    except BaseException:
        release_slot(key)
        raise
    return prepared


def forget_old() -> int:
    """Delete prepared downloads older than LOTRINH_BACKGROUND_KEEP_HOURS (they are re-made on
    demand); returns how many."""
    limit = timezone.now() - datetime.timedelta(hours=settings.LOTRINH_BACKGROUND_KEEP_HOURS)
    deleted, _ = PreparedFile.objects.filter(created_at__lt=limit).delete()
    return deleted


def _finish(prepared: PreparedFile, state: str, file: File | None = None) -> None:
    prepared.state, prepared.finished_at = state, timezone.now()
    if file is not None:
        prepared.filename, prepared.content_type = file.filename, file.content_type
        prepared.content = file.content
    prepared.save(update_fields=["state", "finished_at", "filename", "content_type", "content"])
    release_slot(prepared.slot)


@task()
def prepare_file(prepared_id: int, attempt: int = 1) -> None:
    """Write one pending download; tried again later on failure, then marked failed. A refusal
    (the user lost the right, the object is gone) fails at once: trying again would not help."""
    prepared = PreparedFile.objects.filter(pk=prepared_id, state=PreparedState.PENDING).first()
    if prepared is None:
        return
    user = get_user_model().objects.get(pk=prepared.owner_id)
    producer: Producer = import_string(prepared.producer)
    try:
        with translation.override(prepared.language):
            file = producer(user, prepared.arguments)
    except (UserFacingError, PermissionDenied, Http404):
        logger.info("prepared download %s refused", prepared_id)
        _finish(prepared, PreparedState.FAILED)
        return
    except Exception:
        if not retry_later(prepare_file, attempt, prepared_id):
            _finish(prepared, PreparedState.FAILED)
        raise
    _finish(prepared, PreparedState.READY, file)


def prepared_of(user: AbstractBaseUser | AnonymousUser, prepared_id: int) -> PreparedFile:
    """The user's own prepared download, or 404 (another user's is not said to exist)."""
    prepared = PreparedFile.objects.filter(pk=prepared_id, owner_id=user.pk or 0).first()
    if prepared is None:
        raise Http404
    return prepared
