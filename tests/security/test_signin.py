from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.signin import (
    AccountDisabled,
    AccountLocked,
    AccountWithoutPerson,
    IdleLockPolicy,
    LockoutPolicy,
    PasswordAgeing,
    PasswordChangeRequired,
    PasswordReused,
    Purpose,
    SignInService,
    WrongCredentials,
)
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.storage import Store, UserNotActive
from hemgenix_desktop.storage.state_check import password_fingerprint
from tests.helpers.preparations import new_prep
from tests.helpers.store import OPERATOR, START, WORKSTATION, FakeClock, cheap_passwords

PASSWORD = "correct horse battery"
WRONG = (
    "The username or the password is wrong. Check both and try again; after 5 failed attempts in a row the "
    "account is locked for 15 minutes."
)


@pytest.fixture
def admin(store: Store) -> UserAdmin:
    admin = UserAdmin(store, passwords=cheap_passwords())
    admin.add("jsmith", "Jane Smith", Role.TECHNICIAN, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-JSMITH")
    return admin


@pytest.fixture
def signin(store: Store, admin: UserAdmin) -> SignInService:
    return SignInService(store, passwords=cheap_passwords(), local_zone=UTC)


def _actions(store: Store) -> list[str]:
    return [e.action for e in store.audit_trail()][1:]  # after "user_added"


def test_the_right_password_signs_in(signin: SignInService, store: Store) -> None:
    user = signin.sign_in(" JSmith ", PASSWORD, WORKSTATION)
    assert (user.username, user.full_name) == ("jsmith", "Jane Smith")
    event = store.audit_trail()[-1]
    assert (event.action, event.username, event.workstation) == ("sign_in", "jsmith", WORKSTATION)
    assert event.summary == "Jane Smith (jsmith) entered the right password (signing in)."


def test_a_wrong_password_is_refused(signin: SignInService, store: Store) -> None:
    with pytest.raises(WrongCredentials) as info:
        signin.sign_in("jsmith", "correct horse batterY", WORKSTATION)
    assert info.value.message == WRONG
    event = store.audit_trail()[-1]
    assert (event.action, event.username) == ("sign_in_failed", "jsmith")
    assert event.summary == "Wrong password for Jane Smith (jsmith) (signing in), failed attempt 1."


def test_an_unknown_user_gets_the_same_sentence(signin: SignInService, store: Store) -> None:
    with pytest.raises(WrongCredentials) as info:
        signin.sign_in("nobody", PASSWORD, WORKSTATION)
    assert info.value.message == WRONG
    assert store.audit_trail()[-1].summary == (
        "Someone tried to sign in as “nobody”, which is not a user (signing in)."
    )


def test_a_password_typed_as_the_username_is_not_kept(signin: SignInService, store: Store) -> None:
    with pytest.raises(WrongCredentials):
        signin.sign_in("Tr0ub4dor&3 horse", "whatever", WORKSTATION)
    assert "Tr0ub4dor" not in str(store.audit_trail()[-1])
    assert store.audit_trail()[-1].username == "(not a possible username)"


def test_empty_fields_ask_for_both(signin: SignInService) -> None:
    with pytest.raises(InvalidInput) as info:
        signin.sign_in("  ", "", WORKSTATION)
    assert info.value.message == "Enter your username and your password."


def test_five_failures_lock_the_account_for_fifteen_minutes(
    signin: SignInService, store: Store, clock: FakeClock
) -> None:
    for _ in range(4):
        with pytest.raises(WrongCredentials):
            signin.sign_in("jsmith", "wrong password", WORKSTATION)
        clock.advance(seconds=10)
    with pytest.raises(AccountLocked) as fifth:
        signin.sign_in("jsmith", "wrong password", WORKSTATION)
    until = START + timedelta(seconds=40, minutes=15)
    assert fifth.value.locked_until == until
    assert fifth.value.message == (
        "The password is wrong. The account “jsmith” is locked until 08:45 (UTC) after 5 failed sign-in attempts. "
        "Try again then, or ask a pharmacist to reset the password."
    )

    clock.advance(minutes=14, seconds=59)  # one second before the lock ends: even the right password is refused
    with pytest.raises(AccountLocked) as still:
        signin.sign_in("jsmith", PASSWORD, WORKSTATION)
    assert still.value.message == (
        "The account “jsmith” is locked until 08:45 (UTC) after 5 failed sign-in attempts. Try again then, or ask "
        "a pharmacist to reset the password."
    )

    clock.advance(seconds=1)  # the lock has ended
    assert signin.sign_in("jsmith", PASSWORD, WORKSTATION).failed_attempts == 0
    assert _actions(store) == ["sign_in_failed"] * 5 + ["sign_in_refused", "sign_in"]
    assert store.audit_trail()[5].summary == (
        "Wrong password for Jane Smith (jsmith) (signing in), failed attempt 5. The account is locked until "
        "2026-05-04 08:45 UTC."
    )


def test_after_the_lock_the_count_starts_again(signin: SignInService, clock: FakeClock) -> None:
    for _ in range(5):
        with pytest.raises((WrongCredentials, AccountLocked)):
            signin.sign_in("jsmith", "wrong password", WORKSTATION)
    clock.advance(minutes=16)
    with pytest.raises(WrongCredentials):  # attempt 1 of a new series, not a new lock
        signin.sign_in("jsmith", "wrong password", WORKSTATION)


def test_a_right_password_resets_the_count(signin: SignInService) -> None:
    for _ in range(4):
        with pytest.raises(WrongCredentials):
            signin.sign_in("jsmith", "wrong password", WORKSTATION)
    signin.sign_in("jsmith", PASSWORD, WORKSTATION)
    for _ in range(4):
        with pytest.raises(WrongCredentials):
            signin.sign_in("jsmith", "wrong password", WORKSTATION)


def test_a_password_reset_lifts_the_lock(signin: SignInService, admin: UserAdmin) -> None:
    for _ in range(5):
        with pytest.raises((WrongCredentials, AccountLocked)):
            signin.sign_in("jsmith", "wrong password", WORKSTATION)
    _user, one_time = admin.reset_password("jsmith", OPERATOR, WORKSTATION)
    with pytest.raises(PasswordChangeRequired):  # the lock is lifted, but the one-time password opens nothing
        signin.sign_in("jsmith", one_time, WORKSTATION)
    signin.change_password("jsmith", one_time, "a brand new password", WORKSTATION)
    assert signin.sign_in("jsmith", "a brand new password", WORKSTATION).username == "jsmith"


def test_the_lockout_numbers_are_configurable(store: Store, admin: UserAdmin, clock: FakeClock) -> None:
    policy = LockoutPolicy.from_settings(Settings(lockout_attempts=2, lockout_minutes=1))
    signin = SignInService(store, lockout=policy, passwords=cheap_passwords(), local_zone=UTC)
    with pytest.raises(WrongCredentials) as first:
        signin.sign_in("jsmith", "wrong password", WORKSTATION)
    assert "after 2 failed attempts in a row the account is locked for 1 minutes" in first.value.message
    with pytest.raises(AccountLocked):
        signin.sign_in("jsmith", "wrong password", WORKSTATION)
    clock.advance(minutes=1)
    signin.sign_in("jsmith", PASSWORD, WORKSTATION)


def test_a_disabled_user_cannot_sign_in_unlock_or_sign(signin: SignInService, admin: UserAdmin, store: Store) -> None:
    user = signin.sign_in("jsmith", PASSWORD, WORKSTATION)
    prep = new_prep()
    store.start_preparation(prep, user, WORKSTATION)
    admin.disable("jsmith", OPERATOR, WORKSTATION)
    for purpose in Purpose:
        with pytest.raises(AccountDisabled) as info:
            signin.authenticate("jsmith", PASSWORD, WORKSTATION, purpose)
        assert info.value.message == (
            "The account “jsmith” is disabled, so it cannot sign in or sign. Ask a pharmacist to enable it."
        )
    with pytest.raises(UserNotActive):  # nor save with a session opened before it was disabled
        store.save_draft(prep, "weight", user, WORKSTATION)
    assert [e.summary for e in store.audit_trail()[-6:]] == [
        "Sign-in refused for “jsmith” (signing in): the account is disabled.",
        "Sign-in refused for “jsmith” (unlocking the screen): the account is disabled.",
        "Sign-in refused for “jsmith” (confirming a signature): the account is disabled.",
        "Sign-in refused for “jsmith” (administering): the account is disabled.",
        "Sign-in refused for “jsmith” (approving as the second pharmacist): the account is disabled.",
        "Sign-in refused for “jsmith” (choosing a new password): the account is disabled.",
    ]


def test_unlock_and_signature_confirmation_are_audited_as_such(
    signin: SignInService, admin: UserAdmin, store: Store
) -> None:
    admin.add("apond", "Amy Pond", Role.PHARMACIST, PASSWORD, OPERATOR, WORKSTATION, employee_number="E-APOND")
    assert signin.unlock("apond", PASSWORD, WORKSTATION).username == "apond"  # another user takes over
    assert signin.confirm_for_signature("apond", PASSWORD, WORKSTATION).role is Role.PHARMACIST
    checked = password_fingerprint(store.users.password_hash("apond") or "")  # the hash checked, for audit verify
    state = {"password_checked_sha256": checked, "failed_attempts": 0, "locked_until": None}
    assert [e.after for e in store.audit_trail()[-2:]] == [
        {"purpose": "unlock"} | state,
        {"purpose": "signature"} | state,
    ]


def test_a_weak_old_hash_is_strengthened_at_sign_in(store: Store, admin: UserAdmin) -> None:
    from argon2 import PasswordHasher, Type

    from hemgenix_desktop.security.passwords import Passwords

    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, type=Type.ID))
    old = store.users.password_hash("jsmith")
    SignInService(store, passwords=stronger).sign_in("jsmith", PASSWORD, WORKSTATION)
    new = store.users.password_hash("jsmith")
    assert new != old
    assert new is not None
    assert "t=2" in new
    assert stronger.verify(new, PASSWORD)


def test_idle_lock_policy() -> None:
    assert IdleLockPolicy().timeout == timedelta(minutes=5)
    assert IdleLockPolicy().timeout_ms == 300_000
    assert IdleLockPolicy.from_settings(Settings(idle_lock_minutes=2)).timeout_ms == 120_000
    assert LockoutPolicy() == LockoutPolicy(max_failures=5, lock_minutes=15)


def test_an_account_without_an_employee_number_signs_in_but_cannot_sign(store: Store) -> None:
    """Accounts made before revision 0005 (no person behind them yet) may sign in, so that a pharmacist can set the
    numbers, but cannot sign a record until theirs is set."""
    store.users.add("legacy", "Lee Gacy", Role.PHARMACIST, cheap_passwords().hash(PASSWORD), OPERATOR, WORKSTATION)
    signin = SignInService(store, passwords=cheap_passwords(), local_zone=UTC)
    assert signin.sign_in("legacy", PASSWORD, WORKSTATION).employee_number is None
    with pytest.raises(AccountWithoutPerson) as info:
        signin.confirm_for_signature("legacy", PASSWORD, WORKSTATION)
    assert info.value.message == (
        "The account “legacy” has no employee number yet, so it cannot sign or approve. Ask a pharmacist to set it "
        "(hemgenix-prep users set-employee-number, with a second pharmacist's approval)."
    )
    assert store.audit_trail()[-1].action == "sign_in_refused"


def test_an_aged_password_must_be_replaced(store: Store, admin: UserAdmin, clock: FakeClock) -> None:
    signin = SignInService(
        store, passwords=cheap_passwords(), local_zone=UTC, ageing=PasswordAgeing(max_age_days=90, history=2)
    )
    signin.sign_in("jsmith", PASSWORD, WORKSTATION)
    clock.advance(days=90)
    with pytest.raises(PasswordChangeRequired, match="the password is older than 90 days"):
        signin.sign_in("jsmith", PASSWORD, WORKSTATION)
    signin.change_password("jsmith", PASSWORD, "a second good phrase", WORKSTATION)
    signin.change_password("jsmith", "a second good phrase", "a third good phrase", WORKSTATION)
    with pytest.raises(PasswordReused):  # one of the last two
        signin.change_password("jsmith", "a third good phrase", PASSWORD, WORKSTATION)
    assert signin.sign_in("jsmith", "a third good phrase", WORKSTATION).username == "jsmith"
