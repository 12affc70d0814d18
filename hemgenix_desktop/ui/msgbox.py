"""The one place the program opens a message box or a file dialog.

Nothing here blocks: every dialog is opened window-modal with ``open()`` and answers through a callback.
Tests replace these functions (``monkeypatch.setattr(msgbox, "ask", fake)``); callers therefore always call
them through the module (``msgbox.ask(...)``), never import the functions themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def ask(
    parent: QWidget,
    title: str,
    text: str,
    on_yes: Callable[[], None],
    *,
    yes_text: str,
    no_text: str,
) -> QMessageBox:
    """Ask a yes/no question; ``on_yes`` runs only when the user chooses ``yes_text``. No is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("questionBox")
    box.setAccessibleName(title)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("questionYesButton")
    yes.setAccessibleName(yes_text)
    no = box.addButton(no_text, QMessageBox.ButtonRole.RejectRole)
    no.setObjectName("questionNoButton")
    no.setAccessibleName(no_text)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(answered)
    box.open()
    return box


def inform(parent: QWidget, title: str, text: str) -> QMessageBox:
    """Tell the user something that needs no answer."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("informationBox")
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def choose_save_path(
    parent: QWidget, title: str, suggested: str, name_filter: str, on_chosen: Callable[[str], None]
) -> QFileDialog:
    """Ask where to save a file; ``on_chosen`` gets the path when the user confirms."""
    dialog = QFileDialog(parent, title, suggested, name_filter)
    dialog.setObjectName("saveFileDialog")
    dialog.setAccessibleName(title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(suggested)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog


def choose_folder(parent: QWidget, title: str, start: str, on_chosen: Callable[[str], None]) -> QFileDialog:
    """Ask for a folder (to save files into); ``on_chosen`` gets its path when the user confirms."""
    dialog = QFileDialog(parent, title, start)
    dialog.setObjectName("chooseFolderDialog")
    dialog.setAccessibleName(title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog
