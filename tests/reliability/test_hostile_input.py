"""Hostile input on the whole command line (issue 16): every row of ``hostile_inputs.CASES`` through the program's
real entry function, ``hemgenix_desktop.cli.main``, with the argument list and the standard-input bytes a terminal
hands over (the smoke test on a full disk, and one row of each kind of stream, as a real process too).

Every row: exactly the exit code of its class, one sentence on stderr (its beginning when the row gives one), never
a traceback, never a hang (a watchdog fails the row after 20 s), nothing on stdout but what a success prints, and no
character that acts on a terminal or hides itself in anything printed. Then each class's own promise: nothing
created or changed by a refused command (the database file byte for byte, no relative or in-memory database, the
settings file as it was), a refused environment value never stored, stored text shown escaped (and the JSON the
same values), a file on a full disk whole or not there at all.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.cli.terminal import one_line
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.setting_table import host_name
from hemgenix_desktop.storage import Store
from tests.cli.sealed_store import sealed_store
from tests.helpers.store import OPERATOR, WORKSTATION, add_user, cheap_passwords, open_store_file
from tests.reliability.hostile_inputs import (
    CASES,
    DIGITS,
    HOSTILE_TEXT,
    NESTED,
    Case,
)
from tests.security.test_seal_site_keys import hospital_p12

ROOT = Path(__file__).resolve().parents[2]
UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _id(case: Case) -> str:
    return f"{case.kind}: {case.name}"


def _param(case: Case) -> object:
    marks = [pytest.mark.slow] if "smoke-test" in case.name or case.kind == "whole" else []
    return pytest.param(case, id=_id(case), marks=marks)


# --- the world a row runs in ---------------------------------------------------------------------------------
class World:
    """The test's folder with what the placeholders name, the database of the row, the environment."""

    def __init__(self, tmp: Path, db_url: str) -> None:
        self.tmp = tmp
        self.db_url = db_url
        self.values = {
            "tmp": str(tmp),
            "fifo": str(tmp / "pipe"),
            "folder": str(tmp / "a folder"),
            "huge": str(tmp / "huge.pdf"),
            "pdf": str(tmp / "small.pdf"),
            "db": db_url,
            "record": "",
            "full": str(tmp / "full"),
        }

    def fill(self, text: str) -> str:
        for name, value in self.values.items():
            text = text.replace("{" + name + "}", value)
        return text


def _unsafe_characters(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if ch != "\n" and unicodedata.category(ch) in UNSAFE]


@contextlib.contextmanager
def _watchdog(seconds: int) -> Iterator[None]:
    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"the command did not end within {seconds} s (a hang)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_main(argv: list[str], stdin: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)`` as the ``hemgenix-prep`` script calls it, with ``stdin`` as the bytes of standard input
    (decoded as Python decodes a UTF-8 terminal's: undecodable bytes become lone surrogates)."""
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
    try:
        with _watchdog(20):
            code = main(argv)
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def p12() -> bytes:
    return hospital_p12()[0]  # an RSA key is made for it: once for the module


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, p12: bytes) -> World:
    for name in list(os.environ):
        if name.startswith("HEMGENIX_") and name != "HEMGENIX_SITE_KEY_SECRET":  # the tests' site key passphrase
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.setenv("USER", "pat")
    monkeypatch.setenv("LOGNAME", "pat")
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a folder").mkdir()
    with (tmp_path / "huge.pdf").open("wb") as huge:
        huge.truncate(60 * 1024 * 1024)  # sparse: 60 MB read as zeros, no disk used
    (tmp_path / "small.pdf").write_bytes(b"%PDF-1.7 not a record\n")
    (tmp_path / "site.p12").write_bytes(p12)
    (tmp_path / "settings.toml").write_text(NESTED, encoding="utf-8")
    (tmp_path / "digits.toml").write_text(f"idle_lock_minutes = {DIGITS}\n", encoding="utf-8")
    path = tmp_path / "pharmacy.sqlite3"
    with open_store_file(path) as store:  # a copy of a migrated database: no migration per row
        add_user(store, "zoe", "Zoe Zed", Role.PHARMACIST)
        add_user(store, "ada", "Ada Admin", Role.PHARMACIST)  # signs the administrative commands in
    return World(tmp_path, f"sqlite:///{path}")


# --- the unusable databases ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def truncated_database(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The first half of a database with users, a sealed preparation and their audit trail (as a copy cut short
    by a full disk or a crash leaves it)."""
    path = tmp_path_factory.mktemp("truncated") / "whole.sqlite3"
    sealed = sealed_store(path)
    hashed = cheap_passwords().hash("unused password")
    for number in range(30):
        sealed.store.users.add(f"user{number}", f"User {number}", Role.TECHNICIAN, hashed, OPERATOR, WORKSTATION)
    sealed.store.close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    return data[: len(data) // 2]


def unusable_database(kind: str, world: World, truncated: bytes) -> Path:
    path = world.tmp / "unusable.sqlite3"
    if kind == "text file":
        path.write_text("patients.csv\nname,dob\n" * 200, encoding="utf-8")
    elif kind == "truncated":
        path.write_bytes(truncated)
    elif kind == "another program's":
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE inventory (item TEXT, count INTEGER)")
            connection.execute("INSERT INTO inventory VALUES ('saline', 12)")
            connection.commit()
    elif kind == "newer schema":
        shutil.copyfile(world.db_url.removeprefix("sqlite:///"), path)
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
            connection.commit()
    elif kind == "named pipe":
        os.mkfifo(path)
    else:
        path.mkdir()
    return path


def _snapshot(path: Path) -> object:
    if path.is_file():
        return path.read_bytes()
    return (path.is_dir(), sorted(p.name for p in path.iterdir()) if path.is_dir() else None)


# --- the full disk ---------------------------------------------------------------------------------------------
@pytest.fixture
def full_disk(world: World) -> Iterator[Path]:
    """A 64 KB tmpfs, filled to the last byte (root only: the tests run as root in CI and here)."""
    mount = Path(world.values["full"])
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here ({result.stderr.decode().strip()})")
    try:
        (mount / "settings.toml").write_text('site_name = "Before"\n', encoding="utf-8")
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


# --- the rows ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [_param(case) for case in CASES if case.kind not in ("output", "whole")])
def test_each_hostile_input_gets_its_sentence_and_exit_code(
    case: Case,
    world: World,
    truncated_database: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = [world.fill(word) for word in case.argv]
    watched: Path | None = None
    if case.kind == "database":
        kind = case.name.split(": ", 1)[1]
        watched = unusable_database(kind, world, truncated_database)
        argv += ["--db", f"sqlite:///{watched}"]
    elif (
        case.kind != "kept"
        and argv[0] in ("users", "audit", "records", "reprint")
        and not {"HEMGENIX_DB_URL", "HEMGENIX_CONFIG"} & case.env.keys()
    ):
        argv += ["--db", world.db_url]
    for name, value in case.env.items():
        monkeypatch.setenv(name, world.fill(value))
    before = _snapshot(watched) if watched is not None else None
    pharmacy = Path(world.db_url.removeprefix("sqlite:///"))
    pharmacy_before = pharmacy.read_bytes()
    with Store.open(world.db_url) as store:
        trail_before, users_before = len(store.audit_trail()), [u.username for u in store.users.list()]
    settings_file = world.tmp / "config-home" / "hemgenix-prep" / "settings.toml"

    code, out, err = run_main(argv, case.stdin, capsys)

    assert "Traceback" not in err
    assert _unsafe_characters(out + err) == []
    assert code == case.code, err
    if case.code != 0:
        assert out == ""
        assert err.count("\n") == 1, err  # one sentence, on one line
        assert err.endswith(".\n"), err
        if case.sentence is not None:
            assert err.startswith(world.fill(case.sentence)), err
        assert not settings_file.exists() or case.kind != "settings"  # a refused value writes no file
    if watched is not None:
        assert _snapshot(watched) == before  # nothing was changed in the database given
    if case.kind == "kept":
        assert not (world.tmp / "relative.sqlite3").exists()
        assert not (world.tmp / ":memory:").exists()
    if case.kind == "environment" and case.code == 0:
        with Store.open(world.db_url) as store:
            event = store.audit_trail()[-1]
        assert event.workstation == host_name()  # the environment's value was refused, the next source's used
    elif case.code != 0 and case.kind != "settings" and "--username" in argv:
        # A refused administrative command changes nothing but the trail, which records the refusal (issue 14).
        with Store.open(world.db_url) as store:
            added = [e.action for e in store.audit_trail()[trail_before:]]
            assert [u.username for u in store.users.list()] == users_before
        assert set(added) <= {"administration_refused"}, added
    elif case.code != 0 and case.kind != "settings":
        assert pharmacy.read_bytes() == pharmacy_before  # a refused command changes nothing


@pytest.mark.parametrize("case", [_param(case) for case in CASES if case.kind == "output"])
def test_stored_text_is_printed_escaped_never_sent_to_the_terminal(
    case: Case, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = HOSTILE_TEXT[case.name.split(": ", 1)[1]]
    name = f"Hostile {hostile} Name"
    with Store.open(world.db_url) as store:
        store.users.add("hostile", name, Role.TECHNICIAN, cheap_passwords().hash("x"), OPERATOR, WORKSTATION)
        events = len(store.audit_trail())
    code, out, err = run_main([*case.argv, "--db", world.db_url], b"", capsys)
    assert (code, err) == (0, "")
    assert _unsafe_characters(out) == []
    if "--json" in case.argv:
        rows = json.loads(out)  # the escapes are JSON's own: the same values come back
        if case.argv[0] == "users":
            assert [row["full_name"] for row in rows if row["username"] == "hostile"] == [name]
        else:
            assert rows[-1]["after"]["full_name"] == name
    elif case.argv[0] == "users":
        assert len(out.splitlines()) == 4  # the header, ada, zoe and the hostile row: no forged line
        assert one_line(name) in out  # shown escaped, as the terminal module writes it
    else:
        assert sum(line.startswith("#") for line in out.splitlines()) == events  # one heading per event


@pytest.mark.parametrize("case", [_param(case) for case in CASES if case.kind == "whole"])
def test_a_full_disk_leaves_each_file_whole_or_not_at_all(
    case: Case, world: World, full_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = sealed_store(world.tmp / "sealed.sqlite3")
    sealed.store.close()
    world.values["record"] = sealed.original.record_id
    for name, value in case.env.items():
        monkeypatch.setenv(name, world.fill(value))
    argv = [world.fill(word) for word in case.argv]
    if argv[0] == "reprint":
        argv += ["--db", sealed.url, "--data-dir", str(world.tmp / "data")]
    elif "--username" in argv:  # a pharmacist of the world's database signs in
        argv += ["--db", world.db_url]
    before = _files_under(full_disk)
    if argv[0] == "smoke-test":
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEMGENIX_")}
        result = subprocess.run(
            [sys.executable, "-m", "hemgenix_desktop", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=300,
            check=False,
        )
        code, out, err = result.returncode, result.stdout, result.stderr
        assert "could not be written (No space left on device); nothing of it was left" in out
    else:
        code, out, err = run_main(argv, case.stdin, capsys)
        assert err.count("\n") == 1, err
        assert "No space left on device" in err
    assert "Traceback" not in err
    assert code == case.code, out + err
    assert _files_under(full_disk) == before  # no new file, no part of one, the old ones as they were
    assert (full_disk / "settings.toml").read_text(encoding="utf-8") == 'site_name = "Before"\n'


@pytest.mark.slow  # two real processes: several seconds
def test_the_real_program_refuses_bytes_that_are_not_utf8_in_arguments_and_on_standard_input(world: World) -> None:
    """The same through a real process: the bytes as a terminal sends them (0xff in an argument and on stdin)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMGENIX_")}
    script = [os.fsencode(sys.executable), b"-m", b"hemgenix_desktop"]
    argument = subprocess.run(
        [*script, b"users", b"add", b"zo\xffe", b"--full-name", b"Zoe", b"--role", b"pharmacist"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert (argument.returncode, argument.stdout) == (2, b"")
    assert argument.stderr.startswith(
        b"hemgenix-prep: Argument 3 (\xe2\x80\x9czo\\udcffe\xe2\x80\x9d) is not UTF-8 text"
    )
    standard_input = subprocess.run(
        [
            *script,
            "users",
            "add",
            "yan",
            "--full-name",
            "Yan",
            "--role",
            "technician",
            "--username",
            "ada",
            "--password-stdin",
        ],
        input=b"a long enough\xff password\n",
        capture_output=True,
        cwd=ROOT,
        env={**env, "HEMGENIX_DB_URL": world.db_url},
        timeout=120,
        check=False,
    )
    assert (standard_input.returncode, standard_input.stdout) == (2, b"")
    assert standard_input.stderr == (
        b"What came on standard input is not UTF-8 text (byte 0xff at position 14 of the line). Give the text in "
        b"UTF-8; nothing was changed.\n"
    )
