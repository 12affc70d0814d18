"""The database side of the tests: a clock moved by hand, a cheap password hasher, users added directly.

The ``store`` fixture (a fresh SQLite database on that clock) and ``db_url``, ``clock``, ``tech`` and
``pharmacist`` are in tests/conftest.py. Shared by the storage, security and reliability tests, the benchmarks
and the child processes they start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, Type

from hemgenix_desktop.security.passwords import Passwords
from hemgenix_desktop.storage import Actor, Role, Store, User

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
    return store.users.add(username, full_name, role, cheap_passwords().hash("unused password"), OPERATOR, WORKSTATION)
