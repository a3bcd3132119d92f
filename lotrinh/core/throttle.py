"""Counting attempts per client in fixed time windows, for password resets and API tokens.

Counts live by default in the cache that every server process of the machine shares, so a limit
holds across workers. A limit that guards no secret and is checked at every request (the open
data's) may count in the "default" cache instead: one Redis for all servers when LOTRINH_REDIS_URL
is set, otherwise each process's memory, so that without Redis each worker counts on its own. Keys
are hashed: an e-mail address or an IP address is never written to the cache as is.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

from lotrinh.core.errors import UserFacingError

THROTTLE_CACHE = "shared"
# Without Redis "shared" is file-based: a count there costs about 30 times one in the process's
# memory (bench/bench_open_data.py measures both).
PROCESS_CACHE = "default"


class TooManyAttemptsError(UserFacingError):
    """Refused because a client tried too often; the API answers it with HTTP 429."""

    status_code = 429


@dataclass(frozen=True)
class Limit:
    """At most `attempts` in each window of `seconds` for one key of one scope."""

    scope: str
    attempts: int
    seconds: int
    cache: str = THROTTLE_CACHE  # the alias of the cache holding the counts

    def _key(self, key: str) -> str:
        window = int(time.time()) // self.seconds
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return f"throttle:{self.scope}:{window}:{digest}"

    def count(self, key: str) -> int:
        """Attempts recorded for `key` in the current window."""
        return int(caches[self.cache].get(self._key(key), 0))

    def exceeded(self, key: str) -> bool:
        return self.count(key) >= self.attempts

    def record(self, key: str) -> int:
        """Count one attempt of `key`; returns the attempts in the current window, this one included."""
        cache, cache_key = caches[self.cache], self._key(key)
        cache.add(cache_key, 0, self.seconds)
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr: this is the window's first attempt
            cache.set(cache_key, 1, self.seconds)
            return 1

    def window_position(self) -> int:
        """Seconds already gone of the current window."""
        return int(time.time()) % self.seconds

    def refusal(self) -> TooManyAttemptsError:
        """The error to raise once the limit is reached: it says how long is left of the window."""
        left = self.seconds - int(time.time()) % self.seconds
        return TooManyAttemptsError(TOO_MANY, minutes=max(1, math.ceil(left / 60)))


TOO_MANY = _("Too many attempts. Please try again in %(minutes)s minutes.")
