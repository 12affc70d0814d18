"""Sign-in, the lockout after failed attempts, and the idle-lock setting.

The same check serves three purposes: signing in before the wizard, unlocking the screen after the idle
lock (the same or another user may continue), and confirming the password before a signature. Every
attempt is written to the audit trail, without the password. Five failed attempts in a row lock the
account for 15 minutes (both numbers configurable); a disabled account cannot sign in or sign.

Times come from one clock (the store's, unless another is given), so tests can move time forward
instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.security.passwords import Passwords
from hemgenix_desktop.security.users import USERNAME_RE, normalise_username

if TYPE_CHECKING:  # the policies need no database (the sign-in screen shows them before it is open)
    from hemgenix_desktop.storage import Clock, Store, User


class Purpose(StrEnum):
    SIGN_IN = "sign_in"
    UNLOCK = "unlock"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> LockoutPolicy:
        chosen = settings or Settings.from_env()
        return cls(chosen.lockout_attempts, chosen.lockout_minutes)

    @property
    def lock_for(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)


@dataclass(frozen=True)
class IdleLockPolicy:
    """After ``idle_minutes`` without input the window hides patient data and asks for a password."""

    idle_minutes: int = 5

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> IdleLockPolicy:
        return cls((settings or Settings.from_env()).idle_lock_minutes)

    @property
    def timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def timeout_ms(self) -> int:
        """For a Qt timer."""
        return self.idle_minutes * 60_000


class SignInRefused(InvalidInput):
    """The password was not accepted; the sentence says why and what to do."""


class WrongCredentials(SignInRefused):
    """Unknown username or wrong password (the sentence does not say which)."""


class AccountLocked(SignInRefused):
    """Too many failed attempts: the account is locked until ``locked_until``."""

    def __init__(self, message: str, locked_until: datetime) -> None:
        super().__init__(message)
        self.locked_until = locked_until


class AccountDisabled(SignInRefused):
    """The account is disabled: it cannot sign in or sign."""


class SignInService:
    def __init__(
        self,
        store: Store,
        *,
        lockout: LockoutPolicy | None = None,
        passwords: Passwords | None = None,
        clock: Clock | None = None,
        local_zone: tzinfo | None = None,
    ) -> None:
        self._store = store
        self.lockout = lockout or LockoutPolicy()
        self._passwords = passwords or Passwords()
        self._clock: Clock = clock or store.now
        self._zone = local_zone

    def sign_in(self, username: str, password: str, workstation: str) -> User:
        """Sign in before the wizard. Returns the user; raises a ``SignInRefused`` with the sentence."""
        return self.authenticate(username, password, workstation, Purpose.SIGN_IN)

    def unlock(self, username: str, password: str, workstation: str) -> User:
        """After the idle lock: the same user or another one continues."""
        return self.authenticate(username, password, workstation, Purpose.UNLOCK)

    def confirm_for_signature(self, username: str, password: str, workstation: str) -> User:
        """The password again, right before a signature (21 CFR 11.200)."""
        return self.authenticate(username, password, workstation, Purpose.SIGNATURE)

    def authenticate(self, username: str, password: str, workstation: str, purpose: Purpose) -> User:
        name = normalise_username(username)
        if not name or not password:
            raise InvalidInput("Enter your username and your password.")
        users = self._store.users
        user = users.get(name)
        if user is None:
            self._passwords.spend_time(password)
            # What was typed is kept only if it could be a username (not, say, a password typed in the wrong box).
            typed = name if USERNAME_RE.fullmatch(name) else "(not a possible username)"
            users.record_sign_in_failure(
                typed,
                workstation,
                purpose.value,
                max_failures=self.lockout.max_failures,
                lock_for=self.lockout.lock_for,
            )
            raise WrongCredentials(self._wrong_sentence())
        now = self._clock()
        if user.locked_at(now) and user.locked_until is not None:
            users.record_sign_in_refused(
                name, workstation, purpose.value, f"the account is locked until {user.locked_until.isoformat()}."
            )
            raise AccountLocked(self._locked_sentence(user, user.locked_until), user.locked_until)
        stored = users.password_hash(name)
        if stored is None or not self._passwords.verify(stored, password):
            updated = users.record_sign_in_failure(
                name, workstation, purpose.value, max_failures=self.lockout.max_failures, lock_for=self.lockout.lock_for
            )
            if updated is not None and updated.locked_until is not None and updated.locked_at(now):
                raise AccountLocked(
                    "The password is wrong. " + self._locked_sentence(updated, updated.locked_until),
                    updated.locked_until,
                )
            raise WrongCredentials(self._wrong_sentence())
        if not user.active:
            users.record_sign_in_refused(name, workstation, purpose.value, "the account is disabled.")
            raise AccountDisabled(
                f"The account “{name}” is disabled, so it cannot sign in or sign. Ask a pharmacist to enable it."
            )
        new_hash = self._passwords.hash(password) if self._passwords.needs_rehash(stored) else None
        return users.record_sign_in_success(name, workstation, purpose.value, new_hash=new_hash)

    def _wrong_sentence(self) -> str:
        return (
            "The username or the password is wrong. Check both and try again; after "
            f"{self.lockout.max_failures} failed attempts in a row the account is locked for "
            f"{self.lockout.lock_minutes} minutes."
        )

    def _locked_sentence(self, user: User, until: datetime) -> str:
        local = until.astimezone(self._zone) if self._zone is not None else until.astimezone()
        return (
            f"The account “{user.username}” is locked until {local:%H:%M} ({local.tzname()}) after "
            f"{self.lockout.max_failures} failed sign-in attempts. Try again then, or ask a pharmacist to reset "
            "the password."
        )
