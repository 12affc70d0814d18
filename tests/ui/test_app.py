"""The program starts, shows its first screen and can be told to exit once ready (a smoke test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["gui", "--exit-when-ready"], ["gui", "--practice", "--exit-when-ready"]])
def test_starts_and_exits_when_ready(args: list[str], tmp_path: Path) -> None:
    # A new database of its own (never the user's): the first screen is then the first account's.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEMGENIX_DB_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hemgenix Prep is ready.\n"
    assert "Warning" not in result.stderr


def test_a_bad_scanner_stand_in_is_refused_with_a_sentence() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEMGENIX_GS_STANDIN": "A"}
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", "gui", "--exit-when-ready"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "HEMGENIX_GS_STANDIN: “A” cannot stand in for the group separator: it must be one printable character that "
        "GS1 data never contains, such as | or ~ or ^.\n"
    )


@pytest.mark.parametrize("where", [["--db", "{url}", "gui"], ["gui", "--db", "{url}"]])
def test_a_damaged_database_stops_the_start_with_a_sentence(where: list[str], tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 500)
    url = f"sqlite:///{damaged}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HEMGENIX_DB_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *[a.format(url=url) for a in where], "--exit-when-ready"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"The database {url} cannot be opened (file is not a database). Check that it is a Hemgenix Prep database, "
        "not damaged or made by a newer version, and that you may use it; or give another with --db.\n"
    )
