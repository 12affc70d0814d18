import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_layers_import_without_what_they_must_not_use() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_layers.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   no Qt outside ui/" in result.stdout


def test_the_check_catches_a_blocked_import(tmp_path: Path) -> None:
    # The child program of the check must refuse a blocked package: prove it with a module that imports Qt.
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_layers  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    (tmp_path / "leaky.py").write_text("import PySide6.QtCore\n")
    result = subprocess.run(
        [sys.executable, "-c", check_layers._CHILD, "PySide6", "leaky"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 1
    assert "leaky: ImportError: PySide6 is blocked by the layering check" in result.stdout
