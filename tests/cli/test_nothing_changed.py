"""A change that changes nothing says so (exit 0) and writes no event: ``users enable`` on an enabled account said
"Enabled the account…", ``users set-role`` to the role held and ``set-employee-number`` to the same number said
"is now …" (no event either way), and ``users disable`` twice wrote a second ``user_disabled`` event, active false
to false (found by a command-line test). The rule is the service's (``Administration``), so the window says the same."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store

PASSWORD = "correct horse battery"
QUINN = "a phrase all her own"
SIGNED = ("--username", "amy", "--password-stdin")
APPROVED = (*SIGNED, "--approver", "quinn", "--approver-password-stdin")
BOTH = f"{PASSWORD}\n{QUINN}\n"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    first = ("users", "add", "amy", "--full-name", "Amy Pond", "--role", "pharmacist", "--employee-number", "E-AMY")
    assert run(*first, "--password-stdin", stdin=f"{PASSWORD}\n")[0] == 0
    for name, full, role in (("bob", "Bob Baker", "technician"), ("quinn", "Quinn Pharm", "pharmacist")):
        args = ("users", "add", name, "--full-name", full, "--role", role, "--employee-number", f"E-{name}")
        code, out, err = run(*args, *SIGNED, stdin=f"{PASSWORD}\n")
        assert code == 0, err
        if name == "quinn":
            one_time = out.split("One-time password for quinn: ")[1].split()[0]
            assert run("users", "change-password", "quinn", "--password-stdin", stdin=f"{one_time}\n{QUINN}\n")[0] == 0
    return run


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
    words: tuple[str, ...], stdin: str, sentence: str, run: Run, db_url: str
) -> None:
    before = _events(db_url)
    assert run("users", *words, stdin=stdin) == (0, f"{sentence}\n", "")
    with Store.open(db_url) as store:
        assert {e.action for e in store.audit_trail()[before:]} == {"sign_in"}  # the sign-ins, no change


def test_disabling_twice_writes_one_event(run: Run, db_url: str) -> None:
    assert run("users", "disable", "bob", *SIGNED, stdin=PASSWORD)[0] == 0
    before = _events(db_url)
    assert run("users", "disable", "bob", *SIGNED, stdin=PASSWORD) == (
        0,
        "The account Bob Baker (bob) is already disabled; nothing was changed.\n",
        "",
    )
    with Store.open(db_url) as store:
        assert "user_disabled" not in [e.action for e in store.audit_trail()[before:]]
