"""The database side of the tests: a clock moved by hand, a cheap password hasher, users added directly.

``open_store_file`` opens a test's database. A new one is a copy of the file a first ``Store.open`` made and
migrated once per test process (the migrations take about 0.1 s, a copy a millisecond): the same schema at the
same revision, no rows, the file readable by its owner only in a folder only they may enter. The tests of
creating and migrating a database call ``Store.open`` on a new file themselves.

The ``store`` fixture (a fresh SQLite database on that clock) and ``db_url``, ``clock``, ``tech`` and
``pharmacist`` are in tests/conftest.py. Shared by the storage, security and reliability tests, the benchmarks
and the child processes they start.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.passwords import Passwords
from hemgenix_desktop.storage import Actor, Clock, Store, User, utc_now

START = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
OPERATOR = Actor("cli:tester", "command line, operating-system account tester")
WORKSTATION = "hood-1"


@dataclass
class FakeClock:
    """A clock the test moves by hand (never sleeps)."""

    now: datetime = field(default_factory=lambda: START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def cheap_passwords() -> Passwords:
    """argon2id with the smallest cost: the same code path, fast enough for many tests."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))


def add_user(store: Store, username: str, full_name: str, role: Role = Role.TECHNICIAN) -> User:
    """A user for storage tests (the hash is a real argon2id hash of a throw-away password)."""
    return store.users.add(
        username,
        full_name,
        role,
        cheap_passwords().hash("unused password"),
        OPERATOR,
        WORKSTATION,
        employee_number=f"E-{username.upper()}",
    )


@cache
def _migrated_database() -> Path:
    """A database file as a first ``Store.open`` leaves it (schema at the newest revision, no rows), made once."""
    folder = Path(tempfile.mkdtemp(prefix="hemgenix-test-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    Store.open(f"sqlite:///{folder / 'hemgenix.sqlite3'}").close()
    return folder / "hemgenix.sqlite3"


def open_store_file(path: Path, *, clock: Clock = utc_now) -> Store:
    """``Store.open`` on the SQLite file ``path``; a new file is a copy of one the migrations made (see the
    module's docstring), so they do not run again for every test."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copy2(_migrated_database(), path)
    return Store.open(f"sqlite:///{path}", clock=clock)


def leave_signed_not_sealed(store: Store, prep: Preparation, user: User, workstation: str = WORKSTATION) -> None:
    """A preparation signed but not sealed, as an earlier version left one when the program stopped between the
    transactions its sealing took (sealing is one transaction now, ``Store.seal_preparation``): the same
    draft → signed step of the storage that sealing starts with (the final values saved; refused without a
    signature), in a transaction of its own."""
    from hemgenix_desktop.storage.preparations import _sign

    store.database.check_practice(prep)
    with store.database.writing() as w:
        _sign(w, prep, user, workstation)
