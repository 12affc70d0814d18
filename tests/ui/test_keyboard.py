"""Keyboard-only operation: the cursor starts in the first field, Tab goes field by field, Enter is Next."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import ORDER, walk_to


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


@pytest.fixture
def shown(qtbot: QtBot, wizard: PreparationWizard) -> PreparationWizard:
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return wizard


@pytest.mark.slow
def test_the_order_page_is_filled_with_the_keyboard_alone(shown: PreparationWizard) -> None:
    assert focused().objectName() == "orderPatientNameEdit"
    for name, value in ORDER.items():
        assert focused().objectName() == name
        QTest.keyClicks(focused(), value)
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        if name == "orderWeightEdit":  # the unit's radio buttons come next: Space chooses kg
            assert focused().objectName() == "orderWeightUnitKg"
            QTest.keyClick(focused(), Qt.Key.Key_Space)
            QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClick(shown.pages["order"].findChild(QWidget, "orderInfusionDateEdit"), Qt.Key.Key_Return)
    assert shown.current_key() == "eligibility"  # Enter pressed Next
    assert focused().objectName() == "eligibilityAuthorizationYes"


def test_the_kit_page_opens_ready_for_the_scanner(shown: PreparationWizard) -> None:
    walk_to(shown, "kit")
    assert focused().objectName() == "kitScanField"
