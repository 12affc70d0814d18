"""A change that changes nothing says so (exit 0) and writes no event: ``users enable`` on an enabled account said
"Enabled the account…", ``users set-role`` to the role held and ``set-employee-number`` to the same number said
"is now …" (no event either way), and ``users disable`` twice wrote a second ``user_disabled`` event, active false
to false (found by a command-line test). The rule is the service's (``Administration``), so the window says the same."""

from __future__ import annotations

import pytest

from hemgenix_desktop.storage import Store
from tests.cli.accounts import APPROVED, BOTH, PASSWORD, SIGNED, Run


def _events(db_url: str) -> int:
    with Store.open(db_url) as store:
        return len(store.audit_trail())


@pytest.mark.parametrize(
    ("words", "stdin", "sentence"),
    [
        (("enable", "bob", *APPROVED), BOTH, "The account Bob Baker (bob) is already enabled; nothing was changed."),
        (("set-role", "bob", "technician", *APPROVED), BOTH, "Bob Baker (bob) is already a technician; nothing was changed."),
        (("set-role", "quinn", "pharmacist", *SIGNED), PASSWORD, "Quinn Pharm (quinn) is already a pharmacist; nothing was changed."),
        (
            ("set-employee-number", "bob", "e-bob", *APPROVED),
            BOTH,
            "The employee number of Bob Baker (bob) is already E-BOB; nothing was changed.",
        ),
    ],
)  # fmt: skip
def test_what_is_already_so_is_said_and_not_written(
    words: tuple[str, ...], stdin: str, sentence: str, accounts: Run, db_url: str
) -> None:
    before = _events(db_url)
    assert accounts("users", *words, stdin=stdin) == (0, f"{sentence}\n", "")
    with Store.open(db_url) as store:
        assert {e.action for e in store.audit_trail()[before:]} == {"sign_in"}  # the sign-ins, no change


def test_disabling_twice_writes_one_event(accounts: Run, db_url: str) -> None:
    assert accounts("users", "disable", "bob", *SIGNED, stdin=PASSWORD)[0] == 0
    before = _events(db_url)
    assert accounts("users", "disable", "bob", *SIGNED, stdin=PASSWORD) == (
        0,
        "The account Bob Baker (bob) is already disabled; nothing was changed.\n",
        "",
    )
    with Store.open(db_url) as store:
        assert "user_disabled" not in [e.action for e in store.audit_trail()[before:]]
