"""The users table: accounts, their password hashes and their sign-in counters.

Only the security layer decides (hashing, policy, lockout); this module stores, and writes an audit
event with every change in the same transaction. A password hash never leaves this module except
through ``password_hash()``, which the sign-in service alone calls; no audit event carries one.
"""

from __future__ import annotations

import builtins
import getpass
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.signing import Signer
from hemgenix_desktop.domain.vocabulary import AuditAction, Role
from hemgenix_desktop.storage.approvals import Approval, record_approval
from hemgenix_desktop.storage.audit import changes
from hemgenix_desktop.storage.errors import UserAlreadyExists
from hemgenix_desktop.storage.schema import users
from hemgenix_desktop.storage.state_check import password_fingerprint
from hemgenix_desktop.storage.writer import Who

if TYPE_CHECKING:  # the accounts need the open database, not the code that opens it (migrations)
    from hemgenix_desktop.storage.database import Database


@dataclass(frozen=True)
class Actor:
    """Someone who acts without a user account: the operator of the command line."""

    username: str
    full_name: str


@dataclass(frozen=True)
class User:
    """An account, without its password hash."""

    username: str
    full_name: str
    role: Role
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime
    created_by: str
    password_changed_at: datetime
    employee_number: str | None = None  # the person behind the account (None: made before revision 0008)
    must_change_password: bool = False  # a one-time password: the person chooses a new one at the next sign-in

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def describe(self) -> str:
        return f"{self.full_name} ({self.username})"

    def signer(self) -> Signer:
        """This user as ``domain.signing`` knows a signer."""
        return Signer(self.username, self.full_name, self.role.value, self.employee_number or "")


def user_from_row(row: Row[Any]) -> User:
    return User(
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        active=bool(row.active),
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        created_at=row.created_at,
        created_by=row.created_by,
        password_changed_at=row.password_changed_at,
        employee_number=row.employee_number,
        must_change_password=bool(row.must_change_password),
    )


def _public(user: User) -> dict[str, Any]:
    """What an audit event may say about an account (never its password or hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "active": user.active,
        "employee_number": user.employee_number,
    }


def _with_approval(after: dict[str, Any], approval: Approval | None) -> dict[str, Any]:
    return after if approval is None else {**after, **approval.details()}


def _approval_text(approval: Approval | None) -> str:
    return "" if approval is None else approval.summary()


class UserRepository:
    """Accounts in one database. Obtain it as ``store.users``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading --------------------------------------------------------------------------------------
    def get(self, username: str) -> User | None:
        with self._db.reading() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).one_or_none()
        return None if row is None else user_from_row(row)

    def list(self) -> list[User]:
        with self._db.reading() as conn:
            rows = conn.execute(select(users).order_by(users.c.username)).all()
        return [user_from_row(row) for row in rows]

    def count(self) -> int:
        with self._db.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def password_hash(self, username: str) -> str | None:
        """The stored hash, for the sign-in service to verify against. Nothing else calls this."""
        with self._db.reading() as conn:
            value = conn.execute(select(users.c.password_hash).where(users.c.username == username)).scalar_one_or_none()
        return None if value is None else str(value)

    def password_history(self, username: str) -> builtins.list[str]:
        """The hashes of the person's last passwords, newest first (the current one not included)."""
        with self._db.reading() as conn:
            value = conn.execute(
                select(users.c.password_history).where(users.c.username == username)
            ).scalar_one_or_none()
        return _history(value)

    def with_employee_number(self, number: str) -> User | None:
        """The account of the person with this employee number, if any."""
        with self._db.reading() as conn:
            row = conn.execute(select(users).where(users.c.employee_number == number)).one_or_none()
        return None if row is None else user_from_row(row)

    # --- changing -------------------------------------------------------------------------------------
    def add(
        self,
        username: str,
        full_name: str,
        role: Role,
        password_hash: str,
        by: Who,
        workstation: str,
        *,
        only_if_first: bool = False,
        employee_number: str | None = None,
        must_change_password: bool = False,
        approval: Approval | None = None,
    ) -> User:
        """Add an account. With ``only_if_first`` it is refused unless there is no account yet (the first
        pharmacist, created on the first start)."""
        try:
            with self._db.writing() as w:
                if only_if_first and w.conn.execute(select(func.count()).select_from(users)).scalar_one():
                    raise UserAlreadyExists(
                        "Hemgenix Prep already has users, so the first account cannot be created again. "
                        "Sign in, or ask a pharmacist to add your account."
                    )
                if w.conn.execute(select(users.c.id).where(users.c.username == username)).first() is not None:
                    raise _taken(username)
                if employee_number is not None:
                    _check_number_free(w.conn, employee_number, username)
                w.conn.execute(
                    insert(users).values(
                        username=username,
                        full_name=full_name,
                        role=role.value,
                        active=True,
                        password_hash=password_hash,
                        password_changed_at=w.now,
                        failed_attempts=0,
                        locked_until=None,
                        created_at=w.now,
                        created_by=by.username,
                        employee_number=employee_number,
                        must_change_password=must_change_password,
                        password_history="[]",
                    )
                )
                user = user_from_row(w.user_row(username))
                event = w.audit(
                    by,
                    workstation,
                    AuditAction.USER_ADDED,
                    f"Added the {role.value} account {user.describe()}.{_approval_text(approval)}",
                    after=_with_approval(_public(user) | _password_state(user, password_hash, "[]"), approval),
                )
                record_approval(w, event, approval)
                return user
        except IntegrityError as exc:  # two people adding the same username (or number) at the same moment
            raise UserAlreadyExists(
                f"The username “{username}” or the employee number is already taken. Check both with “users list”."
            ) from exc

    def set_active(
        self, username: str, active: bool, by: Who, workstation: str, *, approval: Approval | None = None
    ) -> User:
        with self._db.writing() as w:
            before = user_from_row(w.user_row(username))
            w.conn.execute(update(users).where(users.c.username == username).values(active=active))
            after = user_from_row(w.user_row(username))
            verb = "Enabled" if active else "Disabled"
            event = w.audit(
                by,
                workstation,
                AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED,
                f"{verb} the account {after.describe()}.{_approval_text(approval)}",
                before={"active": before.active},
                after=_with_approval({"username": username, "active": after.active}, approval),
            )
            record_approval(w, event, approval)
            return after

    def set_role(
        self, username: str, role: Role, by: Who, workstation: str, *, approval: Approval | None = None
    ) -> User:
        with self._db.writing() as w:
            before = user_from_row(w.user_row(username))
            w.conn.execute(update(users).where(users.c.username == username).values(role=role.value))
            after = user_from_row(w.user_row(username))
            event = w.audit(
                by,
                workstation,
                AuditAction.USER_ROLE_CHANGED,
                f"Changed the role of {after.describe()} from {before.role.value} to {after.role.value}."
                f"{_approval_text(approval)}",
                before={"role": before.role.value},
                after=_with_approval({"username": username, "role": after.role.value}, approval),
            )
            record_approval(w, event, approval)
            return after

    def set_employee_number(
        self, username: str, number: str, by: Who, workstation: str, *, approval: Approval | None = None
    ) -> User:
        try:
            with self._db.writing() as w:
                before = user_from_row(w.user_row(username))
                _check_number_free(w.conn, number, username)
                w.conn.execute(update(users).where(users.c.username == username).values(employee_number=number))
                after = user_from_row(w.user_row(username))
                event = w.audit(
                    by,
                    workstation,
                    AuditAction.USER_EMPLOYEE_NUMBER_SET,
                    f"Set the employee number of {after.describe()} to {number}.{_approval_text(approval)}",
                    before={"employee_number": before.employee_number},
                    after=_with_approval({"username": username, "employee_number": number}, approval),
                )
                record_approval(w, event, approval)
                return after
        except IntegrityError as exc:
            raise _number_taken(number) from exc

    def set_password_hash(
        self,
        username: str,
        password_hash: str,
        by: Who,
        workstation: str,
        *,
        one_time: bool = False,
        keep: int = 0,
        approval: Approval | None = None,
    ) -> User:
        """A new password (reset by someone else, or changed): also ends any lockout. ``one_time``: the person
        must choose another at the next sign-in (a reset). ``keep``: how many of the previous passwords' hashes
        are kept, so that they cannot be chosen again."""
        with self._db.writing() as w:
            row = w.user_row(username)
            before = user_from_row(row)
            history = ([str(row.password_hash), *_history(row.password_history)])[:keep] if keep > 0 else []
            history_text = json.dumps(history)
            w.conn.execute(
                update(users)
                .where(users.c.username == username)
                .values(
                    password_hash=password_hash,
                    password_changed_at=w.now,
                    failed_attempts=0,
                    locked_until=None,
                    must_change_password=one_time,
                    password_history=history_text,
                )
            )
            after = user_from_row(w.user_row(username))
            old, new = changes(_lock_state(before), _lock_state(after))
            if one_time:
                summary = (
                    f"Gave {after.describe()} a one-time password, to be replaced at the next sign-in; any lockout "
                    "is lifted."
                )
                action = AuditAction.PASSWORD_RESET
            elif same_account(by.username, username):
                summary = f"{after.describe()} chose a new password."
                action = AuditAction.PASSWORD_CHANGED
            else:
                summary = f"Set a new password for {after.describe()}; any lockout is lifted."
                action = AuditAction.PASSWORD_RESET
            event = w.audit(
                by,
                workstation,
                action,
                summary + _approval_text(approval),
                before=old,
                after=_with_approval(
                    new | {"username": username} | _password_state(after, password_hash, history_text), approval
                ),
            )
            record_approval(w, event, approval)
            return after

    def record_refusal(self, by: Who, workstation: str, summary: str, details: dict[str, Any]) -> None:
        """An administrative action refused (no sign-in, a wrong role, a missing approval): only the event."""
        with self._db.writing() as w:
            w.audit(by, workstation, AuditAction.ADMINISTRATION_REFUSED, summary, after=details)

    # --- sign-in bookkeeping (called by the security layer) ----------------------------------------------
    def record_sign_in_success(
        self,
        username: str,
        workstation: str,
        purpose: str,
        *,
        checked_hash: str,
        new_hash: str | None = None,
        os_account: str = "",
    ) -> User:
        """A right password, checked against ``checked_hash`` (the event names its fingerprint, which ``audit verify``
        compares with the hash the trail last set: a hash swapped in and put back is found): the failure counter
        starts again from zero. ``new_hash`` replaces the stored hash when the hashing parameters have been
        strengthened since it was made. Refused when the stored hash is no longer the one checked (the password was
        changed meanwhile)."""
        with self._db.writing() as w:
            if str(w.user_row(username).password_hash) != checked_hash:
                raise InvalidInput(
                    f"The password of the account “{username}” was changed while it was being checked. Enter the "
                    "current password again."
                )
            values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
            if new_hash is not None:
                values["password_hash"] = new_hash
            w.conn.execute(update(users).where(users.c.username == username).values(**values))
            user = user_from_row(w.user_row(username))
            w.audit(
                user,
                workstation,
                AuditAction.SIGN_IN,
                f"{user.describe()} entered the right password ({_purpose(purpose)}).",
                after={
                    "purpose": purpose,
                    "password_checked_sha256": password_fingerprint(checked_hash),
                    "failed_attempts": 0,
                    "locked_until": None,
                }
                | _os(os_account)
                | ({} if new_hash is None else {"password_sha256": password_fingerprint(new_hash)}),
            )
            return user

    def record_sign_in_failure(
        self,
        username: str,
        workstation: str,
        purpose: str,
        *,
        max_failures: int,
        lock_for: timedelta,
        os_account: str = "",
    ) -> User | None:
        """A wrong password (or an unknown username): count it and lock the account when the count
        reaches ``max_failures``. Returns the account as it now is, or None for an unknown username."""
        with self._db.writing() as w:
            row = w.conn.execute(select(users).where(users.c.username == username)).one_or_none()
            if row is None:
                w.audit(
                    Actor(username, ""),
                    workstation,
                    AuditAction.SIGN_IN_FAILED,
                    f"Someone tried to sign in as “{username}”, which is not a user ({_purpose(purpose)}).",
                    after={"purpose": purpose, "known_user": False} | _os(os_account),
                )
                return None
            current = user_from_row(row)
            expired = current.locked_until is not None and current.locked_until <= w.now
            attempts = (0 if expired else current.failed_attempts) + 1
            locked_until = w.now + lock_for if attempts >= max_failures else None
            w.conn.execute(
                update(users)
                .where(users.c.username == username)
                .values(failed_attempts=attempts, locked_until=locked_until)
            )
            user = user_from_row(w.user_row(username))
            summary = f"Wrong password for {user.describe()} ({_purpose(purpose)}), failed attempt {attempts}."
            if locked_until is not None:
                summary += f" The account is locked until {locked_until:%Y-%m-%d %H:%M} UTC."
            w.audit(
                user,
                workstation,
                AuditAction.SIGN_IN_FAILED,
                summary,
                before={"failed_attempts": current.failed_attempts, "locked_until": _iso(current.locked_until)},
                after={
                    "purpose": purpose,
                    "known_user": True,
                    "failed_attempts": attempts,
                    "locked_until": _iso(locked_until),
                }
                | _os(os_account),
            )
            return user

    def record_sign_in_refused(
        self, username: str, workstation: str, purpose: str, reason: str, *, os_account: str = ""
    ) -> None:
        """A sign-in refused before the password was looked at (a locked or disabled account)."""
        with self._db.writing() as w:
            row = w.conn.execute(select(users).where(users.c.username == username)).one_or_none()
            who: Who = Actor(username, "") if row is None else user_from_row(row)
            w.audit(
                who,
                workstation,
                AuditAction.SIGN_IN_REFUSED,
                f"Sign-in refused for “{username}” ({_purpose(purpose)}): {reason}",
                after={"purpose": purpose} | _os(os_account),
            )


def _os(os_account: str) -> dict[str, str]:
    """The operating-system account beside the person, when the caller knows it."""
    return {"os_account": os_account} if os_account else {}


def _lock_state(user: User) -> dict[str, Any]:
    """What a new password changes that an audit event may show (the time it changed, the lockout)."""
    return {
        "password_changed_at": user.password_changed_at.isoformat(),
        "must_change_password": user.must_change_password,
        "failed_attempts": user.failed_attempts,
        "locked_until": _iso(user.locked_until),
    }


def _password_state(user: User, password_hash: str, history: str) -> dict[str, Any]:
    """What an event that sets a password names of the account's password state, for ``audit verify`` to compare
    (fingerprints, never a hash; the time it changed is the event's own)."""
    return {
        "password_sha256": password_fingerprint(password_hash),
        "password_history_sha256": password_fingerprint(history),
        "must_change_password": user.must_change_password,
        "failed_attempts": user.failed_attempts,
        "locked_until": _iso(user.locked_until),
    }


def same_account(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _history(value: object) -> list[str]:
    try:
        loaded = json.loads(str(value or "[]"))
    except ValueError:
        return []
    return [str(item) for item in loaded] if isinstance(loaded, list) else []


def _check_number_free(conn: Connection, number: str, username: str) -> None:
    holder = conn.execute(
        select(users.c.username).where(users.c.employee_number == number, users.c.username != username)
    ).first()
    if holder is not None:
        raise _number_taken(number)


def _number_taken(number: str) -> UserAlreadyExists:
    return UserAlreadyExists(
        f"The employee number {number} already belongs to another account: one person has one account. Enable "
        "that account instead of adding another, or check the number."
    )


def _taken(username: str) -> UserAlreadyExists:
    return UserAlreadyExists(f"The username “{username}” is already taken. Choose another username.")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


_PURPOSES = {
    "sign_in": "signing in",
    "unlock": "unlocking the screen",
    "signature": "confirming a signature",
    "administration": "administering",
    "approval": "approving as the second pharmacist",
    "password_change": "choosing a new password",
}


def _purpose(purpose: str) -> str:
    return _PURPOSES.get(purpose, purpose)


_MAX_LOGIN = 64


def cli_actor() -> Actor:
    """Who runs the command line: the operating-system account (there is no sign-in there)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        login = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    if not login.isprintable() or len(login) > _MAX_LOGIN:  # getuser() reads USER and LOGNAME: anyone can set them
        raise InvalidInput(
            f"The operating-system account name “{login[:_MAX_LOGIN].encode('unicode_escape').decode()}” (from the environment variable USER or "
            f"LOGNAME) cannot go into the audit trail: it must be one line of at most {_MAX_LOGIN} printable "
            "characters. Correct USER and LOGNAME, or sign in to the computer as yourself; nothing was changed."
        )
    return Actor(f"cli:{login}", f"command line, operating-system account {login}")


__all__ = ["Actor", "Approval", "Role", "User", "UserRepository", "cli_actor", "user_from_row"]
