"""Enter on a focused button of the main window presses it (``ui.widgets.EnterPressesButtons``); a field's Enter
stays the field's, and a dialog's buttons keep Qt's rule (its default button)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.widgets import EnterPressesButtons
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import find, walk_to
from tests.ui.main_helpers import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def _window(qtbot: QtBot) -> tuple[QWidget, QPushButton, QLineEdit, list[str]]:
    window = QWidget()
    qtbot.addWidget(window)
    EnterPressesButtons(window)
    layout = QVBoxLayout(window)
    field, button = QLineEdit(), QPushButton("Close")
    pressed: list[str] = []
    button.clicked.connect(lambda: pressed.append("button"))
    field.returnPressed.connect(lambda: pressed.append("field"))
    layout.addWidget(field)
    layout.addWidget(button)
    window.show()
    qtbot.waitExposed(window)
    return window, button, field, pressed


def test_enter_and_the_keypad_enter_press_the_focused_button(qtbot: QtBot) -> None:
    window, button, _, pressed = _window(qtbot)  # the window kept: its widgets live with it
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Return)
    QTest.keyClick(button, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert pressed == ["button", "button"]
    QTest.keyClick(button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # not a plain Enter
    button.setEnabled(False)
    QTest.keyClick(button, Qt.Key.Key_Return)
    assert pressed == ["button", "button"]
    assert window.isVisible()


def test_a_fields_enter_is_the_fields(qtbot: QtBot) -> None:
    window, _, field, pressed = _window(qtbot)
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert pressed == ["field"]
    assert window.isVisible()


def test_a_dialogs_buttons_keep_qts_rule(qtbot: QtBot) -> None:
    window, _, _, pressed = _window(qtbot)
    dialog = QDialog(window)
    inside = QPushButton("Inside", dialog)
    inside.setAutoDefault(False)
    inside.clicked.connect(lambda: pressed.append("dialog"))
    dialog.show()
    qtbot.waitExposed(dialog)
    inside.setFocus()
    QTest.keyClick(inside, Qt.Key.Key_Return)
    assert pressed == []  # not this window's button: the dialog decides


def test_in_a_dialog_enter_presses_the_focused_button_and_otherwise_the_default(qtbot: QtBot) -> None:
    """As in the reprint box: the record's buttons (not the default) inside a dialog whose default button is OK."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    actions = QWidget()
    EnterPressesButtons(actions)
    save = QPushButton("Save PDFs…", actions)
    save.setAutoDefault(False)
    field, ok = QLineEdit(), QPushButton("OK")
    ok.setDefault(True)
    pressed: list[str] = []
    save.clicked.connect(lambda: pressed.append("save"))
    ok.clicked.connect(lambda: pressed.append("ok"))
    for widget in (actions, field, ok):
        layout.addWidget(widget)
    dialog.show()
    qtbot.waitExposed(dialog)
    save.setFocus()
    QTest.keyClick(save, Qt.Key.Key_Return)
    assert pressed == ["save"]
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return)  # no button has the keyboard: the default button's
    assert pressed == ["save", "ok"]


def test_enter_on_the_weight_pages_now_button_presses_it(qtbot: QtBot, wizard: PreparationWizard) -> None:
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "weight")
    now = find(wizard, QPushButton, "weightMeasuredNowButton")
    now.setFocus()
    qtbot.waitUntil(now.hasFocus)
    QTest.keyClick(now, Qt.Key.Key_Return)
    assert find(wizard, QLineEdit, "weightMeasuredAtEdit").text() != ""
    assert wizard.current_key() == "weight"
