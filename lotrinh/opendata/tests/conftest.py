import pytest
from django.core.cache import caches

from lotrinh.core.throttle import PROCESS_CACHE, THROTTLE_CACHE


@pytest.fixture(autouse=True)
def _fresh_request_counts():
    """Each test starts with no request counted against its client's open data limit."""
    caches[THROTTLE_CACHE].clear()
    caches[PROCESS_CACHE].clear()


@pytest.fixture(autouse=True)
def _no_kept_publication():
    """Each test reads the published data afresh: a test's changes are rolled back afterwards,
    which can restore the version of a list a previous test's process kept."""
    from lotrinh.opendata import catalogue

    catalogue._kept.clear()
    yield
    catalogue._kept.clear()
