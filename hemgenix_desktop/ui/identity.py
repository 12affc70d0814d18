"""How the desktop knows the program: its name, its desktop-file id and its icon (issue 7).

``apply_identity(app)`` gives the QApplication the name "Hemgenix Prep" (window titles, the task bar), the id of
``packaging/linux/org.hemgenixprep.HemgenixPrep.desktop`` (so a Wayland compositor or a task bar matches the
running program to its desktop file and icon) and the icon, read from ``resources/icons`` through the one resource
locator. A missing icon file is no reason to stop the program: the window then has the platform's default icon.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from hemgenix_desktop.resource_locator import ResourceNotFoundError, resource_path

APP_DISPLAY_NAME = "Hemgenix Prep"
DESKTOP_FILE_NAME = "org.hemgenixprep.HemgenixPrep"  # packaging/linux/<this>.desktop
ICON_SIZES = (16, 32, 48, 64, 128, 256)  # resources/icons/hemgenix-prep-<size>.png


def app_icon() -> QIcon:
    """The program's icon in every size shipped (empty when none of the files is there)."""
    icon = QIcon()
    for size in ICON_SIZES:
        try:
            path = resource_path("icons", f"hemgenix-prep-{size}.png")
        except ResourceNotFoundError:
            continue
        icon.addFile(str(path), QSize(size, size))
    return icon


def apply_identity(app: QApplication) -> None:
    """Name, desktop-file id and icon of the program, for every window it opens."""
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)


__all__ = ["APP_DISPLAY_NAME", "DESKTOP_FILE_NAME", "ICON_SIZES", "app_icon", "apply_identity"]
