"""The people of the tests, defined once: usernames, full names, roles, passwords, and their signers.

Two technicians and two pharmacists. The main-window tests use the first technician and the first pharmacist;
the signing tests all four (a second technician is refused as verifier, a second pharmacist verifies a
correction). Passwords are hashed with the cheapest argon2id (tests.helpers.store.cheap_passwords).
"""

from __future__ import annotations

from collections.abc import Iterable

from hemgenix_desktop.domain.signing import Signer
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.storage import Actor, Store, User
from tests.helpers.store import OPERATOR, cheap_passwords

PASSWORDS = {
    "ttech": "tara prepares doses",
    "terry": "counts the vials twice",
    "ppharm": "pat checks everything",
    "qpharm": "quinn verifies too",
}
PEOPLE = {
    "ttech": ("Tara Technician", Role.TECHNICIAN),
    "terry": ("Terry Technician", Role.TECHNICIAN),
    "ppharm": ("Pat Pharmacist", Role.PHARMACIST),
    "qpharm": ("Quinn Pharmacist", Role.PHARMACIST),
}


def employee_number(username: str) -> str:
    """The person's employee number (one person, one account)."""
    return f"E-{username.upper()}"


def signer(username: str) -> Signer:
    """The person as the domain's signatures name them."""
    full_name, role = PEOPLE[username]
    return Signer(username, full_name, role.value, employee_number(username))


TECHNICIAN = signer("ttech")
PHARMACIST = signer("ppharm")
SECOND_PHARMACIST = signer("qpharm")


def add_people(
    store: Store, names: Iterable[str] = PEOPLE, *, workstation: str, operator: Actor = OPERATOR
) -> dict[str, User]:
    """Each named person added through the user administration, with their password."""
    admin = UserAdmin(store, passwords=cheap_passwords())
    return {
        name: admin.add(
            name,
            PEOPLE[name][0],
            PEOPLE[name][1],
            PASSWORDS[name],
            operator,
            workstation,
            employee_number=employee_number(name),
        )
        for name in names
    }
