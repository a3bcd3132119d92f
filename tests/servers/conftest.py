"""The reporting world every test here starts from, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.support import World, built_world


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Migrated and loaded once (on the PostgreSQL pass only); each test copies it."""
    with built_world(tmp_path_factory.mktemp("world")) as built:
        yield built
