"""``hemgenix-prep smoke-test --out DIR``: the real wizard offscreen, sign-in to print, on throwaway data."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEMGENIX_", "XDG_")) and key not in ("HOME", "DISPLAY", "WAYLAND_DISPLAY")
    }
    env["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *args],
        umask=0o022,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_the_smoke_test_runs_every_step_and_writes_two_verifiable_pdfs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "out"
    result = run("smoke-test", "--out", str(out), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"Smoke test passed: {out / 'record.pdf'} and {out / 'label.pdf'} were written and verified."
    steps = [line.split(":", 1)[0] for line in lines[:-1]]
    assert steps == [
        "ok   start Qt offscreen",
        "ok   create the throwaway database",
        "ok   create practice users",
        "ok   reset a password with a second pharmacist's approval",
        "ok   sign in",
        "ok   open the wizard",
        "ok   wizard page 1, order",
        "ok   wizard page 2, eligibility",
        "ok   wizard page 3, identity",
        "ok   wizard page 4, weight",
        "ok   wizard page 5, kit scan",
        "ok   wizard page 6, preparation checks",
        "ok   wizard page 7, administration checks",
        "ok   wizard page 8, review",
        "ok   open the signing flow",
        "ok   preparer signs (Prepared by)",
        "ok   verifier signs in",
        "ok   blind check and Verified by",
        "ok   print the record",
        "ok   print the label",
        "ok   verify record.pdf",
        "ok   check label.pdf",
        "ok   check the database",
    ]
    assert result.stderr == ""
    record, label = (out / "record.pdf").read_bytes(), (out / "label.pdf").read_bytes()
    assert record.startswith(b"%PDF-")
    assert label.startswith(b"%PDF-")

    verified = run("verify", str(out / "record.pdf"), "--certificate", str(out / "site-certificate.pem"), home=home)
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr == ""  # no library's warning either
    assert verified.stdout.startswith("VERIFIED: record HGX-")
    assert "Prepared by: Practice Technician (demo) (practice.tech, technician)" in verified.stdout
    assert "Verified by: Practice Verifier (demo) (practice.verifier, pharmacist)" in verified.stdout
    label_text = " ".join(pypdf.PdfReader(out / "label.pdf").pages[0].extract_text().split())
    assert "PRACTICE — NOT FOR PATIENT USE" in label_text
    assert "Final volume: 394 mL" in label_text
    assert sorted(p.name for p in out.iterdir()) == ["label.pdf", "record.pdf", "site-certificate.pem"]
    assert list(home.iterdir()) == []  # nothing was written into the user's folders
    # issue 16: the folder it made and the files it wrote are owner-only (the test's umask is the usual 022)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in (out, *out.iterdir())} == {
        "out": 0o700,
        "record.pdf": 0o600,
        "label.pdf": 0o600,
        "site-certificate.pem": 0o600,
    }


def test_a_folder_that_cannot_be_used_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("smoke-test", "--out", str(blocker / "out"), home=tmp_path)
    assert result.returncode == 2  # README: an --out that cannot be written is invalid input
    assert result.stderr.startswith(f"The folder {blocker / 'out'} cannot be used (")
    assert result.stderr.endswith("). Give a folder you can write to.\n")


def test_an_out_that_is_a_file_is_invalid_input(tmp_path: Path) -> None:
    """README: an --out that is a file is exit 2 (it was 1, "cannot be used (File exists)"); the file is kept."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("smoke-test", "--out", str(blocker), home=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"{blocker} is a file, not a folder. Give --out a folder to write record.pdf and label.pdf into.\n"
    )
    assert blocker.read_text() == "not a folder"
