"""The site key's passphrase asked when the window starts: a wrong one says so and the dialog stays; the right one
unlocks the key for this process; a key file in the clear is reported."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.security.key_protection import secret, secret_given
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.services.site_key import question_at_start, warning_at_start
from hemgenix_desktop.ui.site_key import SiteKeyDialog, ask_when_needed

SECRET = "test passphrase of the site key"


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # Qt's offscreen note
def test_the_dialog_asks_until_the_passphrase_is_right(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_site_certificate(tmp_path, "St. Example")
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    question = question_at_start(tmp_path)
    assert question == "the passphrase of the site key file"
    dialog = SiteKeyDialog(tmp_path, question)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.secret_edit.isVisible)
    qtbot.keyClicks(dialog.secret_edit, "not the passphrase")
    qtbot.keyClick(dialog.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text().startswith("The passphrase of the site key file is wrong, so nothing was signed")
    assert dialog.isVisible()
    assert dialog.secret_edit.text() == ""
    assert not secret_given()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClicks(dialog.secret_edit, SECRET)
        qtbot.keyClick(dialog.secret_edit, Qt.Key.Key_Return)
    assert secret("unused") == SECRET
    assert dialog.given == SECRET
    assert question_at_start(tmp_path) == ""  # given: not asked again


def test_nothing_is_asked_without_a_key_and_a_key_in_the_clear_is_reported(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    assert question_at_start(tmp_path / "none") == ""
    site = create_site_certificate(tmp_path, "St. Example")
    assert warning_at_start(tmp_path) == ""
    key = serialization.load_pem_private_key(site.key_path.read_bytes(), password=SECRET.encode())
    site.key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    assert warning_at_start(tmp_path).startswith(f"The site key file {site.key_path} is not encrypted")


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # Qt's offscreen note
def test_a_thread_that_signs_gets_the_passphrase_from_a_dialog_on_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sealing signs on Qt's thread pool, and the security layer asks for the passphrase there. The dialog must be
    made and run on the GUI thread: made on the signing thread it froze the program (two seals in three, on a real
    display). Here a thread of its own asks, as the sealing does; the dialog appears on the GUI thread, the
    passphrase typed there goes back to the thread."""
    create_site_certificate(tmp_path, "St. Example")
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    ask_when_needed(tmp_path, window)
    on_gui_thread: list[bool] = []

    def answer() -> None:  # runs inside the dialog's own event loop once it shows
        dialog = window.findChild(SiteKeyDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, answer)
            return
        app = QCoreApplication.instance()
        assert app is not None
        on_gui_thread.append(dialog.thread() == app.thread())
        QTest.keyClicks(dialog.secret_edit, SECRET)
        QTest.keyClick(dialog.secret_edit, Qt.Key.Key_Return)

    answers: list[str] = []
    signer = threading.Thread(target=lambda: answers.append(secret("the passphrase of the site key file")))
    QTimer.singleShot(0, answer)
    signer.start()
    qtbot.waitUntil(lambda: not signer.is_alive(), timeout=10_000)
    assert answers == [SECRET]
    assert on_gui_thread == [True]


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # Qt's offscreen note
def test_with_no_key_yet_the_passphrase_is_chosen_and_typed_twice(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no site key yet, the first seal makes one encrypted with the passphrase asked for: the dialog says it is
    chosen now (not "enter the passphrase of the key file", which does not exist) and asks for it twice."""
    from hemgenix_desktop.security.site_keys import ready_to_sign

    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    window = QWidget()
    qtbot.addWidget(window)
    ask_when_needed(tmp_path, window)
    typed = [("short", "short"), (SECRET, SECRET + "x"), (SECRET, SECRET)]
    messages: list[str] = []

    def answer() -> None:
        if not typed:  # all typed: the dialog has closed
            return
        dialog = window.findChild(SiteKeyDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, answer)
            return
        if len(typed) == 3:
            messages.append(dialog.findChild(QLabel, "siteKeyHeading").text())  # type: ignore[union-attr]
        if dialog.message.isVisible():
            messages.append(dialog.message.text())
        first, second = typed.pop(0)
        QTest.keyClicks(dialog.secret_edit, first)
        QTest.keyClicks(dialog.repeat_edit, second)
        QTest.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
        QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    ready_to_sign(tmp_path)  # as sealing does first, on the GUI thread here
    assert messages == [
        "Choose the passphrase of the site's signing key",
        "The passphrase must have at least 8 characters; choose a longer one.",
        "The two passphrases differ. Type the one you choose in both fields.",
    ]
    assert secret("unused") == SECRET
