"""Test-wide fixtures: one database per run, loaded once with the real units, the sample programmes,
the sample reporting regimes and a small illustrative data set (Bình Định / Gia Lai since mid-2024),
with every target assessed.

Loading happens after pytest-django creates the test database and before any test; each test then
runs inside a transaction that is rolled back, so tests see the same reference data and cannot
change it for each other. Tests that need real transactions (concurrency) use
`django_db(transaction=True, serialized_rollback=True)`, which restores the loaded data first.
"""

from __future__ import annotations

import datetime

import pytest


def load_reference_data() -> None:
    from lotrinh.assessment.services import assess_all
    from lotrinh.indicators.services import load_catalogue, load_sample_programmes
    from lotrinh.monitoring.published import load_observations
    from lotrinh.orgunits.services import load_units
    from lotrinh.reporting.illustrative import generate_illustrative
    from lotrinh.reporting.regimes import load_regimes

    load_units()
    load_catalogue()
    load_sample_programmes()
    load_observations()
    load_regimes()
    generate_illustrative(provinces=["52"], since=datetime.date(2024, 6, 1))
    assess_all()  # as `lotrinh demo` does: pages read stored assessments and never compute them


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language and leaves no other active: Django keeps the
    language of the last request or `activate` on the thread, which made results depend on order."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connections

    with django_db_blocker.unblock():
        load_reference_data()
        # Transactional tests (real threads, real commits) empty the database afterwards; with
        # serialized_rollback=True they restore this snapshot first, so every test sees the same data.
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
