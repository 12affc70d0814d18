"""The version has one source, ``hemgenix_desktop/__init__.py``; everything else reads it from there."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import PySide6
import PySide6.QtCore
import pytest

from hemgenix_desktop import __version__
from hemgenix_desktop.cli import main
from hemgenix_desktop.storage.values import HEAD_REVISION

# --version: what Help → About says that needs no database
VERSION_TEXT = (
    f"hemgenix-prep {__version__}\n"
    "Licence: Apache-2.0 (open source; the source: https://hemgenixprep.org/)\n"
    f"Qt {PySide6.QtCore.qVersion()}, PySide6 {PySide6.__version__}\n"
    f"Database schema: {HEAD_REVISION}\n"
)

ROOT = Path(__file__).resolve().parents[2]
# PEP 440, the public part: 1.2.3, 1.2.3rc1, 1.2.3.post1, 1.2.3.dev4
PEP440 = re.compile(r"^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$")


def test_the_version_is_written_once_in_the_package() -> None:
    text = (ROOT / "hemgenix_desktop" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "([^"]+)"$', text, flags=re.MULTILINE) == [__version__]
    assert PEP440.match(__version__), __version__


def test_the_build_reads_the_version_from_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "hemgenix_desktop/__init__.py"


def test_no_other_source_file_spells_the_version() -> None:
    literal = re.compile(rf"['\"]{re.escape(__version__)}['\"]")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("hemgenix_desktop", "packaging", "scripts")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".sh", ".spec")
        and path != ROOT / "hemgenix_desktop" / "__init__.py"
        and literal.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == VERSION_TEXT


@pytest.mark.slow
def test_version_of_python_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, VERSION_TEXT, "")


def test_the_changelog_has_a_section_for_what_comes_next_or_this_version() -> None:
    headings = re.findall(r"^## (.+)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings, "CHANGELOG.md has no sections"
    assert headings[0] == "Unreleased" or headings[0].startswith(__version__)
