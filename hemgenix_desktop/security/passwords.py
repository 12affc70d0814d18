"""Passwords: the policy they must meet, and their argon2id hashes (argon2-cffi).

A password exists only in memory, long enough to be checked and hashed; only its hash is stored, in the
users table, and neither is ever printed, logged or written into the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.errors import InvalidInput

if TYPE_CHECKING:  # argon2 loads when the first password is hashed or checked, not with the first screen
    from argon2 import PasswordHasher

MIN_LENGTH = 10
MAX_LENGTH = 256


class WeakPassword(InvalidInput):
    """The password does not meet the policy."""


class PasswordsDiffer(InvalidInput):
    """The password and its repetition differ."""


@dataclass(frozen=True)
class PasswordPolicy:
    """At least ``min_length`` characters (a few words make a good password), at most ``max_length``,
    not the username and not one character repeated."""

    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH

    def check(self, password: str, username: str | None = None) -> None:
        if not password.strip():
            raise WeakPassword(f"The password is empty. Choose one of at least {self.min_length} characters.")
        if len(password) < self.min_length:
            raise WeakPassword(
                f"The password is too short: use at least {self.min_length} characters. A few words in a row "
                "make a good password."
            )
        if len(password) > self.max_length:
            raise WeakPassword(f"The password is too long: use at most {self.max_length} characters.")
        if len(set(password)) == 1:
            raise WeakPassword("The password is one character repeated. Choose one that is harder to guess.")
        if username and username.strip().casefold() in password.casefold():
            raise WeakPassword("The password must not contain the username. Choose another password.")


def check_repeated(password: str, repeated: str) -> None:
    if password != repeated:
        raise PasswordsDiffer("The two passwords differ. Type the same password twice.")


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile)."""
    from argon2 import PasswordHasher, Type

    return PasswordHasher(type=Type.ID)


@dataclass
class Passwords:
    """Hashes and verifies passwords. Tests may give a cheaper hasher; the type is always argon2id."""

    hasher: PasswordHasher = field(default_factory=default_hasher)
    _dummy: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from argon2 import Type

        if self.hasher.type is not Type.ID:
            raise ValueError("passwords are hashed with argon2id only")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        from argon2.exceptions import InvalidHashError

        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def spend_time(self, password: str) -> None:
        """Verify against a throw-away hash, so an unknown username takes as long as a known one."""
        if self._dummy is None:
            self._dummy = self.hasher.hash("not a password of anyone")
        self.verify(self._dummy, password)
