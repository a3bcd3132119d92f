"""Paging of the API's lists: `limit` and `offset`, both bounded so that no request reaches the
database with a number it cannot hold (an offset of 2**63 used to answer 500)."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Far beyond the longest list (reports nationally), far below a 64-bit integer.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    """ninja's limit/offset paging with an upper bound on `offset`; past a bound the answer is
    422 with a sentence in each language."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
