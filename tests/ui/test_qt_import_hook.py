"""PySide6's import hook without every module's source kept in memory (ui/qt_import_hook.py, issue 13 memory):
shiboken still learns, for each module imported after PySide6, whether its source names PySide6 (what
``from __feature__ import …`` needs), but no module's lines are left in :mod:`linecache`."""

from __future__ import annotations

import importlib
import linecache
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import hemgenix_desktop.ui  # noqa: F401 - installs the hook, as the program does
from hemgenix_desktop.ui.qt_import_hook import install, uses_pyside

FEATURE = sys.modules["shibokensupport.feature"]


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in ("hgx_probe_plain", "hgx_probe_qt"):
        sys.modules.pop(name, None)


def test_the_program_s_check_replaces_shiboken_s() -> None:
    assert FEATURE._mod_uses_pyside is uses_pyside
    assert install()  # a second time changes nothing
    assert FEATURE._mod_uses_pyside is uses_pyside


def test_a_module_imported_after_pyside6_leaves_no_lines_behind_and_gets_shiboken_s_answer(modules: Path) -> None:
    plain = modules / "hgx_probe_plain.py"
    plain.write_text("VALUE = 1\n" * 2000, encoding="utf-8")
    qt = modules / "hgx_probe_qt.py"
    qt.write_text("from PySide6.QtCore import QObject\n\nVALUE = QObject\n", encoding="utf-8")
    __import__("hgx_probe_plain")  # the import statement's way: through shiboken's hook (importlib goes around it)
    __import__("hgx_probe_qt")
    assert str(plain) not in linecache.cache
    assert str(qt) not in linecache.cache
    assert FEATURE.pyside_feature_dict["hgx_probe_plain"] == -1  # ignored by __feature__ switching
    assert FEATURE.pyside_feature_dict["hgx_probe_qt"] == 0  # uses PySide: no feature chosen


def test_modules_without_a_source_file_do_not_use_pyside(modules: Path) -> None:
    assert not uses_pyside(sys)  # built in
    assert not uses_pyside(importlib.import_module("_struct"))  # compiled
    gone = type(sys)("hgx_probe_gone")
    gone.__file__ = str(modules / "missing.py")  # a frozen build's modules name files that are not there
    assert not uses_pyside(gone)
