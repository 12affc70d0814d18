"""The scan field as a keyboard-wedge scanner drives it: fast keys, GS as Ctrl+], a stand-in, Enter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.carton import GS
from hemgenix_desktop.ui.scanfield import GS_SHOWN, ScanField
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.conftest import WizardFactory
from tests.ui.helpers import find, kit_code, next_enabled, text_of, type_text, walk_to


def wedge_types(qtbot: QtBot, field: ScanField, data: str) -> None:
    """Send ``data`` key by key as a wedge scanner does; GS arrives as Ctrl+] carrying the GS character."""
    for char in data:
        if char == GS:
            QApplication.sendEvent(
                field,
                QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier, GS),
            )
        else:
            QTest.keyClicks(field, char)


def test_a_plain_line_edit_would_drop_the_group_separator(qtbot: QtBot) -> None:
    field = ScanField()
    qtbot.addWidget(field)
    wedge_types(qtbot, field, "10LOT1" + GS + "21SER1")
    assert field.text() == "10LOT1" + GS_SHOWN + "21SER1"
    assert field.scan_data() == "10LOT1" + GS + "21SER1"


@pytest.mark.slow
def test_scanning_with_enter_shows_the_kit_at_once(qtbot: QtBot, wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    with qtbot.waitSignal(field.scanned, timeout=1000) as blocker:
        wedge_types(qtbot, field, kit_code())
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == [kit_code()]
    # no waiting: the result is on screen in the same event-loop turn as the Enter key
    assert text_of(wizard, "kitLotValue") == "LOT1"
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"  # the count is blind (issue 21)
    assert text_of(wizard, "kitScanResultMessage") == (
        "This is the kit for this dose, in date on the infusion date. Now count the vials."
    )
    assert find(wizard, ScanField, "kitScanField").selectedText() == field.text()  # the next scan replaces it


def test_the_configured_stand_in_is_accepted(qtbot: QtBot, new_wizard: WizardFactory) -> None:
    wizard = new_wizard(gs_standin="|")
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    QTest.keyClicks(field, kit_code().replace(GS, "|"))
    QTest.keyClick(field, Qt.Key.Key_Enter)
    assert text_of(wizard, "kitSerialValue") == "SER1"


def test_without_the_stand_in_configured_the_scan_says_what_to_do(qtbot: QtBot, wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    QTest.keyClicks(field, kit_code().replace(GS, "|"))
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert text_of(wizard, "kitScanMessage") == (
        "The scan contains “|”, which a GS1 code never holds. If the scanner sends it for the group separator, "
        "set it as the scanner's separator stand-in in Settings. Scan the DataMatrix on the kit carton again."
    )
    assert not next_enabled(wizard)


def test_enter_in_the_scan_field_never_presses_next(qtbot: QtBot, wizard: PreparationWizard) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    type_text(wizard, "kitVialCountEdit", "")
    field.set_scan_text(kit_code())
    QTest.keyClick(field, Qt.Key.Key_Return)
    type_text(wizard, "kitVialCountEdit", "15")
    assert next_enabled(wizard)
    QTest.keyClick(field, Qt.Key.Key_Return)  # a second scan of the same carton
    assert wizard.current_key() == "kit"
    # where it is safe, Enter is Next: the vial count field passes Enter on to the wizard
    QTest.keyClick(find(wizard, QLineEdit, "kitVialCountEdit"), Qt.Key.Key_Return)
    assert wizard.current_key() == "preparation"


def test_editing_the_scan_after_reading_it_asks_for_a_new_scan(qtbot: QtBot, wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    field.set_scan_text(kit_code())
    field.emit_scan()
    QTest.keyClicks(field, "X")
    assert text_of(wizard, "kitVialsValue") == "—"
    assert text_of(wizard, "kitStatusMessage") == "Scan the DataMatrix on the outer kit carton."
