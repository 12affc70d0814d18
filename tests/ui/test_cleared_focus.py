"""After a change on an earlier page cleared answers on a later one (a new weight from Review), that page opens with the
cursor on the first answer cleared, scrolled into view: not on its first item, off-screen, where what was typed next
was lost."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import fill_kit, fill_weight, find, press_next, walk_to


def test_the_preparation_page_opens_on_the_volume_a_new_weight_cleared(qtbot: QtBot, wizard: PreparationWizard) -> None:
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "review")
    wizard.go_to("weight")
    fill_weight(wizard, weight="73", measured="2026-11-29 08:40")
    press_next(wizard)
    fill_kit(wizard)
    press_next(wizard)
    assert wizard.current_key() == "preparation"
    volume = find(wizard, QLineEdit, "checkItem_volume_drawn_ml")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is volume)
    qtbot.waitUntil(lambda: not volume.visibleRegion().isEmpty())  # scrolled into view
    QTest.keyClicks(volume, "146")
    assert volume.text() == "146"
