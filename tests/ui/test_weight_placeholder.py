"""The weight page at 1366×768: every placeholder is read whole (testers saw "The weight read from the s…"); the
full sentence is the field's hint under it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStyle, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.storage import Store
from tests.ui.helpers import fill_order, press_next, walk_to
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in, wizard_of

pytestmark = OFFSCREEN_NOISE


def cut_placeholders(page: QWidget) -> list[str]:
    """The placeholders of the visible, empty fields of ``page`` that do not fit their field."""
    cut = []
    for edit in page.findChildren(QLineEdit):
        text = edit.placeholderText()
        if not text or edit.text() or not edit.isVisible():
            continue
        frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
        needed = edit.fontMetrics().horizontalAdvance(text) + 2 * 2 + 2 * frame  # QLineEdit's margin: 2 px a side
        if needed > edit.width():
            cut.append(f"{edit.objectName()}: “{text}” needs {needed} px of {edit.width()}")
    return cut


def test_the_weight_page_shows_its_placeholders_whole_at_1366_by_768(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.resize(1366, 768)
    window.show()
    sign_in(window, "ttech")
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    walk_to(wizard, "weight")
    QApplication.processEvents()
    page = wizard.currentPage()
    assert cut_placeholders(page) == []
    hints = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert "The weight read from the scale today." in hints  # the whole sentence, as the field's hint
