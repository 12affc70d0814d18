"""resources/translations/hemgenix.ts is the template of every string the screens show: it must not go stale.

Run ``scripts/update-translations`` after changing a tr() string, and commit the template with the change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_translation_template_matches_the_screens(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        found = shutil.which("pyside6-lupdate")
        if found is None:
            pytest.skip("pyside6-lupdate is not installed")
        lupdate = Path(found)
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "hemgenix_desktop" / "ui").rglob("*.py"))
    fresh = tmp_path / "hemgenix.ts"
    subprocess.run(
        [
            str(lupdate),
            "-silent",
            "-locations",
            "none",
            "-no-obsolete",
            "-source-language",
            "en_US",
            *sources,
            "-ts",
            str(fresh),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = (ROOT / "resources" / "translations" / "hemgenix.ts").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, (
        "resources/translations/hemgenix.ts is out of date: run scripts/update-translations and commit it"
    )
