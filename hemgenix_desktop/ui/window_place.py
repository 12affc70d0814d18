"""Where the main window opens: inside the screen's available area, at the size and state it was left in.

A 1366×768 workstation (or 1280×720, or either at 150 % scaling) must show Next, Cancel and the status bar on
every start: the window never opens larger than the screen's available geometry (what the task bar and panels
leave). Its size, place and maximized state are remembered per person in ``window.json`` beside the settings file
in the user's config folder (owner-only, 0600, written atomically); a remembered place that no longer fits the
screen (another monitor, another resolution) is not used.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from hemgenix_desktop.setting_table import APP_NAME
from hemgenix_desktop.settings_file import write_owner_only

PREFERRED_SIZE = QSize(1280, 820)  # the size the screens were laid out for, when the screen has room
# Room left for the window manager's title bar and borders, which are not known before the window is shown.
FRAME_ALLOWANCE = QSize(16, 40)
STATE_FILE_NAME = "window.json"


def state_path() -> Path:
    """``~/.config/hemgenix-prep/window.json`` on Linux (the user's own config folder, never the site's file)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / STATE_FILE_NAME


def fitting_geometry(available: QRect, preferred: QSize = PREFERRED_SIZE) -> tuple[QRect, bool]:
    """The window's geometry (its inside, without the frame) on a screen whose available area is ``available``,
    and whether to maximize it: the preferred size centred when it fits with its frame, else the whole
    available area less the frame's room, maximized."""
    room = available.size() - FRAME_ALLOWANCE
    fits = preferred.width() <= room.width() and preferred.height() <= room.height()
    size = preferred if fits else preferred.boundedTo(room)
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    rect.moveTop(max(available.top() + FRAME_ALLOWANCE.height() - 8, rect.top()))  # the title bar stays on screen
    return rect, not fits


def _screen_of(window: QWidget) -> QScreen:
    screen = window.screen()
    return screen if screen is not None else QGuiApplication.primaryScreen()


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def place_window(window: QWidget, path: Path | None = None) -> None:
    """Before ``show()``: the remembered geometry and state when they fit the screen now, else a size that fits
    (maximized when the preferred size does not). The minimum size never exceeds the available area."""
    available = _screen_of(window).availableGeometry()
    limit = available.size() - FRAME_ALLOWANCE
    window.setMinimumSize(window.minimumSize().boundedTo(limit))
    saved = _read(path if path is not None else state_path())
    if saved is not None and window.restoreGeometry(saved):
        normal = window.normalGeometry() if window.isMaximized() else window.geometry()
        if _inside(available, normal):
            return
    rect, maximize = fitting_geometry(available)
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
    window.setGeometry(rect)
    if maximize:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fit_to_screen(window: QWidget) -> None:
    """A window of its own (History, Settings, About): no larger than the screen's available area less the
    frame's room, and placed inside it."""
    available = _screen_of(window).availableGeometry()
    room = available.size() - FRAME_ALLOWANCE
    window.setMinimumSize(window.minimumSize().boundedTo(room))
    window.resize(window.size().boundedTo(room))
    rect = QRect(window.pos(), window.size())
    if not _inside(available, rect):
        rect.moveCenter(available.center())
        window.move(rect.topLeft())


def remember_window(window: QWidget, path: Path | None = None) -> bool:
    """Write the window's size, place and state (owner-only); False when the file cannot be written (the next
    start then fits the window to the screen again: nothing else depends on it)."""
    text = json.dumps({"geometry": base64.b64encode(bytes(window.saveGeometry().data())).decode("ascii")})
    try:
        write_owner_only(path if path is not None else state_path(), text + "\n")
    except OSError:
        return False
    return True


def _read(path: Path) -> QByteArray | None:
    with contextlib.suppress(OSError, ValueError, binascii.Error, TypeError, KeyError):
        data = json.loads(path.read_text(encoding="utf-8"))
        return QByteArray(base64.b64decode(data["geometry"], validate=True))
    return None


__all__ = ["fit_to_screen", "fitting_geometry", "place_window", "remember_window", "state_path"]
