"""The service tests need no Qt: they pass in a fresh interpreter where PySide6 cannot be imported at all
(issue 12: every signing, sealing, correction and reprint rule is tested without a QApplication)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_RUN_WITHOUT_QT = r"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked: the service tests must not need Qt")
        return None
sys.meta_path.insert(0, Block())
import pytest
sys.exit(pytest.main([
    "-q", "-p", "no:cacheprovider", "-p", "no:pytest-qt", "-p", "no:xdist", "-o", "addopts=",
    "-W", "ignore::pytest.PytestConfigWarning",  # qt_api, the option of the plugin left out
    "tests/services",
]))
"""


@pytest.mark.slow
def test_the_service_tests_pass_with_qt_unimportable() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_WITHOUT_QT], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
    assert "blocked" not in done.stdout
