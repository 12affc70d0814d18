"""Operating-system refusals no command words itself (a path too long for the system, a full disk, standard output
closed) end with one sentence and an exit code, never a traceback (found by a command-line test with bad input)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main

TOO_LONG = "x" * 300  # one name longer than any Linux file system allows (255 bytes)


@pytest.mark.parametrize(
    "words",
    [
        ["backup", "--out", "{long}"],
        ["audit", "verify", "--checkpoints", "{long}"],
        ["site", "show-certificate", "--data-dir", "{long}"],
    ],
    ids=["backup", "audit verify", "site show-certificate"],
)
def test_a_path_too_long_is_exit_2_with_a_sentence(
    words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.store import add_user, open_store_file

    database = tmp_path / "hemgenix.sqlite3"
    with open_store_file(database) as store:
        add_user(store, "amy", "Amy Pond")
    long = tmp_path / TOO_LONG
    code = main(["--db", f"sqlite:///{database}", *[w.replace("{long}", str(long)) for w in words]])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith(f"A path given cannot be used: File name too long ({long}")  # or a file inside it
    assert err.endswith("). Give a shorter or different path; nothing was done with it.\n")
    assert "Traceback" not in out + err


def _run_program(*args: str, stdout: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_standard_output_is_a_sentence() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = _run_program("kits", stdout=full)
    assert done.returncode == 1
    assert done.stderr == (
        "The command stopped: the system refused to read or write: No space left on device. Check the path, the disk "
        "and the output it writes to, then try again.\n"
    )


@pytest.mark.slow
def test_standard_output_closed_is_a_sentence() -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$0" -m hemgenix_desktop dose 72 --json >&-', sys.executable],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "The command stopped: the system refused to read or write: the output it writes to is closed. Check the path, "
        "the disk and the output it writes to, then try again.\n"
    )
