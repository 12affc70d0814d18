"""Issue 14's attacks, run as written on the command line with nothing but the operating-system login: each is
refused with a sentence and exit code 2, nothing changes, and the refusal is in the audit trail. Then the same
actions done right (a pharmacist signed in, a second approving). On SQLite, and on PostgreSQL when
HEMGENIX_TEST_POSTGRES_URL names a throwaway database."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.passwords import Passwords
from hemgenix_desktop.storage import Store
from tests.helpers.store import OPERATOR, WORKSTATION

PASSWORDS = {"alice": "alice signs doses", "bob": "bob verifies them", "tina": "tina prepares them"}
Run = Callable[..., tuple[int, str, str]]


def _people(store: Store) -> None:
    hasher = Passwords()  # as the command line hashes: a sign-in does not strengthen it (nothing changes)
    for name, full, role, number in (
        ("alice", "Alice Pharm", Role.PHARMACIST, "E1"),
        ("bob", "Bob Pharm", Role.PHARMACIST, "E2"),
        ("tina", "Tina Tech", Role.TECHNICIAN, "E3"),
    ):
        store.users.add(name, full, role, hasher.hash(PASSWORDS[name]), OPERATOR, WORKSTATION, employee_number=number)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, db_url: str) -> str:
    if request.param == "sqlite":
        chosen = db_url
    else:
        from tests.storage.test_postgresql import URL, _empty

        if not URL:
            pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh)")
        _empty(URL)
        chosen = URL
    with Store.open(chosen) as store:
        _people(store)
    return chosen


@pytest.fixture
def run(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*args, "--db", url]) if args[0] != "site" else main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _state(url: str) -> tuple[list[tuple[str, str, bool, str | None, bool]], list[str | None]]:
    with Store.open(url) as store:
        users = [
            (u.username, u.role.value, u.active, u.employee_number, u.must_change_password) for u in store.users.list()
        ]
        hashes = [store.users.password_hash(u[0]) for u in users]
    return users, hashes


def _last(url: str) -> tuple[str, str, str]:
    with Store.open(url) as store:
        event = store.audit_trail()[-1]
    return event.action, event.username, event.summary


def _refused(run: Run, url: str, args: tuple[str, ...], stdin: str, sentence: str) -> str:
    before = _state(url)
    events = _count(url)
    code, out, err = run(*args, stdin=stdin)
    assert (code, out) == (2, ""), err
    assert sentence in err
    assert "Traceback" not in err
    assert _state(url) == before  # nothing changed …
    action, _who, summary = _last(url)
    assert action == "administration_refused"  # … and the refusal is in the trail, once
    assert sentence in summary
    refusals = [e for e in _events(url)[events:] if e == "administration_refused"]
    assert len(refusals) == 1
    return err


def _events(url: str) -> list[str]:
    with Store.open(url) as store:
        return [e.action for e in store.audit_trail()]


def _count(url: str) -> int:
    return len(_events(url))


MALLORY = ("users", "add", "mallory", "--full-name", "Mallory Pharm", "--role", "pharmacist", "--password-stdin")


@pytest.mark.slow
def test_adding_a_pharmacist_with_only_the_os_login_is_refused(run: Run, url: str) -> None:
    err = _refused(run, url, MALLORY, "mallory's password\n", "needs a pharmacist's username and password")
    assert err == (
        "Sign in first: adding an account needs a pharmacist's username and password (--username, and the password "
        "typed or given with --password-stdin). Nothing was changed.\n"
    )
    _, who, _ = _last(url)
    assert who.startswith("cli:")  # the operating-system account, as nobody signed in


@pytest.mark.slow
def test_a_wrong_password_is_refused_and_counts_toward_the_lockout(run: Run, url: str) -> None:
    args = (*MALLORY, "--employee-number", "E9", "--username", "alice")
    _refused(run, url, args, "a guess\n", "The username or the password is wrong.")
    with Store.open(url) as store:
        assert store.users.get("alice").failed_attempts == 1  # type: ignore[union-attr]
        actions = [e.action for e in store.audit_trail()[-2:]]
    assert actions == ["sign_in_failed", "administration_refused"]


@pytest.mark.slow
def test_a_technician_cannot_administer(run: Run, url: str) -> None:
    args = ("users", "add", "tom", "--full-name", "Tom T", "--role", "technician", "--employee-number", "E9")
    _refused(
        run,
        url,
        (*args, "--username", "tina", "--password-stdin"),
        PASSWORDS["tina"] + "\n",
        "only a pharmacist may administer",
    )


@pytest.mark.slow
def test_a_pharmacist_alone_cannot_add_a_pharmacist(run: Run, url: str) -> None:
    args = (*MALLORY, "--employee-number", "E9", "--username", "alice")
    _refused(run, url, args, PASSWORDS["alice"] + "\n", "Adding a pharmacist needs a second pharmacist's approval")


@pytest.mark.slow
def test_with_a_second_pharmacist_the_pharmacist_is_added_with_a_one_time_password(run: Run, url: str) -> None:
    args = (
        *MALLORY,
        "--employee-number",
        "E9",
        "--username",
        "alice",
        "--approver",
        "bob",
        "--approver-password-stdin",
    )
    code, out, err = run(*args, stdin=f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n")
    assert (code, err) == (0, "")
    assert out.startswith("Added the pharmacist account Mallory Pharm (mallory).\nOne-time password for mallory: ")
    one_time = out.split("One-time password for mallory: ")[1].split()[0]
    action, who, summary = _last(url)
    assert (action, who) == ("user_added", "alice")
    assert summary == "Added the pharmacist account Mallory Pharm (mallory). Approved by Bob Pharm (bob)."
    with Store.open(url) as store:
        event = store.audit_trail()[-1]
        assert event.full_name.startswith("Alice Pharm (command line, operating-system account ")
        assert event.after["approved_by"] == "bob"
        assert event.after["approval_meaning"] == "Approved by"
    # the one-time password opens nothing but the choice of a new one
    code, _, err = run("users", "disable", "tina", "--username", "mallory", "--password-stdin", stdin=one_time + "\n")
    assert code == 2
    assert "one-time password" in err
    new = "a phrase of her own"
    assert run("users", "change-password", "mallory", "--password-stdin", stdin=f"{one_time}\n{new}\n")[0] == 0
    assert run("users", "change-password", "mallory", "--password-stdin", stdin=f"{new}\n{new}\n")[2] == (
        "That password was used before. Choose one that is none of your last 5 passwords.\n"
    )


@pytest.mark.slow
def test_the_approver_cannot_be_the_one_asking_nor_the_one_acted_on(run: Run, url: str) -> None:
    own = ("users", "reset-password", "tina", "--username", "alice", "--password-stdin", "--approver", "alice")
    _refused(
        run,
        url,
        (*own, "--approver-password-stdin"),
        f"{PASSWORDS['alice']}\n{PASSWORDS['alice']}\n",
        "is the person asking, so cannot also approve",
    )
    acted_on = ("users", "reset-password", "bob", "--username", "alice", "--password-stdin", "--approver", "bob")
    _refused(
        run,
        url,
        (*acted_on, "--approver-password-stdin"),
        f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n",
        "is the person acted on",
    )
    technician = ("users", "reset-password", "bob", "--username", "alice", "--password-stdin", "--approver", "tina")
    _refused(
        run,
        url,
        (*technician, "--approver-password-stdin"),
        f"{PASSWORDS['alice']}\n{PASSWORDS['tina']}\n",
        "only a second pharmacist may approve",
    )


@pytest.mark.slow
def test_resetting_alices_password_with_only_the_os_login_is_refused(run: Run, url: str) -> None:
    args = ("users", "reset-password", "alice", "--password-stdin")
    _refused(run, url, args, "i now know alice's password\n", "needs a pharmacist's username and password")
    alone = ("users", "reset-password", "tina", "--username", "alice", "--password-stdin")
    _refused(run, url, alone, PASSWORDS["alice"] + "\n", "Resetting a password needs a second pharmacist's approval")


@pytest.mark.slow
def test_a_reset_with_approval_gives_a_one_time_password(run: Run, url: str) -> None:
    args = ("users", "reset-password", "tina", "--username", "alice", "--password-stdin", "--approver", "bob")
    code, out, err = run(*args, "--approver-password-stdin", stdin=f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n")
    assert (code, err) == (0, "")
    assert out.startswith("Gave Tina Tech (tina) a one-time password; any lockout is lifted.\n")
    action, who, summary = _last(url)
    assert (action, who) == ("password_reset", "alice")
    assert summary.endswith("Approved by Bob Pharm (bob).")
    assert ("tina", "technician", True, "E3", True) in _state(url)[0]


@pytest.mark.parametrize("verb", ["enable", "disable"])
@pytest.mark.slow
def test_enable_and_disable_with_only_the_os_login_are_refused(run: Run, url: str, verb: str) -> None:
    _refused(run, url, ("users", verb, "tina"), "", "needs a pharmacist's username and password")


@pytest.mark.slow
def test_enabling_a_disabled_account_needs_a_second_pharmacist(run: Run, url: str) -> None:
    sign = ("--username", "alice", "--password-stdin")
    assert run("users", "disable", "tina", *sign, stdin=PASSWORDS["alice"] + "\n")[0] == 0
    assert _last(url)[:2] == ("user_disabled", "alice")
    _refused(
        run,
        url,
        ("users", "enable", "tina", *sign),
        PASSWORDS["alice"] + "\n",
        "Enabling a disabled account needs a second pharmacist's approval",
    )
    approved = ("users", "enable", "tina", *sign, "--approver", "bob", "--approver-password-stdin")
    assert run(*approved, stdin=f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n")[0] == 0
    assert _last(url)[2] == "Enabled the account Tina Tech (tina). Approved by Bob Pharm (bob)."


@pytest.mark.slow
def test_one_person_cannot_have_two_accounts(run: Run, url: str) -> None:
    sign = ("--username", "alice", "--password-stdin", "--approver", "bob", "--approver-password-stdin")
    both = f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n"
    twin = ("users", "add", "alice2", "--full-name", "Alice Pharm", "--role", "pharmacist", "--employee-number", "E1")
    _refused(run, url, (*twin, *sign), both, "The employee number E1 already belongs to Alice Pharm (alice)")
    # another number, the same printed name: the approver must give the reason
    other = ("users", "add", "alice2", "--full-name", "Alice  Pharm", "--role", "technician", "--employee-number", "E7")
    _refused(run, url, (*other, *sign), both, "looks like that of Alice Pharm (alice)")
    code, out, _ = run(*other, *sign, "--reason", "Alice Pharm of the night shift, another person", stdin=both)
    assert code == 0
    assert out.startswith("Added the technician account Alice Pharm (alice2).")


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("\u0410lice Pharm", "mixes letters of several scripts (Cyrillic, Latin)"),  # a Cyrillic "А"
        ("Ali\u200bce Pharm", "U+200B ZERO WIDTH SPACE"),
        ("Alice \u202emrahP", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
@pytest.mark.slow
def test_printed_names_that_deceive_the_reader_are_refused(run: Run, url: str, name: str, sentence: str) -> None:
    args = ("users", "add", "eve", "--full-name", name, "--role", "technician", "--employee-number", "E8")
    _refused(run, url, (*args, "--username", "alice", "--password-stdin"), PASSWORDS["alice"] + "\n", sentence)


@pytest.mark.slow
def test_settings_set_with_only_the_os_login_is_refused(
    run: Run, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(settings))
    for key, value in (("lockout_attempts", "100"), ("idle_lock_minutes", "60")):
        _refused(run, url, ("settings", "set", key, value), "", "needs a pharmacist's username and password")
        assert not settings.exists()
        # signed in, but beyond the site floor: a second pharmacist must approve
        sign = ("--username", "alice", "--password-stdin")
        _refused(run, url, ("settings", "set", key, value, *sign), PASSWORDS["alice"] + "\n", "beyond the site floor")
        assert not settings.exists()


@pytest.mark.slow
def test_settings_set_signed_in_writes_settings_changed(
    run: Run, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(settings))
    sign = ("--username", "alice", "--password-stdin")
    code, out, err = run("settings", "set", "idle_lock_minutes", "10", *sign, stdin=PASSWORDS["alice"] + "\n")
    assert (code, err) == (0, "")
    assert out == f"idle_lock_minutes is now 10 in {settings}.\n"
    action, who, summary = _last(url)
    assert (action, who) == ("settings_changed", "alice")
    assert "idle_lock_minutes 5 → 10" in summary
    approved = (*sign, "--approver", "bob", "--approver-password-stdin")
    code, _, err = run(
        "settings", "set", "idle_lock_minutes", "60", *approved, stdin=f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n"
    )
    assert (code, err) == (0, "")
    assert _last(url)[2].endswith("Approved by Bob Pharm (bob).")


@pytest.mark.slow
def test_importing_a_certificate_with_only_the_os_login_is_refused(run: Run, url: str, tmp_path: Path) -> None:
    evil = tmp_path / "evil.p12"
    evil.write_bytes(b"not even a PKCS#12 file")
    data = tmp_path / "site-data"
    args = ("site", "import-certificate", str(evil), "--data-dir", str(data))
    _refused(run, url, args, "", "needs a pharmacist's username and password")
    _refused(
        run,
        url,
        (*args, "--username", "alice", "--password-stdin"),
        PASSWORDS["alice"] + "\n",
        "Importing the site's signing certificate needs a second pharmacist's approval",
    )
    assert not data.exists()


@pytest.mark.slow
def test_accounts_made_before_numbers_were_kept_get_theirs_from_two_pharmacists(run: Run, url: str) -> None:
    with Store.open(url) as store:
        for name in ("lee", "lou"):
            store.users.add(
                name, name.title(), Role.PHARMACIST, Passwords().hash(f"{name}'s old phrase"), OPERATOR, WORKSTATION
            )
    lee = ("--username", "lee", "--password-stdin")
    # an account without a number administers nothing else …
    _refused(run, url, ("users", "disable", "tina", *lee), "lee's old phrase\n", "has no employee number yet")
    # … and gets its number from two pharmacists, the approver one who has a number (alice and bob have theirs:
    # lou, without one, may not approve, so two accounts made before 0008 cannot number each other)
    both = "lee's old phrase\nlou's old phrase\n"
    by_lou = (*lee, "--approver", "lou", "--approver-password-stdin")
    _refused(
        run, url, ("users", "set-employee-number", "lee", "e40", *by_lou), both, "Lou (lou) has no employee number yet"
    )
    approved = (*lee, "--approver", "bob", "--approver-password-stdin")
    by_bob = f"lee's old phrase\n{PASSWORDS['bob']}\n"
    code, out, err = run("users", "set-employee-number", "lee", "e40", *approved, stdin=by_bob)
    assert (code, out, err) == (0, "The employee number of Lee (lee) is now E40.\n", "")
    taken = ("users", "set-employee-number", "tina", "E1", *approved)
    _refused(run, url, taken, by_bob, "The employee number E1 already belongs to Alice Pharm (alice)")


@pytest.mark.slow
def test_the_first_number_of_a_database_without_any_is_approved_once_without_one(run: Run, url: str) -> None:
    """Issue 14: on a database where no active pharmacist has a number (all made before 0008), the very first
    number is approved by a pharmacist without one, said so in the trail; every later one needs a numbered one."""
    with Store.open(url) as store:
        for name in ("alice", "bob"):  # the numbered pharmacists leave: no active pharmacist has a number
            store.users.set_active(name, False, OPERATOR, WORKSTATION)
        for name in ("lee", "lou", "lyn"):
            store.users.add(
                name, name.title(), Role.PHARMACIST, Passwords().hash(f"{name}'s old phrase"), OPERATOR, WORKSTATION
            )
    lee = ("--username", "lee", "--password-stdin", "--approver", "lou", "--approver-password-stdin")
    both = "lee's old phrase\nlou's old phrase\n"
    code, _, err = run("users", "set-employee-number", "lee", "e40", *lee, stdin=both)
    assert (code, err) == (0, "")
    action, who, summary = _last(url)
    assert (action, who) == ("user_employee_number_set", "lee")
    assert "Approved by Lou (lou), who had no employee number yet: the first number of this database" in summary
    with Store.open(url) as store:
        assert store.audit_trail()[-1].after["first_employee_number_without_numbered_approver"] is True
    # the second: lou (no number) may no longer approve, not even lyn's
    lyn = ("users", "set-employee-number", "lyn", "e42", *lee)
    _refused(run, url, lyn, both, "Lou (lou) has no employee number yet, so cannot approve")


@pytest.mark.slow
def test_taking_the_pharmacist_role_away_needs_a_second_pharmacist(run: Run, url: str) -> None:
    _refused(
        run,
        url,
        ("users", "set-role", "bob", "technician", "--username", "alice", "--password-stdin"),
        PASSWORDS["alice"] + "\n",
        "Taking the pharmacist role away needs a second pharmacist's approval",
    )


@pytest.mark.slow
def test_a_lockout_of_100_from_the_environment_is_refused_and_audited(
    run: Run, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: HEMGENIX_LOCKOUT_ATTEMPTS=100 would let a password be guessed 100 times; beyond the site floor
    (10) it is not used (the default 5 is), and the refusal is in the audit trail."""
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setenv("HEMGENIX_LOCKOUT_ATTEMPTS", "100")
    args = ("users", "disable", "tina", "--username", "alice", "--password-stdin")
    for _ in range(5):
        code, _, err = run(*args, stdin="a wrong guess\n")
        assert code == 2
        assert err.startswith("The environment tried to relax a site floor, which only two pharmacists may do")
    code, _, err = run(*args, stdin=PASSWORDS["alice"] + "\n")
    assert code == 2
    assert "is locked until" in err  # locked after 5 wrong passwords, not 100
    with Store.open(url) as store:
        refusals = [e for e in store.audit_trail() if e.summary.startswith("At start, refused relaxing a site floor")]
        assert store.users.get("tina").active  # type: ignore[union-attr]
    assert len(refusals) == 6
    assert refusals[0].after["lockout_attempts"] == {"asked": 100, "in_use": 5, "variable": "HEMGENIX_LOCKOUT_ATTEMPTS"}
