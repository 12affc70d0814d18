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
from hemgenix_desktop.security.passwords import PasswordPolicy, Passwords
from hemgenix_desktop.security.users import USERNAME_RE, normalise_username

if TYPE_CHECKING:  # the policies need no database (the sign-in screen shows them before it is open)
    from hemgenix_desktop.storage import Clock, Store, User


class Purpose(StrEnum):
    SIGN_IN = "sign_in"
    UNLOCK = "unlock"
    SIGNATURE = "signature"
    ADMINISTRATION = "administration"  # an administrative command or window: the person acting
    APPROVAL = "approval"  # a second pharmacist approves (two-person rule)
    PASSWORD_CHANGE = "password_change"  # the person replaces a one-time or aged password


# A signature needs the person's employee number on the account (migration 0008's path); an approval too, which
# services.administration checks (except the approval of an employee number itself, the path out of 0008).
_NEEDS_PERSON = {Purpose.SIGNATURE}


@dataclass(frozen=True)
class PasswordAgeing:
    """Passwords older than ``max_age_days`` (0: never) must be replaced at sign-in; the last ``history``
    passwords may not be chosen again."""

    max_age_days: int = 0
    history: int = 5

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> PasswordAgeing:
        chosen = settings or Settings.from_env()
        return cls(chosen.password_max_days, chosen.password_history)

    def expired(self, user: User, now: datetime) -> bool:
        return self.max_age_days > 0 and now - user.password_changed_at >= timedelta(days=self.max_age_days)


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


class PasswordChangeRequired(SignInRefused):
    """The password was right, but it is a one-time password (or too old): the person must choose a new one
    (:meth:`SignInService.change_password`) before anything else."""

    def __init__(self, message: str, user: User) -> None:
        super().__init__(message)
        self.user = user


class AccountWithoutPerson(SignInRefused):
    """The account has no employee number yet (made before revision 0008), so it cannot sign or approve."""


class PasswordReused(InvalidInput):
    """The new password is the current one or one of the last ones."""


class SignInService:
    def __init__(
        self,
        store: Store,
        *,
        lockout: LockoutPolicy | None = None,
        passwords: Passwords | None = None,
        clock: Clock | None = None,
        local_zone: tzinfo | None = None,
        ageing: PasswordAgeing | None = None,
        policy: PasswordPolicy | None = None,
        os_account: str = "",
    ) -> None:
        self._store = store
        self.os_account = os_account  # the operating-system account, named in every sign-in event beside the person
        self.lockout = lockout or LockoutPolicy()
        self.ageing = ageing or PasswordAgeing()
        self.policy = policy or PasswordPolicy()
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
                os_account=self.os_account,
            )
            raise WrongCredentials(self._wrong_sentence())
        now = self._clock()
        if user.locked_at(now) and user.locked_until is not None:
            users.record_sign_in_refused(
                name,
                workstation,
                purpose.value,
                f"the account is locked until {user.locked_until.isoformat()}.",
                os_account=self.os_account,
            )
            raise AccountLocked(self._locked_sentence(user, user.locked_until), user.locked_until)
        stored = users.password_hash(name)
        if stored is None or not self._passwords.verify(stored, password):
            updated = users.record_sign_in_failure(
                name,
                workstation,
                purpose.value,
                max_failures=self.lockout.max_failures,
                lock_for=self.lockout.lock_for,
                os_account=self.os_account,
            )
            if updated is not None and updated.locked_until is not None and updated.locked_at(now):
                raise AccountLocked(
                    "The password is wrong. " + self._locked_sentence(updated, updated.locked_until),
                    updated.locked_until,
                )
            raise WrongCredentials(self._wrong_sentence())
        if not user.active:
            users.record_sign_in_refused(
                name, workstation, purpose.value, "the account is disabled.", os_account=self.os_account
            )
            raise AccountDisabled(
                f"The account “{name}” is disabled, so it cannot sign in or sign. Ask a pharmacist to enable it."
            )
        new_hash = self._passwords.hash(password) if self._passwords.needs_rehash(stored) else None
        signed = users.record_sign_in_success(
            name, workstation, purpose.value, checked_hash=stored, new_hash=new_hash, os_account=self.os_account
        )
        if purpose is not Purpose.PASSWORD_CHANGE:
            self._check_password_current(signed, now, workstation, purpose)
        if purpose in _NEEDS_PERSON and not signed.employee_number:
            users.record_sign_in_refused(
                name, workstation, purpose.value, "the account has no employee number yet.", os_account=self.os_account
            )
            raise AccountWithoutPerson(
                f"The account “{name}” has no employee number yet, so it cannot sign or approve. Ask a pharmacist "
                "to set it (hemgenix-prep users set-employee-number, with a second pharmacist's approval)."
            )
        return signed

    def _check_password_current(self, user: User, now: datetime, workstation: str, purpose: Purpose) -> None:
        if user.must_change_password:
            reason = "the password is a one-time password"
        elif self.ageing.expired(user, now):
            reason = f"the password is older than {self.ageing.max_age_days} days"
        else:
            return
        self._store.users.record_sign_in_refused(
            user.username,
            workstation,
            purpose.value,
            f"{reason}: a new one must be chosen first.",
            os_account=self.os_account,
        )
        raise PasswordChangeRequired(
            f"{user.full_name}, {reason}, so choose a new password of your own before going on (on the command "
            "line: hemgenix-prep users change-password).",
            user,
        )

    def change_password(self, username: str, current: str, new: str, workstation: str) -> User:
        """The person replaces their password (a one-time one, an aged one, or by choice): the current password
        again, then the new one, which meets the policy and is none of the last ones."""
        user = self.authenticate(username, current, workstation, Purpose.PASSWORD_CHANGE)
        self.policy.check(new, user.username)
        users = self._store.users
        stored = users.password_hash(user.username)
        earlier = [stored] if stored is not None else []
        earlier += users.password_history(user.username)[: self.ageing.history]
        if new == current or any(self._passwords.verify(old, new) for old in earlier):
            raise PasswordReused(
                f"That password was used before. Choose one that is none of your last {max(self.ageing.history, 1)} "
                "passwords."
            )
        return users.set_password_hash(
            user.username, self._passwords.hash(new), user, workstation, keep=self.ageing.history
        )

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
