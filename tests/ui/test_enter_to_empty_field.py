"""Enter in a field of a wizard page that is not complete puts the cursor in the next empty field (the rule of every
page, ``PreparationPage``): what is typed next never lands after the field's own text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import find, walk_to


@pytest.fixture
def shown(qtbot: QtBot, wizard: PreparationWizard) -> PreparationWizard:
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return wizard


def test_enter_in_the_identifier_goes_to_the_empty_date_of_birth(qtbot: QtBot, shown: PreparationWizard) -> None:
    walk_to(shown, "identity")
    identifier = find(shown, QLineEdit, "identityCartonIdEdit")
    born = find(shown, QLineEdit, "identityDateOfBirthEdit")
    qtbot.waitUntil(identifier.hasFocus)
    QTest.keyClicks(identifier, "HGX-PSI-7731")
    QTest.keyClick(identifier, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is born
    QTest.keyClicks(QApplication.focusWidget(), "1980-03-15")
    assert (identifier.text(), born.text()) == ("HGX-PSI-7731", "1980-03-15")
    QTest.keyClick(born, Qt.Key.Key_Return)  # both filled: Enter compares, and stays
    assert shown.current_key() == "identity"
    assert find(shown, QLineEdit, "identityDateOfBirthEdit").hasFocus()


def test_enter_on_another_page_goes_to_its_next_empty_field_from_the_top_again(
    qtbot: QtBot, shown: PreparationWizard
) -> None:
    walk_to(shown, "weight")
    weight = find(shown, QLineEdit, "weightEdit")
    measured = find(shown, QLineEdit, "weightMeasuredAtEdit")
    qtbot.waitUntil(weight.hasFocus)
    QTest.keyClicks(weight, "72")
    QTest.keyClick(weight, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is measured
    QTest.keyClicks(measured, "2026-11-29 08:15")
    weight.clear()
    QTest.keyClick(measured, Qt.Key.Key_Return)  # after the last field, the first empty one from the top
    assert QApplication.focusWidget() is weight
    assert shown.current_key() == "weight"
