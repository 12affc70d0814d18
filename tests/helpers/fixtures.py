"""The fixtures every test directory may use, registered by tests/conftest.py (``pytest_plugins``).

``store``: a fresh SQLite database in the test's temporary folder (``db_url``) on a clock the test moves by hand
(``clock``); ``tech`` and ``pharmacist``: a technician and a pharmacist added to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.storage import Store, User
from tests.helpers.store import FakeClock, add_user, open_store_file


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'hemgenix.sqlite3'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(db_url: str, clock: FakeClock) -> Iterator[Store]:
    with open_store_file(Path(db_url.removeprefix("sqlite:///")), clock=clock) as opened:
        yield opened


@pytest.fixture
def tech(store: Store) -> User:
    return add_user(store, "tina", "Tina Tech")


@pytest.fixture
def pharmacist(store: Store) -> User:
    return add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)


@pytest.fixture(autouse=True)
def _site_key_secret_forgotten() -> Iterator[None]:
    """The PIN or passphrase a test gives (or a prompt it sets) is this process's: forgotten after each test."""
    from hemgenix_desktop.security.key_protection import provide_secret, set_prompt

    yield
    provide_secret(None)
    set_prompt(None)
