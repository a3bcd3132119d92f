import pytest
from django.core.cache import caches

from lotrinh.core.throttle import THROTTLE_CACHE


@pytest.fixture(autouse=True)
def _fresh_request_counts():
    """Each test starts with no request counted against its client's open data limit."""
    caches[THROTTLE_CACHE].clear()
