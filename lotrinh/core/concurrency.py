"""At most a few heavy requests (document extraction, import, large downloads) per user at once.

Each running request holds a slot, a key in the shared cache added atomically; a request that
finds every slot taken is refused at once with `BusyError` (HTTP 429) instead of waiting, so one
user cannot occupy every worker. A slot expires by itself after `hold_seconds`, in case its worker
died without releasing it. With one server process the default caches suffice; with several,
the "shared" cache must be one all processes see (a directory on one machine, or Redis).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError


class BusyError(UserFacingError):
    """The user already runs as many heavy requests as allowed."""


def take_slot(user_id: object, hold_seconds: int) -> str:
    """Take one of the user's heavy slots for at most `hold_seconds` and return its key, or raise
    `BusyError` if every slot is taken. A background job keeps its slot until the task ends."""
    cache = caches["shared"]
    for slot in range(max(1, settings.LOTRINH_HEAVY_REQUESTS_PER_USER)):
        key = f"lotrinh:heavy:{user_id}:{slot}"
        if cache.add(key, 1, timeout=hold_seconds):
            return key
    raise BusyError(
        _(
            "You already have an extraction, import or large download being prepared. Wait until "
            "it has finished, then try again."
        )
    )


def release_slot(key: str) -> None:
    caches["shared"].delete(key)


@contextmanager
def heavy_request(user_id: object, hold_seconds: int) -> Iterator[None]:
    """Hold one of the user's slots (shared by extraction, import and background jobs) while the
    block runs."""
    key = take_slot(user_id, hold_seconds)
    try:
        yield
    finally:
        release_slot(key)
