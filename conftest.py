"""Test-wide fixtures: one database per run, loaded once with the real units, the sample programmes,
the sample reporting regimes and a small illustrative data set (Bình Định / Gia Lai since mid-2024).

Loading happens after pytest-django creates the test database and before any test; each test then
runs inside a transaction that is rolled back, so tests see the same reference data and cannot
change it for each other. Tests that need real transactions (concurrency) reload it afterwards.
"""

from __future__ import annotations

import datetime

import pytest


def load_reference_data() -> None:
    from lotrinh.indicators.services import (
        load_catalogue,
        load_observations,
        load_sample_programmes,
    )
    from lotrinh.orgunits.services import load_units
    from lotrinh.reporting.illustrative import generate_illustrative
    from lotrinh.reporting.regimes import load_regimes

    load_units()
    load_catalogue()
    load_sample_programmes()
    load_observations()
    load_regimes()
    generate_illustrative(provinces=["52"], since=datetime.date(2024, 6, 1))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reload_reference_data(django_db_blocker):
    """For transactional tests: the database is emptied after them, so load it again."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()
