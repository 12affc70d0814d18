"""``users add`` on a database with no account yet adds the first pharmacist without a sign-in. A sign-in or approver
option there (``--username carol``) shows that an existing database was meant (a mistyped ``--db``): it was ignored
and the account added all the same (exit 0). And a refused first ``users add`` left a new, empty database file (and
its folders) behind (found by a command-line test with bad input)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store

ADD = ["users", "add", "dave", "--full-name", "Dave Pharm", "--employee-number", "E5", "--password-stdin"]
NO_ACCOUNT = (
    "This database has no account yet, so there is nobody to sign in as{who} ({option} was given): the first "
    "pharmacist's account is added without --username, --approver or --reason. Check --db (or HEMGENIX_DB_URL) if "
    "you meant an existing database; nothing was created.\n"
)


@pytest.mark.parametrize(
    ("options", "who", "option"),
    [
        (["--username", "carol"], " carol", "--username"),
        (["--approver", "quin"], " quin", "--approver"),
        (["--approver-password-stdin"], "", "--approver-password-stdin"),
        (["--reason", "typo"], "", "--reason"),
    ],
)
def test_a_signer_named_for_a_database_without_accounts_is_refused(
    options: list[str],
    who: str,
    option: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new = tmp_path / "mistyped" / "hemgenix.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO("carol secret 1234\n"))
    assert main(["--db", f"sqlite:///{new}", *ADD, "--role", "pharmacist", *options]) == 2
    assert capsys.readouterr() == ("", NO_ACCOUNT.format(who=who, option=option))
    assert list(tmp_path.iterdir()) == []


def test_a_signer_named_for_an_empty_database_adds_nobody(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}"
    Store.open(url).close()
    monkeypatch.setattr("sys.stdin", io.StringIO("carol secret 1234\n"))
    assert main(["--db", url, *ADD, "--role", "pharmacist", "--username", "carol"]) == 2
    assert capsys.readouterr().err == NO_ACCOUNT.format(who=" carol", option="--username")
    with Store.open(url) as store:
        assert store.users.count() == 0


@pytest.mark.parametrize(
    ("role", "password", "sentence"),
    [
        ("technician", "a password long enough", "The first account must be a pharmacist's"),
        ("pharmacist", "short", "The password is too short"),
        ("pharmacist", None, "Nothing came on standard input"),
    ],
)
def test_a_refused_first_account_leaves_no_file(
    role: str,
    password: str | None,
    sentence: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new = tmp_path / "new" / "folders" / "hemgenix.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO("" if password is None else f"{password}\n"))
    assert main(["--db", f"sqlite:///{new}", *ADD, "--role", role]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(sentence)
    assert list(tmp_path.iterdir()) == []


def test_a_refused_first_account_keeps_the_folder_that_was_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "hemgenix.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO("a password long enough\n"))
    assert main(["--db", f"sqlite:///{new}", *ADD, "--role", "technician"]) == 2
    assert tmp_path.is_dir()
    assert list(tmp_path.iterdir()) == []
