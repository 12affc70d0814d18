"""The site key's PIN or passphrase, asked once when the program starts (services/site_key.py decides what to ask
and checks it): a dialog with a field that shows no characters, Unlock and Not now. A wrong entry shows the
sentence and the dialog stays open; Not now leaves the key locked (sealing then says so and seals nothing)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from hemgenix_desktop.services.site_key import MIN_PASSPHRASE, NEW_KEY_FILE_SECRET, ask_with, unlock_with
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import MessageLabel, named

_TEXT_WIDTH = 488  # the dialog's sentences wrap at this width


class SiteKeyDialog(QDialog):
    """Asks for ``question`` ("the PIN of the token …"), unlocks the site key in ``data_dir`` with it."""

    def __init__(self, data_dir: Path, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "siteKeyDialog", self.tr("Unlock the site's signing key"))
        self.setWindowTitle(self.tr("Hemgenix Prep: the site's signing key"))
        self.setStyleSheet(STYLE_SHEET)
        self.data_dir = data_dir
        self.given = ""  # the secret that unlocked the key (kept by the security layer for this process)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.new_key = question == NEW_KEY_FILE_SECRET  # no key yet: the one made now is encrypted with it
        heading = (
            self.tr("Choose the passphrase of the site's signing key")
            if self.new_key
            else self.tr("Unlock the site's signing key")
        )
        self.heading = heading_label(heading, "siteKeyHeading")
        layout.addWidget(self.heading)
        text = (
            self.tr(
                "There is no site key on this workstation yet. One is made now to sign this record, kept in a file "
                "encrypted with the passphrase you choose here (at least {n} characters). Keep it safe: it is asked "
                "for whenever the program starts, and without it nothing can be signed."
            ).format(n=MIN_PASSPHRASE)
            if self.new_key
            else self.tr(
                "Records are signed with the site's key. Enter {question} now; it is kept only while the program runs."
            ).format(question=question)
        )
        explanation = named(QLabel(text), "siteKeyExplanation", self.tr("What to enter and why"))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.secret_edit = named(QLineEdit(), "siteKeySecretEdit", question)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.secret_edit)
        self.repeat_edit = named(QLineEdit(), "siteKeyRepeatEdit", self.tr("The same passphrase again"))
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit.setPlaceholderText(self.tr("The same passphrase again"))
        self.repeat_edit.setVisible(self.new_key)
        layout.addWidget(self.repeat_edit)
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
        if self.new_key:
            self.unlock_button.setText(self.tr("Use this passphrase"))
            self.secret_edit.setPlaceholderText(self.tr("The passphrase you choose"))
        self.unlock_button.setDefault(True)
        buttons.accepted.connect(self._unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        for label in (self.heading, explanation):  # wrapped at the text's width, with their whole height (a layout's
            label.setMinimumWidth(_TEXT_WIDTH)  # minimum size leaves out the height a wrapped label needs)
            label.setMinimumHeight(label.heightForWidth(_TEXT_WIDTH))

    def _unlock(self) -> None:
        given = self.secret_edit.text()
        problem = self._new_passphrase_problem(given) if self.new_key else ""
        problem = problem or unlock_with(self.data_dir, given)
        self.secret_edit.clear()
        self.repeat_edit.clear()
        if problem:
            self.message.show_message(problem)
            self.secret_edit.setFocus()
            return
        self.given = given
        self.accept()

    def _new_passphrase_problem(self, given: str) -> str:
        """A new key's passphrase is typed twice (a typo would lock the key for good) and long enough."""
        if len(given) < MIN_PASSPHRASE:
            return self.tr("The passphrase must have at least {n} characters; choose a longer one.").format(
                n=MIN_PASSPHRASE
            )
        if self.repeat_edit.text() != given:
            return self.tr("The two passphrases differ. Type the one you choose in both fields.")
        return ""


@dataclass(eq=False)
class _Question:
    """One question handed from the thread that signs to the GUI thread, and its answer."""

    text: str
    answer: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Asker(QObject):
    """Asks on the GUI thread, whatever thread needs the secret. Sealing signs on Qt's thread pool
    (``ui.background.run_busy``); the security layer calls the prompt there. A dialog made and closed on that thread
    froze the program (found on a real display: two seals in three hung, Qt saying "Cannot set parent, new parent is
    in a different thread"). So that thread hands the question over and waits (the wait lets the GUI thread run
    Python); the dialog runs on the GUI thread; the answer goes back. When the program quits meanwhile, the waiting
    thread gets no answer (the sealing then says the key is locked)."""

    wanted = Signal(object)

    def __init__(self, data_dir: Path, window: QWidget) -> None:
        super().__init__(window)
        self.data_dir = data_dir
        self.window = window
        self._waiting: set[_Question] = set()
        self.wanted.connect(self._answer)  # from another thread: queued to this object's (the GUI) thread
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._release)

    def ask(self, question: str) -> str | None:
        if QThread.currentThread() == self.thread():
            return self._dialog(question)
        asked = _Question(question)
        self._waiting.add(asked)
        self.wanted.emit(asked)
        asked.done.wait()
        return asked.answer

    def _answer(self, asked: _Question) -> None:
        try:
            asked.answer = self._dialog(asked.text)
        finally:
            self._waiting.discard(asked)
            asked.done.set()

    def _dialog(self, question: str) -> str | None:
        dialog = SiteKeyDialog(self.data_dir, question, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.given if accepted else None

    def _release(self) -> None:
        for asked in list(self._waiting):
            asked.done.set()


def ask_when_needed(data_dir: Path, parent: QWidget) -> None:
    """When sealing needs the secret and none was given (Not now at start, or a wrong one since), the same dialog
    asks, modal over ``parent``, on the GUI thread (:class:`_Asker`); closing it leaves the key locked and the sealing
    says so."""
    ask_with(_Asker(data_dir, parent).ask)
