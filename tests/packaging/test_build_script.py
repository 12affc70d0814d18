"""packaging/build.sh: the PyInstaller build itself runs in CI (.ci/run) and by hand (about a minute), not in
the normal test run; these quick checks keep the script and the spec sound between builds."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build.sh"
SPEC = ROOT / "packaging" / "hemgenix_desktop.spec"


def test_the_build_scripts_parse() -> None:
    for script in (BUILD, ROOT / "packaging" / "linux" / "install-desktop-files.sh"):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_an_unknown_option_is_refused_before_anything_is_built() -> None:
    result = subprocess.run(["bash", str(BUILD), "--fast"], capture_output=True, text=True, check=False, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "Unknown option --fast. Use: packaging/build.sh [--archive]\n",
    )


def test_the_spec_bundles_the_resources_and_the_migrations() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert '(str(root / "resources"), "hemgenix_desktop/resources")' in spec
    assert '"hemgenix_desktop/storage/migrations"' in spec
    assert 'collect_submodules("reportlab.graphics.barcode")' in spec  # the barcodes load their modules by name
    assert 'packaging" / "entry.py"' in spec


def test_build_output_is_not_versioned() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "build/" in ignored
    assert "dist/" in ignored
