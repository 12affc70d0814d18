from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.storage import Store, User
from tests.storage.helpers import FakeClock, add_user


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'hemgenix.sqlite3'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(db_url: str, clock: FakeClock) -> Iterator[Store]:
    with Store.open(db_url, clock=clock) as opened:
        yield opened


@pytest.fixture
def tech(store: Store) -> User:
    return add_user(store, "tina", "Tina Tech")


@pytest.fixture
def pharmacist(store: Store) -> User:
    return add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
