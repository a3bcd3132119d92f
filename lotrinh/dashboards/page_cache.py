"""Dashboard fragments and API bodies, cached under the version of the data they show.

A cache key holds everything that decides a body (what page, which object, filters, language, day
and data version) and never the user. So callers must authorise the request *before* asking for a
cached body, and a cached body must hold nothing personal: the page header with the user's name,
notifications and CSRF token is rendered around it on every request.

Every write that changes what a body shows changes its version, so an old body is not served again:
- a programme's assessments are recomputed on every approval or reopening (the `report_decided`
  refresh), which moves their latest `computed_at`: the next request shows it;
- keeping or recomputing its history (`lotrinh assess-history`, the API) moves the latest
  `computed_at` or the count of its kept past assessments: the next request shows it;
- any saved figure, submission, approval, return or import moves a report's `updated_at`: the
  next request shows it, or, in another worker process, at most REPORTS_VERSION_SECONDS later.
The version is read before the data, so a body stored under a version is at least that new.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from lotrinh.assessment.scoring import DEFAULT_METHOD
from lotrinh.indicators.models import Programme
from lotrinh.reporting.models import Report

# Old versions are never read again; this only bounds how long they take up memory.
PAGE_CACHE_SECONDS = 600

Body = TypeVar("Body", str, bytes)


def programmes_with_version() -> QuerySet[Programme]:
    """Programmes with their province, and the version of their assessments read in the same query
    (one query per request saved: the dashboards look up the programme anyway): today's and the
    kept past assessments are joined through the targets, so each is counted distinct."""
    assessed = Q(target__assessments__method=DEFAULT_METHOD)
    kept = Q(target__past_assessments__method=DEFAULT_METHOD)
    return (
        Programme.objects.select_related("org_unit")
        .defer("document_text", "summary", "source_note", "search_name")
        .annotate(
            assessed_at=Max("target__assessments__computed_at", filter=assessed),
            assessed_count=Count("target__assessments", filter=assessed, distinct=True),
            kept_at=Max("target__past_assessments__computed_at", filter=kept),
            kept_count=Count("target__past_assessments", filter=kept, distinct=True),
        )
    )


def assessments_version(programme: Programme) -> str | None:
    """The version of a programme's stored assessments, or None before the first assessment.

    The count changes the version too when a target (and its assessment) is removed; the kept
    history (its newest computation and size) is part of it, as the pages show it. Reads the
    annotations of `programmes_with_version()` when the programme comes from there."""
    if not hasattr(programme, "assessed_at"):
        programme = programmes_with_version().get(pk=programme.pk)
    latest, count = programme.assessed_at, programme.assessed_count  # type: ignore[attr-defined]
    kept_at, kept_count = programme.kept_at, programme.kept_count  # type: ignore[attr-defined]
    kept = f"{kept_at.isoformat()}/{kept_count}" if kept_at else "-"
    return f"{latest.isoformat()}/{count}/{kept}" if latest else None


# The reports' version is a scan of every report (there is no index on `updated_at`), so each
# worker reads it at most once per REPORTS_VERSION_SECONDS: a change shows within that time, and
# at once in the worker that approved it (see `forget_reports_version`).
REPORTS_VERSION_SECONDS = 1.0
_reports_version: tuple[float, str | None] = (0.0, None)


def reports_version() -> str | None:
    """The version of all reports and their figures (None while there are none)."""
    global _reports_version  # one value per worker process, see above
    read_at, version = _reports_version
    now = time.monotonic()
    if now - read_at >= REPORTS_VERSION_SECONDS:
        row = Report.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
        version = f"{row['latest'].isoformat()}/{row['count']}" if row["latest"] else None
        _reports_version = (now, version)
    return version


def forget_reports_version(**_kwargs: object) -> None:
    """Make the next `reports_version()` of this worker read the database (after a decision)."""
    global _reports_version
    _reports_version = (0.0, None)


def cache_key(*parts: object) -> str:
    """A short key, safe for any cache backend, from the parts that decide a body."""
    return "dash:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


# Threads of one worker that miss the same body wait for one of them to build it, instead of all
# building it at once (as 20 users would, right after an approval). A small fixed pool of locks:
# two bodies sharing a lock only take turns.
_BUILD_LOCKS = [threading.Lock() for _ in range(16)]


def cached_body(version: str | None, parts: tuple[object, ...], build: Callable[[], Body]) -> Body:
    """The body built by `build`, from the cache when it was built for the same parts and version.

    With no version (nothing computed yet) the body is built and not kept."""
    if version is None:
        return build()
    key = cache_key(version, *parts)
    body: Body | None = cache.get(key)
    if body is None:
        with _BUILD_LOCKS[int(key[-4:], 16) % len(_BUILD_LOCKS)]:
            body = cache.get(key)
            if body is None:
                body = build()
                cache.set(key, body, PAGE_CACHE_SECONDS)
    return body
