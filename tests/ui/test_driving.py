"""The one GUI driver (hemgenix_desktop/ui/driving.py) the smoke test and the UI tests share: what it does when
the screen is not as the step expects."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.driving import NotOnScreen, choose, click, find, type_text


def screen(qtbot: QtBot) -> QWidget:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    button = QPushButton("Sign")
    button.setObjectName("signButton")
    button.setEnabled(False)
    edit = QLineEdit()
    edit.setObjectName("nameEdit")
    combo = QComboBox()
    combo.setObjectName("methodCombo")
    combo.addItem("Standing scale", "Standing scale")
    for widget in (button, edit, combo):
        layout.addWidget(widget)
    return root


def test_a_missing_widget_and_a_disabled_button_are_said_in_a_sentence(qtbot: QtBot) -> None:
    root = screen(qtbot)
    with pytest.raises(NotOnScreen, match=r"^the screen has no QLineEdit named weightEdit$"):
        type_text(root, "weightEdit", "72")
    with pytest.raises(NotOnScreen, match=r"^signButton is disabled$"):
        click(root, "signButton")
    with pytest.raises(NotOnScreen, match=r"^Bed scale is not in methodCombo$"):
        choose(root, "methodCombo", "Bed scale")
    assert issubclass(NotOnScreen, AssertionError)  # a test that meets it fails


def test_typing_arrives_as_a_person_types(qtbot: QtBot) -> None:
    root = screen(qtbot)
    edit = find(root, QLineEdit, "nameEdit")
    with qtbot.waitSignals([edit.textEdited, edit.editingFinished]):
        type_text(root, "nameEdit", "Alex Example")
    assert edit.text() == "Alex Example"
    choose(root, "methodCombo", "Standing scale")
    assert find(root, QComboBox, "methodCombo").currentData() == "Standing scale"
