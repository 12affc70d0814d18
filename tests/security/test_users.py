from __future__ import annotations

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.passwords import WeakPassword
from hemgenix_desktop.security.users import UserAdmin, check_username, parse_role
from hemgenix_desktop.storage import Store, UserAlreadyExists, UserNotFound
from hemgenix_desktop.storage.state_check import password_fingerprint
from tests.helpers.store import OPERATOR, WORKSTATION, cheap_passwords

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(store: Store) -> UserAdmin:
    return UserAdmin(store, passwords=cheap_passwords())


def test_add_and_list(admin: UserAdmin, store: Store) -> None:
    assert admin.needs_first_user()
    user = admin.add(
        "  JSmith ", "  Jane   Smith ", "Technician", PASSWORD, OPERATOR, WORKSTATION, employee_number="E-JSMITH"
    )
    assert (user.username, user.full_name, user.role, user.active) == ("jsmith", "Jane Smith", Role.TECHNICIAN, True)
    admin.add("apond", "Amy Pond", Role.PHARMACIST, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-APOND")
    assert [(u.username, u.role.value) for u in admin.list()] == [("apond", "pharmacist"), ("jsmith", "technician")]
    assert not admin.needs_first_user()
    event = store.audit_trail()[0]
    assert (event.action, event.username, event.summary) == (
        "user_added",
        "cli:tester",
        "Added the technician account Jane Smith (jsmith).",
    )
    fingerprint = event.after.pop("password_sha256")  # the hash's SHA-256, for audit verify (issue 15)
    assert len(event.after.pop("database_id")) == 32  # the first event names the database's random ID
    assert fingerprint == password_fingerprint(store.users.password_hash("jsmith") or "")
    assert event.after == {
        "username": "jsmith",
        "full_name": "Jane Smith",
        "role": "technician",
        "active": True,
        "employee_number": "E-JSMITH",
        "must_change_password": False,  # the password and lockout state, for audit verify
        "password_history_sha256": password_fingerprint("[]"),
        "failed_attempts": 0,
        "locked_until": None,
    }


def test_a_username_is_taken_once(admin: UserAdmin) -> None:
    admin.add("jsmith", "Jane Smith", Role.TECHNICIAN, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-JSMITH")
    with pytest.raises(UserAlreadyExists) as info:
        admin.add("JSMITH", "John Smith", Role.TECHNICIAN, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-JOHN")
    assert info.value.message == "The username “jsmith” is already taken. Choose another username."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a username."),
        (
            "j smith",
            "“j smith” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, starting "
            "with a letter, for example jsmith.",
        ),
        (
            "1abc",
            "“1abc” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, starting "
            "with a letter, for example jsmith.",
        ),
    ],
)
def test_username_rules(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_username(text)
    assert info.value.message == message


def test_roles() -> None:
    assert parse_role(" Pharmacist ") is Role.PHARMACIST
    with pytest.raises(InvalidInput) as info:
        parse_role("nurse")
    assert info.value.message == "“nurse” is not a role. Choose technician or pharmacist."


def test_the_password_policy_applies_when_adding(admin: UserAdmin) -> None:
    with pytest.raises(WeakPassword, match="must not contain the username"):
        admin.add(
            "jsmith",
            "Jane Smith",
            Role.TECHNICIAN,
            "i am jsmith, ok",
            OPERATOR,
            WORKSTATION,
            employee_number="E-JSMITH",
        )
    assert admin.list() == []


def test_the_first_pharmacist_only_once(admin: UserAdmin) -> None:
    first = admin.add_first_pharmacist("apond", "Amy Pond", PASSWORD, WORKSTATION, employee_number="E-APOND")
    assert (first.role, first.created_by) == (Role.PHARMACIST, "apond")
    with pytest.raises(UserAlreadyExists) as info:
        admin.add_first_pharmacist("intruder", "In Truder", PASSWORD, WORKSTATION, employee_number="E-INTRUDER")
    assert info.value.message == (
        "Hemgenix Prep already has users, so the first account cannot be created again. Sign in, or ask a "
        "pharmacist to add your account."
    )


def test_disable_enable_and_reset(admin: UserAdmin, store: Store) -> None:
    admin.add("jsmith", "Jane Smith", Role.TECHNICIAN, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-JSMITH")
    assert not admin.disable("JSmith", OPERATOR, WORKSTATION).active
    assert admin.enable("jsmith", OPERATOR, WORKSTATION).active
    before = store.users.password_hash("jsmith")
    reset, one_time = admin.reset_password("jsmith", OPERATOR, WORKSTATION)
    after = store.users.password_hash("jsmith")
    assert before != after
    assert after is not None
    assert cheap_passwords().verify(after, one_time)
    assert reset.must_change_password
    assert len(one_time) == 19  # four groups of four, from an alphabet without look-alikes
    assert [e.action for e in store.audit_trail()] == ["user_added", "user_disabled", "user_enabled", "password_reset"]
    with pytest.raises(UserNotFound) as info:
        admin.disable("nobody", OPERATOR, WORKSTATION)
    assert info.value.message == "There is no user “nobody”. Check the username with “users list”."
    assert admin.reset_password("jsmith", OPERATOR, WORKSTATION)[1] != one_time
