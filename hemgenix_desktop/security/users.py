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
from hemgenix_desktop.security.passwords import PasswordPolicy, Passwords
from hemgenix_desktop.storage.errors import UserNotFound

if TYPE_CHECKING:  # the rules above the class need no database (the first-account screen uses them at once)
    from hemgenix_desktop.storage import Store, User
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
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("Enter the person's full name, as it should be printed beside their signature.")
    if len(name) > MAX_FULL_NAME:
        raise InvalidInput(f"The full name is too long: use at most {MAX_FULL_NAME} characters.")
    return name


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

    def add(self, username: str, full_name: str, role: Role | str, password: str, by: Who, workstation: str) -> User:
        name, printed, chosen = check_username(username), check_full_name(full_name), _role(role)
        self.policy.check(password, name)
        return self._store.users.add(name, printed, chosen, self._passwords.hash(password), by, workstation)

    def add_first_pharmacist(self, username: str, full_name: str, password: str, workstation: str) -> User:
        """The very first account, created at the first start; refused once any account exists."""
        from hemgenix_desktop.storage import Actor

        name, printed = check_username(username), check_full_name(full_name)
        self.policy.check(password, name)
        return self._store.users.add(
            name,
            printed,
            Role.PHARMACIST,
            self._passwords.hash(password),
            Actor(name, printed),
            workstation,
            only_if_first=True,
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

    def enable(self, username: str, by: Who, workstation: str) -> User:
        return self._store.users.set_active(self.get(username).username, True, by, workstation)

    def reset_password(self, username: str, new_password: str, by: Who, workstation: str) -> User:
        """Set a new password (it also lifts a lockout)."""
        user = self.get(username)
        self.policy.check(new_password, user.username)
        return self._store.users.set_password_hash(user.username, self._passwords.hash(new_password), by, workstation)


def _role(role: Role | str) -> Role:
    return role if isinstance(role, Role) else parse_role(role)
