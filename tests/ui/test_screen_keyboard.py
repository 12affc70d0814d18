"""The keyboard and the screen as a tired technician meets them: where the cursor is when a page opens, the focus
frame, the scroll bar, a good scan moving on to the count, Enter on the list, arrows on a radio group, the
identity match seen before Next, the practice mode's words and its codes' text size."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.carton import format_element_string
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.driving import settle
from hemgenix_desktop.ui.practice_sheet import PracticeSheetDialog
from hemgenix_desktop.ui.style import FOCUS_COLOUR
from hemgenix_desktop.ui.widgets import ChoiceGroup
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.conftest import Boxes, WizardFactory
from tests.ui.helpers import fill_order, kit_code, press_next, walk_to
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in, unlock, wizard_of

pytestmark = OFFSCREEN_NOISE


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    return widget


@pytest.fixture
def shown(qtbot: QtBot, wizard: PreparationWizard) -> PreparationWizard:
    wizard.resize(1366, 768)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return wizard


def test_in_the_main_window_the_order_page_opens_with_the_cursor_in_the_name(qtbot: QtBot, store: Store) -> None:
    """It opened with the focus on Cancel: the letters typed went nowhere and Space cancelled the preparation."""
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    sign_in(window, "ttech")
    qtbot.waitUntil(lambda: focused().objectName() == "orderPatientNameEdit")
    QTest.keyClicks(focused(), "Alex Example")
    assert wizard_of(window).findChild(QLineEdit, "orderPatientNameEdit").text() == "Alex Example"
    assert window.wizard is not None  # Space went into the name, not onto Cancel


def test_escape_with_something_typed_asks_first(shown: PreparationWizard, boxes: Boxes) -> None:
    QTest.keyClicks(focused(), "A")
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert [title for title, _text, _yes in boxes.asked] == ["Leave this preparation?"]
    assert shown.isVisible()


def _colour_at_left_edge(widget: QWidget) -> QColor:
    return widget.grab().toImage().pixelColor(0, widget.height() // 2)


def test_the_field_with_the_cursor_has_a_visible_frame(shown: PreparationWizard) -> None:
    name = shown.findChild(QLineEdit, "orderPatientNameEdit")
    other = shown.findChild(QLineEdit, "orderMrnEdit")
    assert focused() is name
    assert _colour_at_left_edge(name) == QColor(FOCUS_COLOUR)
    assert _colour_at_left_edge(other) != QColor(FOCUS_COLOUR)


def test_the_scroll_bar_of_a_page_that_scrolls_is_dark_on_light(shown: PreparationWizard) -> None:
    walk_to(shown, "preparation")
    bar = shown.pages["preparation"].scroll_area.verticalScrollBar()
    assert bar.isVisible()  # page 6 is taller than a 768-px screen
    image = bar.grab().toImage()
    handle = image.pixelColor(bar.width() // 2, 10)  # at the top: the page is scrolled to its top
    groove = image.pixelColor(bar.width() // 2, bar.height() - 3)
    assert handle.lightness() < 100
    assert groove.lightness() > 200


def test_the_review_opens_on_its_confirmation_in_sight(shown: PreparationWizard) -> None:
    """It opened on its first Change button (Space went back to the order); the tick box with the cursor is under
    the scrolling review, never scrolled out of sight."""
    walk_to(shown, "review")
    confirm = focused()
    assert confirm.objectName() == "reviewConfirmCheck"
    assert confirm.visibleRegion().boundingRect() == confirm.rect()


def test_a_good_scan_moves_the_cursor_to_the_count(shown: PreparationWizard) -> None:
    walk_to(shown, "kit")
    assert focused().objectName() == "kitScanField"
    QTest.keyClicks(focused(), kit_code().replace("\x1d", "|"), delay=0)  # typed: | is not GS here
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert focused().objectName() == "kitScanField"  # unreadable: the scan stays, selected, for the next one
    assert focused().hasSelectedText()  # type: ignore[attr-defined]
    field = focused()
    field.clear()  # type: ignore[attr-defined]
    kit = kit_catalogue().by_vials(15)
    assert kit is not None
    QTest.keyClicks(field, f"(01){kit.gtin}(17)270531(10)LOT1(21)SER1")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert focused().objectName() == "kitVialCountEdit"
    QTest.keyClicks(focused(), "15")
    assert shown.next_button().isEnabled()


def test_a_wedge_without_a_group_separator_is_told_the_setting_to_change(shown: PreparationWizard) -> None:
    walk_to(shown, "kit")
    kit = kit_catalogue().by_vials(15)
    assert kit is not None
    sent = format_element_string(kit.gtin, date(2027, 5, 31), "LOT1", "SER1", separator="")
    QTest.keyClicks(focused(), sent)
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    message = shown.findChild(QLabel, "kitScanMessage").text()
    assert "gs_standin" in message
    assert f"It read “{sent}”" in message
    assert "LOT121SER1" in message


def test_an_arrow_answers_an_unanswered_radio_pair(shown: PreparationWizard) -> None:
    walk_to(shown, "eligibility")
    assert focused().objectName() == "eligibilityAuthorizationYes"
    group = shown.findChild(ChoiceGroup, "eligibilityAuthorization")
    assert group.value() is None
    QTest.keyClick(focused(), Qt.Key.Key_Up)  # the first already: the arrow chooses it
    assert group.value() == "yes"
    prior = shown.findChild(ChoiceGroup, "eligibilityPriorGeneTherapy")
    yes = shown.findChild(QRadioButton, "eligibilityPriorGeneTherapyYes")
    yes.setFocus()
    QTest.keyClick(yes, Qt.Key.Key_Right)
    assert prior.value() == "no"
    assert focused().objectName() == "eligibilityPriorGeneTherapyNo"


def test_enter_on_the_identity_match_stays_until_the_next_enter(shown: PreparationWizard) -> None:
    walk_to(shown, "identity")
    QTest.keyClicks(focused(), "HGX-PSI-7731")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "1980-03-15")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert shown.current_key() == "identity"  # the green match is on screen
    result = shown.findChild(QLabel, "identityResultMessage")
    assert result.isVisible()
    assert "match" in result.text()
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert shown.current_key() == "weight"


def test_enter_on_an_identity_mismatch_shows_the_stop_and_stays(shown: PreparationWizard) -> None:
    walk_to(shown, "identity")
    QTest.keyClicks(focused(), "HGX-PSI-0000")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "1980-03-15")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert shown.current_key() == "identity"
    assert shown.pages["identity"].current_stop() != ""


@pytest.mark.slow
def test_enter_on_the_unfinished_list_resumes_the_selected_one(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    sign_in(window, "ttech")
    fill_order(wizard_of(window))
    press_next(wizard_of(window))
    window.show_home()  # the saved draft is listed
    assert window.stack.currentWidget() is window.resume
    qtbot.waitUntil(lambda: focused() is window.resume.table)
    with qtbot.waitSignal(window.resume.resume_requested) as requested:
        QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert requested.args == [window.resume.summaries[0].id]
    settle()  # the wizard opens in pieces (ui/wizard_host.py)
    assert window.wizard is not None
    assert window.wizard.current_key() == "eligibility"


def test_practice_mode_says_the_order_is_filled_in(new_wizard: WizardFactory) -> None:
    """It said "Nothing is filled in for you" over the demo order it had filled in."""
    practice = new_wizard(practice=True)
    texts = [label.text() for label in practice.pages["order"].findChildren(QLabel)]
    assert practice.findChild(QLineEdit, "orderPatientNameEdit").text() != ""
    assert not any("Nothing is filled in for you" in text for text in texts)
    assert any("filled in for you" in text for text in texts)
    real = new_wizard()
    assert real.findChild(QLineEdit, "orderPatientNameEdit").text() == ""
    assert any("Nothing is filled in for you" in label.text() for label in real.pages["order"].findChildren(QLabel))


SMALLEST_SHEET_TEXT_PX = 20  # the sheet's smallest font ("PRACTICE — synthetic code"), in sheet pixels


def test_the_practice_codes_text_is_shown_at_a_readable_size(qtbot: QtBot) -> None:
    """It was shown at half size, about 7 px high: the sheet now fills the dialog's width and scrolls."""
    dialog = PracticeSheetDialog(date(2026, 11, 29))
    qtbot.addWidget(dialog)
    dialog.resize(1229, 691)  # what a 1366×768 screen gives it
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.picture.shown_scale() * SMALLEST_SHEET_TEXT_PX >= 14


def test_after_an_unlock_the_cursor_is_back_where_it_was(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    sign_in(window, "ttech")
    qtbot.waitUntil(lambda: focused().objectName() == "orderPatientNameEdit")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused().objectName() == "orderMrnEdit"
    assert window.lock_now()
    unlock(window, "ttech")
    assert not window.is_locked()
    qtbot.waitUntil(lambda: focused().objectName() == "orderMrnEdit")  # not moved back to the first field
