"""``hemgenix-prep users …``: exit 0 done, 2 invalid input (a sentence on stderr), 1 failure."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store

PASSWORD = "correct horse battery"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _add(
    run: Callable[..., tuple[int, str, str]], username: str = "amy", role: str = "pharmacist", name: str = "Amy Pond"
) -> None:
    args = ("users", "add", username, "--full-name", name, "--role", role, "--password-stdin")
    assert run(*args, stdin=PASSWORD + "\n")[0] == 0


def test_add_with_the_password_on_stdin(run: Callable[..., tuple[int, str, str]], db_url: str) -> None:
    code, out, err = run(
        "users",
        "add",
        "Amy",
        "--full-name",
        "Amy Pond",
        "--role",
        "pharmacist",
        "--password-stdin",
        stdin=PASSWORD + "\r\nignored second line\n",
    )
    assert (code, out, err) == (0, "Added the pharmacist account Amy Pond (amy).\n", "")
    with Store.open(db_url) as store:
        stored = store.users.password_hash("amy")
    assert stored is not None
    from hemgenix_desktop.security.passwords import Passwords

    assert Passwords().verify(stored, PASSWORD)  # the first line, without its line ending


def test_add_asks_twice_without_echo(
    run: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    answers = iter([PASSWORD, PASSWORD])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["--db", db_url, "users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician"]) == 0
    assert prompts == ["New password for tina: ", "Type the same password again: "]


def test_two_different_passwords_change_nothing(
    monkeypatch: pytest.MonkeyPatch, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["--db", db_url, "users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician"]) == 2
    assert capsys.readouterr().err == "The two passwords differ. Type the same password twice.\n"
    with Store.open(db_url) as store:
        assert store.users.list() == []


def test_a_cancelled_prompt_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def cancel(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", cancel)
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["--db", db_url, "users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician"]) == 2
    assert capsys.readouterr().err == "No password was given, so nothing was changed.\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician"],
            "",
            "There is no terminal to ask for the password on. Give it as the first line of standard input with "
            "--password-stdin.",
        ),
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician", "--password-stdin"],
            "",
            "Nothing came on standard input. Give the password as its first line.",
        ),
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician", "--password-stdin"],
            "short\n",
            "The password is too short: use at least 10 characters. A few words in a row make a good password.",
        ),
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "nurse", "--password-stdin"],
            PASSWORD,
            "“nurse” is not a role. Choose technician or pharmacist.",
        ),
        (
            ["users", "add", "t", "--full-name", "Tina Tech", "--role", "technician", "--password-stdin"],
            PASSWORD,
            "“t” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, starting with a "
            "letter, for example jsmith.",
        ),
        (
            ["users", "add", "tina", "--full-name", "  ", "--role", "technician", "--password-stdin"],
            PASSWORD,
            "Enter the person's full name, as it should be printed beside their signature.",
        ),
        (["users", "disable", "nobody"], "", "There is no user “nobody”. Check the username with “users list”."),
    ],
)
def test_invalid_input_is_a_sentence_and_exit_2(
    run: Callable[..., tuple[int, str, str]], args: list[str], stdin: str, message: str
) -> None:
    assert run(*args, stdin=stdin) == (2, "", message + "\n")


def test_a_taken_username(run: Callable[..., tuple[int, str, str]]) -> None:
    _add(run)
    code, _, err = run(
        "users", "add", "AMY", "--full-name", "Another Amy", "--role", "technician", "--password-stdin", stdin=PASSWORD
    )
    assert (code, err) == (2, "The username “amy” is already taken. Choose another username.\n")


def test_list_disable_enable_reset(run: Callable[..., tuple[int, str, str]]) -> None:
    assert run("users", "list") == (
        0,
        "There are no users yet. Add the first pharmacist with: hemgenix-prep users add USERNAME --full-name NAME "
        "--role pharmacist\n",
        "",
    )
    _add(run)
    _add(run, "bob", "technician", "Bob Baker")
    assert run("users", "disable", "bob") == (
        0,
        "Disabled the account Bob Baker (bob): it can no longer sign in or sign.\n",
        "",
    )
    code, out, _ = run("users", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Username", "Full", "name", "Role", "Status", "Added", "(UTC)"]
    assert lines[1].split()[:5] == ["amy", "Amy", "Pond", "pharmacist", "active"]
    assert lines[2].split()[:5] == ["bob", "Bob", "Baker", "technician", "disabled"]
    code, out, _ = run("users", "list", "--json")
    assert [(u["username"], u["active"], u["created_by"].startswith("cli:")) for u in json.loads(out)] == [
        ("amy", True, True),
        ("bob", False, True),
    ]
    assert run("users", "enable", "BOB") == (0, "Enabled the account Bob Baker (bob).\n", "")
    assert run("users", "reset-password", "bob", "--password-stdin", stdin="a brand new password\n") == (
        0,
        "Set a new password for Bob Baker (bob); any lockout is lifted.\n",
        "",
    )


def test_the_db_option_may_follow_the_command(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    assert (
        main(
            [
                "users",
                "add",
                "amy",
                "--full-name",
                "Amy Pond",
                "--role",
                "pharmacist",
                "--password-stdin",
                "--db",
                db_url,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["users", "--db", db_url, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["username"] == "amy"


def test_the_environment_names_the_database(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMGENIX_DB_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    assert main(["users", "add", "amy", "--full-name", "Amy Pond", "--role", "pharmacist", "--password-stdin"]) == 0
    with Store.open(db_url) as store:
        assert [u.username for u in store.users.list()] == ["amy"]


def test_a_database_that_cannot_be_opened_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["--db", f"sqlite:///{blocker / 'db.sqlite3'}", "users", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"The database file {blocker / 'db.sqlite3'} cannot be created or opened (")
    assert "Traceback" not in err


def test_a_missing_action_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["users"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith(
        "hemgenix-prep: The following arguments are required: ACTION. See hemgenix-prep --help.\n"
    )
