"""Users: who may use Hemgenix Prep, in which role, and their passwords.

Usernames are kept trimmed and in lower case (they compare case-insensitively, as ``domain.signing``
expects); a full name is the printed name on signatures. Every change is audited by the store, never
with a password or a hash.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.names import check_printed_name
from hemgenix_desktop.security.passwords import PasswordPolicy, Passwords
from hemgenix_desktop.storage.errors import UserNotFound

if TYPE_CHECKING:  # the rules above the class need no database (the first-account screen uses them at once)
    from hemgenix_desktop.storage import Store, User
    from hemgenix_desktop.storage.users import Approval
    from hemgenix_desktop.storage.writer import Who

USERNAME_RE = re.compile(r"[a-z][a-z0-9._-]{1,31}")
MAX_FULL_NAME = 200


def normalise_username(text: str) -> str:
    return text.strip().casefold()


def check_username(text: str) -> str:
    """The username as stored, or a sentence saying what is wrong with it."""
    name = normalise_username(text)
    if not name:
        raise InvalidInput("Enter a username.")
    if not USERNAME_RE.fullmatch(name):
        raise InvalidInput(
            f"“{text.strip()}” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, "
            "starting with a letter, for example jsmith."
        )
    return name


def check_full_name(text: str) -> str:
    """The printed name as stored (spaces collapsed), or a sentence: empty, too long, or holding characters a
    reader cannot see or letters of several scripts (``security.names``)."""
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("Enter the person's full name, as it should be printed beside their signature.")
    if len(name) > MAX_FULL_NAME:
        raise InvalidInput(f"The full name is too long: use at most {MAX_FULL_NAME} characters.")
    check_printed_name(name)
    return name


EMPLOYEE_NUMBER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{0,31}")


def check_employee_number(text: str) -> str:
    """The person's employee (or licence) number as stored (trimmed, upper case), or a sentence."""
    number = text.strip().upper()
    if not number:
        raise InvalidInput(
            "Enter the person's employee (or licence) number: it tells one person from another, whatever their "
            "usernames."
        )
    if not EMPLOYEE_NUMBER_RE.fullmatch(number):
        raise InvalidInput(
            f"“{text.strip()[:40]}” cannot be an employee number: use 1 to 32 letters, digits, dots, dashes or "
            "slashes, starting with a letter or a digit, for example E10442."
        )
    return number


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().casefold())
    except ValueError:
        raise InvalidInput(f"“{text.strip()}” is not a role. Choose technician or pharmacist.") from None


class UserAdmin:
    """Adding, listing, enabling, disabling users and resetting their passwords."""

    def __init__(
        self, store: Store, *, passwords: Passwords | None = None, policy: PasswordPolicy | None = None
    ) -> None:
        self._store = store
        self._passwords = passwords or Passwords()
        self.policy = policy or PasswordPolicy()

    def needs_first_user(self) -> bool:
        """True while there is no account at all: the GUI then asks for the first pharmacist."""
        return self._store.users.count() == 0

    def add(
        self,
        username: str,
        full_name: str,
        role: Role | str,
        password: str,
        by: Who,
        workstation: str,
        *,
        employee_number: str,
        one_time: bool = False,
        approval: Approval | None = None,
    ) -> User:
        """Add an account. ``one_time``: the password is a one-time password the person replaces at the first
        sign-in (an account made by an administrator)."""
        name, printed, chosen = check_username(username), check_full_name(full_name), _role(role)
        number = check_employee_number(employee_number)
        if not one_time:
            self.policy.check(password, name)
        return self._store.users.add(
            name,
            printed,
            chosen,
            self._passwords.hash(password),
            by,
            workstation,
            employee_number=number,
            must_change_password=one_time,
            approval=approval,
        )

    def add_first_pharmacist(
        self,
        username: str,
        full_name: str,
        password: str,
        workstation: str,
        *,
        employee_number: str,
        os_account: str = "",
    ) -> User:
        """The very first account, created at the first start; refused once any account exists. ``os_account``: on
        the command line, the operating-system account that ran it, named beside the person in the audit trail."""
        from hemgenix_desktop.storage import Actor

        name, printed = check_username(username), check_full_name(full_name)
        number = check_employee_number(employee_number)
        self.policy.check(password, name)
        return self._store.users.add(
            name,
            printed,
            Role.PHARMACIST,
            self._passwords.hash(password),
            Actor(name, f"{printed} (command line, operating-system account {os_account})" if os_account else printed),
            workstation,
            only_if_first=True,
            employee_number=number,
        )

    def list(self) -> list[User]:
        return self._store.users.list()

    def get(self, username: str) -> User:
        name = normalise_username(username)
        user = self._store.users.get(name)
        if user is None:
            raise UserNotFound(f"There is no user “{username.strip()}”. Check the username with “users list”.")
        return user

    def disable(self, username: str, by: Who, workstation: str) -> User:
        """A disabled user can neither sign in nor sign; their past records stay theirs."""
        return self._store.users.set_active(self.get(username).username, False, by, workstation)

    def enable(self, username: str, by: Who, workstation: str, *, approval: Approval | None = None) -> User:
        return self._store.users.set_active(self.get(username).username, True, by, workstation, approval=approval)

    def set_role(
        self, username: str, role: Role | str, by: Who, workstation: str, *, approval: Approval | None = None
    ) -> User:
        return self._store.users.set_role(self.get(username).username, _role(role), by, workstation, approval=approval)

    def set_employee_number(
        self, username: str, number: str, by: Who, workstation: str, *, approval: Approval | None = None
    ) -> User:
        checked = check_employee_number(number)
        return self._store.users.set_employee_number(
            self.get(username).username, checked, by, workstation, approval=approval
        )

    def reset_password(
        self, username: str, by: Who, workstation: str, *, approval: Approval | None = None, keep: int = 5
    ) -> tuple[User, str]:
        """Give the account a new one-time password (it also lifts a lockout): returned once, to be handed to the
        person, who must choose their own at the next sign-in."""
        user = self.get(username)
        one_time = one_time_password()
        updated = self._store.users.set_password_hash(
            user.username, self._passwords.hash(one_time), by, workstation, one_time=True, keep=keep, approval=approval
        )
        return updated, one_time


def one_time_password() -> str:
    """A one-time password: 4 groups of 4 characters from an alphabet without look-alikes (about 80 bits)."""
    import secrets  # here, not at start-up: it loads OpenSSL's hashes (about 3 ms) before the first screen

    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def _role(role: Role | str) -> Role:
    return role if isinstance(role, Role) else parse_role(role)
