"""The reliability tests' own fixture: two workstations on one database (tests/services/two.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.two import DATABASES, Two, close_two, open_two


@pytest.fixture(params=DATABASES)
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Two]:
    """Workstation A and B on one database: a SQLite file, then PostgreSQL (skipped without
    ``HEMGENIX_TEST_POSTGRES_URL``) in a schema named after the test."""
    made = open_two(request.param, tmp_path, re.sub(r"\W", "_", request.node.originalname)[-30:].lower())
    yield made
    close_two(made)
