"""Practice mode's throwaway data folder (security/throwaway.py: a key and the practice PDFs) is removed when the
program ends; testers found one left in the temporary folder after every practice session. The real data folder is
never removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hemgenix_desktop.config import Settings, data_dir
from hemgenix_desktop.security.throwaway import FOLDER, practice_data_folder, remove_practice_folder
from hemgenix_desktop.ui.app import _Database

ROOT = Path(__file__).resolve().parents[2]


def test_ending_the_practice_services_removes_their_throwaway_folder() -> None:
    database = _Database(True, None, Settings.from_env(), None)
    services = database.services()  # as run_app opens them (here without the thread)
    folder = services.data_dir
    assert (folder / FOLDER).is_dir()
    (services.records_dir).mkdir()
    (services.records_dir / "HGX-PRACTICE-record.pdf").write_bytes(b"a practice record")
    database.close()  # run_app's end
    assert not folder.exists()


def test_the_real_data_folder_is_never_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    real = data_dir()
    (real / FOLDER).mkdir(parents=True)
    (real / "hemgenix.sqlite3").write_bytes(b"the pharmacy's database")
    assert not remove_practice_folder(real)
    assert (real / "hemgenix.sqlite3").read_bytes() == b"the pharmacy's database"
    practice = practice_data_folder()
    assert remove_practice_folder(practice)
    assert not practice.exists()
    assert not remove_practice_folder(practice)  # once only


def test_a_practice_folder_left_at_exit_is_removed(tmp_path: Path) -> None:
    """Whatever did not end through run_app (a command, a crash of the window's code) removes it at exit."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = "from hemgenix_desktop.security.throwaway import practice_data_folder; print(practice_data_folder())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    made = Path(done.stdout.strip())
    assert made.parent == tmp_path
    assert not made.exists()
    assert list(tmp_path.iterdir()) == []
