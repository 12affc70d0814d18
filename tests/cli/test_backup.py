"""``hemgenix-prep backup --out FILE``: SQLite's online backup API, then the copy's own checks (issue 15)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage import Store
from tests.helpers.store import WORKSTATION, add_user, open_store_file

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")


def _database(tmp_path: Path, events: int = 3) -> Path:
    path = tmp_path / "hemgenix.sqlite3"
    with open_store_file(path) as store:
        tech = add_user(store, "tina", "Tina Tech")
        for number in range(events):
            store.audit.record_event(tech, WORKSTATION, AuditAction.SCREEN_LOCKED, f"Locked {number}.")
    return path


def test_a_backup_is_a_checked_copy_readable_by_its_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path)
    out = tmp_path / "backups" / "monday.sqlite3"
    out.parent.mkdir()
    with Store.open(f"sqlite:///{path}") as open_meanwhile:  # the program is running: the API copies it online
        assert main(["backup", "--out", str(out), "--db", f"sqlite:///{path}"]) == 0
        assert open_meanwhile.verify_audit_chain().intact
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith(f"Backed up the database to {out} (readable by its owner only).")
    assert "its audit trail verifies (4 events; the tables match the trail)" in captured.out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not Path(f"{out}-wal").exists()
    with Store.open(f"sqlite:///{out}") as copy, Store.open(f"sqlite:///{path}") as original:
        assert copy.audit_trail() == original.audit_trail()


def test_a_backup_never_overwrites_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _database(tmp_path)
    out = tmp_path / "kept.sqlite3"
    out.write_bytes(b"something kept")
    assert main(["backup", "--out", str(out), "--db", f"sqlite:///{path}"]) == 2
    assert capsys.readouterr().err == f"{out} exists already. A backup never overwrites a file: give a new file name.\n"
    assert out.read_bytes() == b"something kept"
    assert main(["backup", "--out", str(tmp_path / "missing" / "b.sqlite3"), "--db", f"sqlite:///{path}"]) == 2
    assert capsys.readouterr().err.startswith(f"The folder {tmp_path / 'missing'} does not exist.")


@pytest.mark.slow
def test_a_backup_of_a_damaged_database_is_refused_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path, events=300)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_events_action'").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size + 8)
        file.write(b"\x07" * 64)
    out = tmp_path / "b.sqlite3"
    assert main(["backup", "--out", str(out), "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The backup did not pass its checks, so it was removed: ")
    assert not out.exists()


def test_postgresql_is_backed_up_with_its_own_tools(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    out = tmp_path / "b.dump"
    assert main(["backup", "--out", str(out), "--db", PG_URL]) == 2
    err = capsys.readouterr().err
    assert err.startswith("This database is PostgreSQL, which Hemgenix Prep does not copy itself: back it up with")
    assert "pg_dump --format=custom" in err
    assert not out.exists()
