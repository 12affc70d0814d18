"""The window fits the screen: every button inside a 1366×768 and a 1280×720 screen, at 100 % and 150 % scaling;
it opens inside the screen's available area and remembers its size and state (owner-only file)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.window_place import PREFERRED_SIZE, fitting_geometry, place_window, remember_window

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("width", "height", "scale", "mode"),
    [
        (1366, 768, "1", ""),
        (1366, 768, "1.5", ""),
        (1280, 720, "1", ""),
        (1280, 720, "1.5", ""),
        (1280, 720, "1.5", "--practice"),  # the smallest, with the PRACTICE banner on every screen
    ],
)
def test_every_screen_keeps_its_buttons_on_a_small_screen(
    tmp_path: Path, width: int, height: int, scale: str, mode: str
) -> None:
    config = tmp_path / "screen.json"
    screen = {"name": "workstation", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_fit", *([mode] if mode else [])],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    logical = [round(width / float(scale)), round(height / float(scale))]
    assert [abs(a - b) <= 1 for a, b in zip(result["available"][2:], logical, strict=True)] == [True, True]
    assert result["problems"] == []


def test_a_small_screen_gets_a_maximized_window_inside_it() -> None:
    rect, maximize = fitting_geometry(QRect(0, 0, 1366, 728))  # a 768-px screen less a 40-px panel
    assert maximize
    assert QRect(0, 0, 1366, 728).contains(rect)
    rect, maximize = fitting_geometry(QRect(0, 0, 1920, 1040))
    assert not maximize
    assert rect.size() == PREFERRED_SIZE
    assert QRect(0, 0, 1920, 1040).contains(rect)


def test_the_window_remembers_its_size_and_state_in_an_owner_only_file(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "config" / "window.json"
    window = QMainWindow()
    qtbot.addWidget(window)
    place_window(window, path)  # nothing remembered: fitted to the screen
    available = window.screen().availableGeometry()
    assert available.contains(window.geometry())
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(QRect(available.left() + 30, available.top() + 40, 500, 400))
    assert remember_window(window, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    again = QMainWindow()
    qtbot.addWidget(again)
    place_window(again, path)
    assert again.geometry().size() == QSize(500, 400)
    assert not again.isMaximized()


def test_a_remembered_place_off_the_screen_or_a_broken_file_is_not_used(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    window = QMainWindow()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    window.setGeometry(QRect(available.right() + 500, 40, 500, 400))  # another monitor, gone now
    assert remember_window(window, path)
    again = QMainWindow()
    qtbot.addWidget(again)
    place_window(again, path)
    assert available.contains(again.normalGeometry() if again.isMaximized() else again.geometry())
    path.write_text("{not json")
    broken = QMainWindow()
    qtbot.addWidget(broken)
    place_window(broken, path)
    assert available.contains(broken.normalGeometry() if broken.isMaximized() else broken.geometry())
    (tmp_path / "a-file").write_text("")
    assert not remember_window(broken, tmp_path / "a-file" / "window.json")  # cannot be written: said, no crash
