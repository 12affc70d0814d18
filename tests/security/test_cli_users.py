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
    Store.open(db_url).close()  # the site's database, made by the program's first start: no account yet

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _add(
    run: Callable[..., tuple[int, str, str]], username: str = "amy", role: str = "pharmacist", name: str = "Amy Pond"
) -> str:
    """The first pharmacist (amy, her own password), or an account amy adds: its one-time password."""
    args = ("users", "add", username, "--full-name", name, "--role", role, "--employee-number", f"E-{username}")
    signed = () if username == "amy" else ("--username", "amy")
    code, out, err = run(*args, *signed, "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    return out.split(f"One-time password for {username}: ")[1].split()[0] if username != "amy" else ""


@pytest.mark.slow
def test_add_with_the_password_on_stdin(run: Callable[..., tuple[int, str, str]], db_url: str) -> None:
    code, out, err = run(
        "users",
        "add",
        "Amy",
        "--full-name",
        "Amy Pond",
        "--role",
        "pharmacist",
        "--employee-number",
        " e100 ",
        "--password-stdin",
        stdin=PASSWORD + "\r\nignored second line\n",
    )
    assert (code, out, err) == (0, "Added the first pharmacist account Amy Pond (amy).\n", "")
    with Store.open(db_url) as store:
        stored = store.users.password_hash("amy")
        event = store.audit_trail()[-1]
        assert store.users.get("amy").employee_number == "E100"  # type: ignore[union-attr]
    assert (event.username, event.full_name.split(" (")[0]) == ("amy", "Amy Pond")
    assert "(command line, operating-system account " in event.full_name  # the OS account beside the person
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
    first = ["users", "add", "pat", "--full-name", "Pat Pharm", "--role", "pharmacist", "--employee-number", "E1"]
    assert main(["--db", db_url, *first]) == 0
    assert prompts == ["New password for pat: ", "Type the same password again: "]


def test_two_different_passwords_change_nothing(
    monkeypatch: pytest.MonkeyPatch, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", _Terminal())
    first = ["users", "add", "pat", "--full-name", "Pat Pharm", "--role", "pharmacist", "--employee-number", "E1"]
    assert main(["--db", db_url, *first]) == 2
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
    first = ["users", "add", "pat", "--full-name", "Pat Pharm", "--role", "pharmacist", "--employee-number", "E1"]
    assert main(["--db", db_url, *first]) == 2
    assert capsys.readouterr().err == "No password was given, so nothing was changed.\n"


FIRST = ["users", "add", "pat", "--full-name", "Pat Pharm", "--role", "pharmacist", "--employee-number", "E1"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            FIRST,
            "",
            "There is no terminal to ask for password on. Give it as a line of standard input (see --help).",
        ),
        (
            [*FIRST, "--password-stdin"],
            "",
            "Nothing came on standard input for the new password. Give it as a line of standard input.",
        ),
        (
            [*FIRST, "--password-stdin"],
            "short\n",
            "The password is too short: use at least 10 characters. A few words in a row make a good password.",
        ),
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "nurse", "--password-stdin"],
            PASSWORD,
            "“nurse” is not a role. Choose technician or pharmacist.",
        ),
        (
            ["users", "add", "tina", "--full-name", "Tina Tech", "--role", "technician", "--employee-number", "E1"],
            PASSWORD,
            "The first account must be a pharmacist's: add it with --role pharmacist.",
        ),
        (
            ["users", "add", "pat", "--full-name", "Pat Pharm", "--role", "pharmacist", "--password-stdin"],
            PASSWORD,
            "Enter the person's employee (or licence) number: it tells one person from another, whatever their "
            "usernames.",
        ),
        (
            ["users", "add", "t", *FIRST[3:], "--password-stdin"],
            PASSWORD,
            "“t” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, starting with a "
            "letter, for example jsmith.",
        ),
        (
            ["users", "add", "pat", "--full-name", "  ", *FIRST[5:], "--password-stdin"],
            PASSWORD,
            "Enter the person's full name, as it should be printed beside their signature.",
        ),
        (
            ["users", "disable", "nobody"],
            "",
            "Sign in first: disabling an account needs a pharmacist's username and password (--username, and the "
            "password typed or given with --password-stdin). Nothing was changed.",
        ),
    ],
)
def test_invalid_input_is_a_sentence_and_exit_2(
    run: Callable[..., tuple[int, str, str]], args: list[str], stdin: str, message: str
) -> None:
    assert run(*args, stdin=stdin) == (2, "", message + "\n")


@pytest.mark.slow
def test_a_taken_username(run: Callable[..., tuple[int, str, str]]) -> None:
    _add(run)
    code, _, err = run(
        "users",
        "add",
        "AMY",
        "--full-name",
        "Another Amy",
        "--role",
        "technician",
        "--employee-number",
        "E77",
        "--username",
        "amy",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert (code, err) == (2, "The username “amy” is already taken. Choose another username.\n")


@pytest.mark.slow
def test_list_disable_enable_reset(run: Callable[..., tuple[int, str, str]]) -> None:
    assert run("users", "list") == (
        0,
        "There are no users yet. Add the first pharmacist with: hemgenix-prep users add USERNAME --full-name NAME "
        "--role pharmacist --employee-number NUMBER\n",
        "",
    )
    _add(run)
    _add(run, "bob", "technician", "Bob Baker")
    one_time = _add(run, "quinn", "pharmacist", "Quinn Pharm")  # the site's second pharmacist: amy alone adds her
    changed = run("users", "change-password", "quinn", "--password-stdin", stdin=f"{one_time}\na phrase all her own\n")
    assert changed == (0, "Quinn Pharm (quinn), your new password is set.\n", "")
    signed = ("--username", "amy", "--password-stdin")
    assert run("users", "disable", "bob", *signed, stdin=PASSWORD) == (
        0,
        "Disabled the account Bob Baker (bob): it can no longer sign in or sign.\n",
        "",
    )
    code, out, _ = run("users", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Username", "Full", "name", "Role", "Employee", "no.", "Status", "Added", "(UTC)"]
    assert lines[1].split()[:6] == ["amy", "Amy", "Pond", "pharmacist", "E-AMY", "active"]
    assert lines[2].split()[:6] == ["bob", "Bob", "Baker", "technician", "E-BOB", "disabled"]
    code, out, _ = run("users", "list", "--json")
    assert [(u["username"], u["active"], u["created_by"], u["employee_number"]) for u in json.loads(out)] == [
        ("amy", True, "amy", "E-AMY"),
        ("bob", False, "amy", "E-BOB"),
        ("quinn", True, "amy", "E-QUINN"),
    ]
    approved = (*signed, "--approver", "quinn", "--approver-password-stdin")
    both = f"{PASSWORD}\na phrase all her own\n"
    assert run("users", "enable", "BOB", *approved, stdin=both) == (
        0,
        "Enabled the account Bob Baker (bob).\n",
        "",
    )
    code, out, err = run("users", "reset-password", "bob", *approved, stdin=both)
    assert (code, err) == (0, "")
    assert out.startswith(
        "Gave Bob Baker (bob) a one-time password; any lockout is lifted.\nOne-time password for bob: "
    )
    assert (
        run("users", "set-role", "bob", "pharmacist", *approved, stdin=both)[1]
        == "Bob Baker (bob) is now a pharmacist.\n"
    )
    assert run("users", "set-employee-number", "bob", "e-bob2", *approved, stdin=both)[1] == (
        "The employee number of Bob Baker (bob) is now E-BOB2.\n"
    )


@pytest.mark.slow
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
                "--employee-number",
                "E1",
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
    first = ["users", "add", "amy", "--full-name", "Amy Pond", "--role", "pharmacist", "--employee-number", "E1"]
    assert main([*first, "--password-stdin"]) == 0
    with Store.open(db_url) as store:
        assert [u.username for u in store.users.list()] == ["amy"]


def test_a_database_that_cannot_be_opened_is_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    first = ["users", "add", "amy", "--full-name", "Amy Pond", "--role", "pharmacist", "--employee-number", "E1"]
    assert main(["--db", f"sqlite:///{blocker / 'db.sqlite3'}", *first, "--password-stdin"]) == 1
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
