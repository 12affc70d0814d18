"""The site key's PIN or passphrase, asked once when the program starts (services/site_key.py decides what to ask
and checks it): a dialog with a field that shows no characters, Unlock and Not now. A wrong entry shows the
sentence and the dialog stays open; Not now leaves the key locked (sealing then says so and seals nothing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from hemgenix_desktop.services.site_key import ask_with, unlock_with
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import MessageLabel, named


class SiteKeyDialog(QDialog):
    """Asks for ``question`` ("the PIN of the token …"), unlocks the site key in ``data_dir`` with it."""

    def __init__(self, data_dir: Path, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "siteKeyDialog", self.tr("Unlock the site's signing key"))
        self.setWindowTitle(self.tr("Hemgenix Prep: the site's signing key"))
        self.setStyleSheet(STYLE_SHEET)
        self.data_dir = data_dir
        self.given = ""  # the secret that unlocked the key (kept by the security layer for this process)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading_label(self.tr("Unlock the site's signing key"), "siteKeyHeading"))
        text = self.tr(
            "Records are signed with the site's key. Enter {question} now; it is kept only while the program runs."
        ).format(question=question)
        explanation = named(QLabel(text), "siteKeyExplanation", self.tr("What to enter and why"))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.secret_edit = named(QLineEdit(), "siteKeySecretEdit", question)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.secret_edit)
        self.message = MessageLabel("siteKeyMessage", self.tr("What is wrong with what was entered"))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.unlock_button = named(
            buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole),
            "siteKeyUnlockButton",
            self.tr("Unlock the site key"),
        )
        named(
            buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole),
            "siteKeyLaterButton",
            self.tr("Continue with the site key locked: nothing can be sealed"),
        )
        self.unlock_button.setDefault(True)
        buttons.accepted.connect(self._unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)

    def _unlock(self) -> None:
        given = self.secret_edit.text()
        problem = unlock_with(self.data_dir, given)
        self.secret_edit.clear()
        if problem:
            self.message.show_message(problem)
            self.secret_edit.setFocus()
            return
        self.given = given
        self.accept()


def ask_when_needed(data_dir: Path, parent: QWidget) -> None:
    """When sealing needs the secret and none was given (Not now at start, or a wrong one since), the same dialog
    asks, modal over ``parent``; closing it leaves the key locked and the sealing says so."""

    def ask(question: str) -> str | None:
        dialog = SiteKeyDialog(data_dir, question, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.given if accepted else None

    ask_with(ask)
