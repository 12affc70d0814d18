"""Accounts for the command-line tests of ``users``: amy (the first pharmacist), bob (a technician) and quinn (the
second pharmacist, her own password set), all with employee numbers; ``accounts`` runs a command on their database."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from hemgenix_desktop.cli import main

PASSWORD = "correct horse battery"
QUINN = "a phrase all her own"
SIGNED = ("--username", "amy", "--password-stdin")
APPROVED = (*SIGNED, "--approver", "quinn", "--approver-password-stdin")
BOTH = f"{PASSWORD}\n{QUINN}\n"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def accounts(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
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
