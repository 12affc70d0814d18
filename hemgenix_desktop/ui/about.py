"""Help → About: the version, the licence, Qt and PySide6, the database schema, and the third-party notices.

:class:`AboutBox` shows the lines of :func:`hemgenix_desktop.about.version_lines` and what the main window adds
(site, workstation, database, data folder); its "Third-party notices…" button opens :class:`NoticesWindow`: the
notices this copy of the program carries (hemgenix_desktop.third_party), read-only, selectable and copyable.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop import __version__
from hemgenix_desktop.about import version_lines
from hemgenix_desktop.third_party import NoticesError, installed_notices
from hemgenix_desktop.ui.widgets import named
from hemgenix_desktop.ui.window_place import fit_to_screen


def qt_version_lines() -> list[str]:
    """:func:`version_lines` with the Qt this process runs and the PySide6 it was built with."""
    return version_lines(qVersion(), PySide6.__version__)


class NoticesWindow(QDialog):
    """The third-party notices, read-only: every distribution the program runs on and its licence texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "noticesDialog", self.tr("Third-party notices"))
        self.setWindowTitle(self.tr("Hemgenix Prep: third-party notices"))
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        named(self.text, "noticesText", self.tr("The third-party notices and licence texts"))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        named(close, "noticesCloseButton", self.tr("Close the third-party notices"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:

        try:
            self.text.setPlainText(installed_notices(__version__))
        except (NoticesError, OSError) as exc:
            self.text.setPlainText(
                self.tr("The third-party notices cannot be shown: {reason} Reinstall Hemgenix Prep.").format(
                    reason=str(exc)
                )
            )


class AboutBox(QDialog):
    """About Hemgenix Prep (opened, never run: it does not block the window behind it)."""

    def __init__(self, text: str, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "aboutBox", self.tr("About Hemgenix Prep"))
        self.setWindowTitle(self.tr("About Hemgenix Prep"))
        self.notices: NoticesWindow | None = None
        row = QHBoxLayout()
        if not icon.isNull():
            picture = QLabel(self)
            picture.setPixmap(icon.pixmap(64, 64))
            picture.setAlignment(Qt.AlignmentFlag.AlignTop)
            row.addWidget(picture)
        self.label = QLabel(text, self)
        named(self.label, "aboutText", self.tr("What the program is and what it runs on"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setMinimumWidth(560)  # paths on one line where they fit
        row.addWidget(self.label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        buttons = QDialogButtonBox(self)
        self.notices_button = QPushButton(self.tr("Third-party notices…"), self)
        named(self.notices_button, "aboutNoticesButton", self.tr("Show the third-party notices and licences"))
        buttons.addButton(self.notices_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Close is the default and has the keyboard: the notices button, first in the tab order, took the focus and
        # with it (auto-default) the default frame and Enter
        self.notices_button.setAutoDefault(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        named(close, "aboutCloseButton", self.tr("Close the About box"))
        close.setDefault(True)
        close.setFocus(Qt.FocusReason.OtherFocusReason)
        self.notices_button.clicked.connect(self.show_notices)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), self.label.sizeHint().width() + 120), self.sizeHint().height())
        fit_to_screen(self)  # a 720-px screen, or 150 % scaling: never past the screen's edge

    def text(self) -> str:
        return self.label.text()

    def show_notices(self) -> NoticesWindow:
        if self.notices is None:
            self.notices = NoticesWindow(self)
        self.notices.show()
        self.notices.raise_()
        return self.notices
