from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from hemgenix_desktop.security.passwords import (
    PasswordPolicy,
    Passwords,
    PasswordsDiffer,
    WeakPassword,
    check_repeated,
)
from tests.helpers.store import cheap_passwords


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "The password is empty. Choose one of at least 10 characters."),
        ("          ", "The password is empty. Choose one of at least 10 characters."),
        (
            "nine char",
            "The password is too short: use at least 10 characters. A few words in a row make a good password.",
        ),
        ("x" * 257, "The password is too long: use at most 256 characters."),
        ("aaaaaaaaaaaa", "The password is one character repeated. Choose one that is harder to guess."),
        ("my name is JSmith!", "The password must not contain the username. Choose another password."),
    ],
)
def test_the_policy_says_what_is_wrong(password: str, message: str) -> None:
    with pytest.raises(WeakPassword) as info:
        PasswordPolicy().check(password, "jsmith")
    assert info.value.message == message


def test_a_good_password_passes() -> None:
    PasswordPolicy().check("ten chars!", "jsmith")
    PasswordPolicy().check("xy" * 128, "jsmith")
    PasswordPolicy(min_length=12).check("twelve chars", None)


def test_the_two_typed_passwords_must_match() -> None:
    check_repeated("same password", "same password")
    with pytest.raises(PasswordsDiffer) as info:
        check_repeated("same password", "same passwort")
    assert info.value.message == "The two passwords differ. Type the same password twice."


def test_hashes_are_argon2id_and_verify() -> None:
    passwords = cheap_passwords()
    hashed = passwords.hash("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert "correct horse battery" not in hashed
    assert passwords.verify(hashed, "correct horse battery")
    assert not passwords.verify(hashed, "correct horse batterY")
    assert not passwords.verify("not a hash", "correct horse battery")


def test_the_default_hasher_is_argon2id() -> None:
    assert Passwords().hasher.type is Type.ID


def test_only_argon2id_is_accepted() -> None:
    with pytest.raises(ValueError, match="argon2id only"):
        Passwords(PasswordHasher(type=Type.I))


def test_a_weaker_old_hash_needs_rehashing() -> None:
    old = cheap_passwords().hash("correct horse battery")
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, type=Type.ID))
    assert stronger.needs_rehash(old)
    assert not stronger.needs_rehash(stronger.hash("correct horse battery"))
