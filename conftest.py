"""Test-wide fixtures: one database per run, loaded once with the real units and the sample programmes.

Loading happens after pytest-django creates the test database and before any test; each test then
runs inside a transaction that is rolled back, so tests see the same reference data and cannot
change it for each other.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from lotrinh.indicators.services import load_catalogue, load_sample_programmes
    from lotrinh.orgunits.services import load_units

    with django_db_blocker.unblock():
        load_units()
        load_catalogue()
        load_sample_programmes()
