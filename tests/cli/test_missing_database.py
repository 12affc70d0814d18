"""A database path that is not there: only ``users add`` (a new site's first pharmacist) makes the database; every
other command says there is none and makes nothing. Before, ``audit verify`` on a mistyped path made an empty
database and said "The audit trail is intact: 0 events checked" (exit 0), and ``backup`` copied that empty database
and said it passed its checks: false successes an inspector could act on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store

SIGN_IN = ["--username", "amy", "--password-stdin"]
# each command, its exit code, and what it adds to the sentence (``settings set`` ends every refusal so, with 2)
COMMANDS: dict[str, tuple[list[str], int, str]] = {
    "audit verify": (["audit", "verify"], 1, ""),
    "audit show": (["audit", "show"], 1, ""),
    "backup": (["backup", "--out", "{tmp}/copy.sqlite3"], 1, ""),
    "users list": (["users", "list"], 1, ""),
    "users disable": (["users", "disable", "bob", *SIGN_IN], 1, ""),
    "records show": (["records", "show", "HGX-20261129-00000000"], 1, ""),
    "settings set": (
        ["settings", "set", "site_name", "St. Example", *SIGN_IN],
        2,
        " The settings file was not changed.",
    ),
    "site trust-retired": (["site", "trust-retired", "{tmp}/old.pem", *SIGN_IN], 1, ""),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_database_that_is_not_there_is_said_and_not_made(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "mistyped folder" / "hemgenix.sqlite3"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("a password long enough\n"))
    words, code, added = COMMANDS[command]
    assert main(["--db", f"sqlite:///{missing}", *[word.replace("{tmp}", str(tmp_path)) for word in words]]) == code
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"There is no database file {missing}. Give the pharmacy's database with --db URL (or HEMGENIX_DB_URL); "
        f"nothing was created.{added}\n",
    )
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no copy, no settings file, nothing


def test_the_first_pharmacist_makes_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "pharmacy" / "hemgenix.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO("a password long enough\n"))
    first = ["users", "add", "amy", "--full-name", "Amy Pond", "--role", "pharmacist", "--employee-number", "E1"]
    assert main(["--db", f"sqlite:///{new}", *first, "--password-stdin"]) == 0, capsys.readouterr().err
    with Store.open(f"sqlite:///{new}") as store:
        assert [u.username for u in store.users.list()] == ["amy"]
    assert main(["--db", f"sqlite:///{new}", "audit", "verify"]) == 0
    assert "The audit trail is intact: 1 event" in capsys.readouterr().out
    assert main(["--db", f"sqlite:///{new}", "backup", "--out", str(tmp_path / "copy.sqlite3")]) == 0
    assert "its audit trail verifies (1 event; the tables match the trail)" in capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_empty_file_is_not_taken_for_a_new_database(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0-byte file (a copy cut short, the wrong file) was made into a new, empty database by commands that only
    read: ``audit verify`` then said "intact: 0 events checked" and ``backup`` passed it."""
    empty = tmp_path / "hemgenix.sqlite3"
    empty.write_bytes(b"")
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("a password long enough\n"))
    words, _, added = COMMANDS[command]
    assert main(["--db", f"sqlite:///{empty}", *[word.replace("{tmp}", str(tmp_path)) for word in words]]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"The database file {empty} is empty (0 bytes): it is not a Hemgenix Prep database (a copy cut short, or the "
        "wrong file), and nothing was read or written in it. Give the pharmacy's database with --db URL (or "
        f"HEMGENIX_DB_URL), or restore it from a backup.{added}\n",
    )
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hemgenix.sqlite3"]
