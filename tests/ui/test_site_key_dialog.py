"""The site key's passphrase asked when the window starts: a wrong one says so and the dialog stays; the right one
unlocks the key for this process; a key file in the clear is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hemgenix_desktop.security.key_protection import secret, secret_given
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.services.site_key import question_at_start, warning_at_start
from hemgenix_desktop.ui.site_key import SiteKeyDialog

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
