"""The third-party notices: made from the installed distributions, every runtime one with its licence text."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from hemgenix_desktop import __version__, third_party

ROOT = Path(__file__).resolve().parents[2]


def names(dists: list[metadata.Distribution]) -> set[str]:
    return {third_party.canonicalize_name(d.metadata["Name"]) for d in dists}


def test_the_runtime_distributions_are_what_the_program_needs_and_nothing_of_the_tools() -> None:
    found = names(third_party.runtime_distributions())
    assert {"pyside6", "pyside6-essentials", "shiboken6", "cryptography", "pyhanko", "sqlalchemy"} <= found
    assert {"psycopg", "psycopg-binary"} <= found  # the postgresql extra is part of what the program runs on
    assert not found & {"pytest", "mypy", "ruff", "uv", "pyinstaller", "hemgenix-desktop", "hypothesis"}


@pytest.mark.slow
def test_every_runtime_distribution_has_a_licence_text_in_the_notices() -> None:
    text = third_party.installed_notices(__version__)
    assert text.startswith(f"Hemgenix Prep {__version__}: third-party notices\n")
    assert names(third_party.runtime_distributions()) <= third_party.covered(text)
    assert "dejavu-fonts" in third_party.covered(text)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text  # PySide6's, from resources/licences/


def test_a_distribution_without_a_licence_text_stops_the_notices_with_a_sentence() -> None:
    pyside = metadata.distribution("shiboken6")  # carries no licence file of its own
    with pytest.raises(third_party.NoticesError) as raised:
        third_party.describe([pyside], standard={})
    assert str(raised.value) == (
        f"shiboken6 {pyside.version} carries no licence file, and resources/licences/standard-texts.toml names no "
        "standard text for it: add one there, with the licence it is used under."
    )


def test_a_missing_dependency_is_named() -> None:
    with pytest.raises(third_party.NoticesError) as raised:
        third_party.runtime_distributions(["no-such-package-hemgenix>=1"])
    assert str(raised.value) == "no-such-package-hemgenix, which hemgenix-desktop needs, is not installed here."


def test_covered_counts_only_entries_with_a_text() -> None:
    party = third_party.ThirdParty("Alpha", "1.0", "MIT", "", (("LICENSE", "MIT licence text"),))
    text = third_party.notices_text("9", [party])
    assert third_party.covered(text) == {"alpha"}
    assert third_party.covered(text.replace("MIT licence text", "")) == set()


def check_notices(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "check_notices.py"), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_the_build_check_finds_a_bundled_distribution_without_its_text(tmp_path: Path) -> None:
    folder = tmp_path / "hemgenix-prep"
    (folder / "_internal" / "cryptography").mkdir(parents=True)
    (folder / "_internal" / "segno").mkdir()
    python = third_party.python_notice()
    assert python is not None
    segno = third_party.describe([metadata.distribution("segno")])
    (folder / third_party.NOTICES_FILE).write_text(third_party.notices_text("9", [*segno, python]), encoding="utf-8")
    result = check_notices(folder)
    assert result.returncode == 1
    assert result.stderr == (
        f"cryptography is in {folder} but has no licence text in THIRD-PARTY-NOTICES.txt: make the notices again "
        "(packaging/build.sh), or name a standard text for it in resources/licences/standard-texts.toml.\n"
    )
    both = third_party.describe([metadata.distribution("segno"), metadata.distribution("cryptography")])
    (folder / third_party.NOTICES_FILE).write_text(third_party.notices_text("9", [*both, python]), encoding="utf-8")
    result = check_notices(folder)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_build_check_refuses_a_folder_without_notices(tmp_path: Path) -> None:
    (tmp_path / "_internal").mkdir()
    result = check_notices(tmp_path)
    assert result.returncode == 1
    assert "has no THIRD-PARTY-NOTICES.txt" in result.stderr
