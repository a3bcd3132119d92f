"""Idempotency keys: a write retried with the same `Idempotency-Key` is done once, answered twice.

A caller that did not hear the answer to a write (timeout, dropped connection) sends it again with
the same key. The first request with a key claims it (a row, unique per user and key) before the
write runs; the write and the stored response are committed in one transaction. So:

- same key, same request, finished   → the stored response again, nothing done (header
  `Idempotent-Replayed: true`);
- same key, same request, still running → 409, try again in a moment (on PostgreSQL, a running
  write holds a row lock on its key, so a key whose writer died — killed, or its database
  connection lost — is taken over by the next retry after `CLAIM_GRACE`; elsewhere after
  `ABANDONED_AFTER`);
- same key, different method, path or body → 422, a key names one request only;
- a key older than `KEY_TTL` is forgotten, and may be used again.

Keys are required on writes made with an API token (systems retry automatically) and optional for
the site's own pages, which use the browser session. See docs/api.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from lotrinh.api.auth import Principal
from lotrinh.api.errors import error_payload
from lotrinh.api.models import IdempotencyKey
from lotrinh.core.errors import UserFacingError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = datetime.timedelta(hours=24)
# The write and the completion of its key commit together, so a key still "in progress" this long
# after its attempt started belongs to a request that died without writing: it may be taken over.
ABANDONED_AFTER = datetime.timedelta(minutes=5)
# Where rows can be locked, a write holds its key's row lock until it commits, and the database
# drops the lock when the writer's connection ends. An unlocked, unfinished key is therefore dead
# once its claim is older than the instant between claiming it and starting the write.
CLAIM_GRACE = datetime.timedelta(seconds=10)
MAX_KEY_LENGTH = 255


class IdempotencyError(UserFacingError):
    """A problem with the key itself; `status_code` is the HTTP status to answer with."""

    def __init__(self, message: Any, status_code: int, **params: Any) -> None:
        self.status_code = status_code
        super().__init__(message, **params)


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path and body; a JSON body is compared by content, not key order."""
    body = request.body
    try:
        parsed = json.loads(body) if body else None
        canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False).encode("utf-8")
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode("utf-8") + b"\n")
    digest.update(canonical)
    return digest.hexdigest()


def json_response(status: int, data: Any) -> HttpResponse:
    """The same bytes ninja's JSON renderer would produce, so a replay is byte-for-byte equal."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type="application/json"
    )


def _checked_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise IdempotencyError(
            _(
                "The Idempotency-Key header must be 1 to %(max)s printable ASCII characters, "
                "for example a UUID."
            ),
            400,
            max=MAX_KEY_LENGTH,
        )
    return key


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        record.response_body,
        status=record.response_status or 200,
        content_type="application/json",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(principal: Principal, key: str, request: HttpRequest) -> IdempotencyKey | HttpResponse:
    """Claim `key` for this request, or answer with what an earlier request with it got."""
    now = timezone.now()
    fingerprint = request_fingerprint(request)
    IdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=principal.user,
                key=key,
                method=request.method or "",
                path=request.get_full_path()[:500],
                fingerprint=fingerprint,
                created_at=now,
                started_at=now,
            )
    except IntegrityError:  # the key was used before, or is being used right now
        pass
    existing = IdempotencyKey.objects.filter(user=principal.user, key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise IdempotencyError(
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for each new request; reuse a key only to retry the same request."
            ),
            422,
        )
    if existing is not None and existing.is_complete:
        return _replay(existing)
    if existing is not None and _abandoned(existing, now):
        taken = IdempotencyKey.objects.filter(
            pk=existing.pk, started_at=existing.started_at, response_status__isnull=True
        ).update(started_at=now)
        if taken:
            existing.started_at = now
            return existing
    raise _in_progress()


class _TakenOver(Exception):  # noqa: N818 - a signal inside this module, not an error
    """A retry took over this request's key (after a stall); the other request owns it now."""


def _in_progress() -> IdempotencyError:
    return IdempotencyError(
        _("A request with this Idempotency-Key is still being processed. Try again in a moment."),
        409,
    )


def _abandoned(record: IdempotencyKey, now: datetime.datetime) -> bool:
    """Whether an unfinished key belongs to a request that died without writing."""
    age = now - record.started_at
    if not connection.features.has_select_for_update_skip_locked:
        return age > ABANDONED_AFTER
    if age < CLAIM_GRACE:
        return False
    with transaction.atomic():  # a running write holds the row: skipped means alive
        unlocked = IdempotencyKey.objects.select_for_update(skip_locked=True).filter(pk=record.pk)
        return bool(list(unlocked.values_list("pk", flat=True)))


def _hold(record: IdempotencyKey) -> bool:
    """Lock the key's row for the write's transaction; False if a retry has taken the key over."""
    owned = IdempotencyKey.objects.select_for_update().filter(
        pk=record.pk, started_at=record.started_at, response_status__isnull=True
    )
    return bool(list(owned.values_list("pk", flat=True)))


def _complete(record: IdempotencyKey, response: HttpResponse) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(
        response_status=response.status_code, response_body=response.content.decode("utf-8")
    )


def _execute(operation: Callable[[], Schema], record: IdempotencyKey | None) -> HttpResponse:
    try:
        with transaction.atomic():
            if record is not None and not _hold(record):
                raise _TakenOver
            response = json_response(200, operation().model_dump())
            if record is not None:
                _complete(record, response)
        return response
    except _TakenOver:
        raise _in_progress() from None
    except Exception as exc:
        mapped = error_payload(exc)
        if record is None or mapped is None or mapped[0] >= 500:
            if record is not None:  # nothing was written: free the key for a retry
                IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise
        # The write was refused (and rolled back); the same request would be refused again, so
        # the refusal is the answer stored for this key.
        response = json_response(*mapped)
        _complete(record, response)
        return response


def run_idempotent(
    request: HttpRequest, principal: Principal, operation: Callable[[], Schema]
) -> HttpResponse:
    """Run a write once per `Idempotency-Key` and answer 200 with its result as JSON.

    `operation` does the write through a service and returns the response schema. It runs inside
    a transaction, together with the recording of its response.
    """
    raw_key = request.headers.get(HEADER)
    if raw_key is None:
        if principal.is_system:
            raise IdempotencyError(
                _(
                    "Writes with an API token need an Idempotency-Key header (for example a new "
                    "UUID per request), so that a retry is never counted twice."
                ),
                400,
            )
        return _execute(operation, None)
    claimed = _claim(principal, _checked_key(raw_key), request)
    if isinstance(claimed, HttpResponse):
        return claimed
    return _execute(operation, claimed)
