"""A whole preparation with the keyboard alone, as a tired technician and a pharmacist do it: from the sign-in
through every page to the sealed record, with key presses on the focused widget only (QTest key clicks; no
widget's method is called to fill, choose, scan or press anything)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.carton import format_bracketed
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.main_window import MainWindow
from tests.helpers.people import PASSWORDS
from tests.ui.helpers import LAB_DATE, LABORATORY, ORDER, PREPARATION_ANSWERS
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services

SPACE, DOWN, RIGHT, RETURN = "<space>", "<down>", "<right>", "<return>"
KEYS = {SPACE: Qt.Key.Key_Space, DOWN: Qt.Key.Key_Down, RIGHT: Qt.Key.Key_Right, RETURN: Qt.Key.Key_Return}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    return widget


def enter() -> None:
    QTest.keyClick(focused(), Qt.Key.Key_Return)


def answer_by_tab(answers: dict[str, str], limit: int = 120) -> None:
    """Tab from field to field from where the cursor is; type each answer into the widget named by it (a key in
    ``KEYS`` is pressed instead of typed). Fails when Tab never reaches one of them."""
    pending = dict(answers)
    for _ in range(limit):
        widget = focused()
        value = pending.pop(widget.objectName(), None)
        if value in KEYS:
            QTest.keyClick(widget, KEYS[value])
        elif value is not None:
            QTest.keyClicks(widget, value)
        if not pending:
            return
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {sorted(pending)}")


def checklist_answers() -> dict[str, str]:
    choices = {"Biological safety cabinet": "0", "Passes inspection": "0"}
    answers: dict[str, str] = {}
    for item_id, value in PREPARATION_ANSWERS.items():
        if value is True:
            answers[f"checkItem_{item_id}"] = SPACE
        elif isinstance(value, str) and value in choices:
            answers[f"checkItem_{item_id}_{choices[value]}"] = SPACE
        else:
            answers[f"checkItem_{item_id}"] = str(value)
    return answers


ADMINISTRATION = (
    "single_dose_iv",
    "no_push_or_bolus",
    "own_line",
    "no_central_line",
    "inline_filter",
    "infusion_rate",
    "complete_within_24h",
)


@pytest.mark.slow
@OFFSCREEN_NOISE
def test_a_whole_preparation_with_key_presses_only(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    add_people(store)
    window: MainWindow = make_main(services(store, data_dir=tmp_path / "data"), qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: focused().objectName() == "signInUsernameEdit")
    QTest.keyClicks(focused(), "ttech")
    enter()  # to the password
    QTest.keyClicks(focused(), PASSWORDS["ttech"])
    enter()  # signed in (the password is checked off the GUI thread): no unfinished preparation, so the order page
    qtbot.waitUntil(lambda: window.wizard is not None)
    wizard = window.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: focused().objectName() == "orderPatientNameEdit")
    answer_by_tab({**ORDER, "orderWeightUnitKg": SPACE})
    enter()
    assert wizard.current_key() == "eligibility"

    # An arrow on an unanswered group answers it (no Space): Yes → No for the earlier gene therapy.
    answer_by_tab(
        {
            "eligibilityAuthorizationYes": SPACE,
            "eligibilityPriorGeneTherapyYes": DOWN,
            "eligibilityInhibitorEdit": "0.1",
            "eligibilityInhibitorDateEdit": LAB_DATE,
            "eligibilityInhibitorLabEdit": LABORATORY,
            "eligibilityTitreEdit": "1:300",
            "eligibilityTitreDateEdit": LAB_DATE,
            "eligibilityTitreLabEdit": LABORATORY,
            "eligibilityAssay7": RIGHT,  # the 9-point assay, chosen by the arrow
        }
    )
    assert wizard.preparation.eligibility is None  # not committed yet
    enter()
    assert wizard.current_key() == "identity"

    answer_by_tab({"identityCartonIdEdit": ORDER["orderPatientIdEdit"], "identityDateOfBirthEdit": "1980-03-15"})
    enter()  # compares, and stays: the green match is on screen
    assert wizard.current_key() == "identity"
    assert wizard.findChild(QWidget, "identityResultMessage").isVisible()
    enter()
    assert wizard.current_key() == "weight"

    answer_by_tab(
        {
            "weightEdit": "72",
            "weightUnitKg": SPACE,
            "weightMeasuredAtEdit": "2026-11-29 08:15",
            "weightMethodCombo": "Standing",
        }
    )
    enter()
    assert wizard.current_key() == "kit"

    kit = kit_catalogue().by_vials(15)
    assert kit is not None
    assert focused().objectName() == "kitScanField"
    QTest.keyClicks(focused(), format_bracketed(kit.gtin, date(2027, 5, 31), "LOT1", "SER1"))  # typed, no scanner
    enter()  # the scan is read: the cursor moves on to the count
    assert focused().objectName() == "kitVialCountEdit"
    QTest.keyClicks(focused(), "15")
    enter()
    assert wizard.current_key() == "preparation"

    answer_by_tab(checklist_answers())
    enter()
    assert wizard.current_key() == "administration"
    answer_by_tab({f"checkItem_{item_id}": SPACE for item_id in ADMINISTRATION})
    enter()
    assert wizard.current_key() == "review"

    assert focused().objectName() == "reviewConfirmCheck"
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    enter()  # Finish review: the signatures, which open a piece per turn of the event loop ("Opening the signatures…")
    qtbot.waitUntil(lambda: window.signing is not None)
    flow = window.signing
    assert flow is not None
    prep_id = flow.prep.id

    qtbot.waitUntil(lambda: focused().objectName() in ("signPreparerUsernameEdit", "signPreparerPasswordEdit"))
    if focused().objectName() == "signPreparerUsernameEdit":
        QTest.keyClicks(focused(), "ttech")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), PASSWORDS["ttech"])
    enter()
    qtbot.waitUntil(lambda: flow.current_key() == "signVerifier")
    assert focused().objectName() == "signVerifierUsernameEdit"
    QTest.keyClicks(focused(), "ppharm")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), PASSWORDS["ppharm"])
    enter()
    qtbot.waitUntil(lambda: flow.current_key() == "blindCheck")
    answer_by_tab(
        {
            "blindCheckWeightEdit": "72",
            "blindCheckWeightUnitKg": SPACE,
            "blindCheckVialsEdit": "15",
            "blindCheckDoseEdit": "144",
        }
    )
    with qtbot.waitSignal(flow.sealed, timeout=60_000):
        enter()
    qtbot.waitUntil(lambda: flow.current_key() == "done", timeout=60_000)  # the PDFs are made and saved
    assert store.summary(prep_id).status is PreparationStatus.SEALED
    assert "is sealed" in window.statusBar().currentMessage()

    # Close, then Start a new preparation: the next patient's order does not show "Record … is sealed". Enter
    # presses the button that has the keyboard, as Space does (Qt leaves Enter to a dialog's default button)
    answer_by_tab({"doneCloseButton": RETURN})
    assert window.stack.currentWidget() is window.resume
    assert focused().objectName() == "resumeStartNewButton"  # the list is empty
    enter()  # the wizard opens a piece per turn ("Opening the preparation…")
    qtbot.waitUntil(lambda: window.wizard is not None and focused().objectName() == "orderPatientNameEdit")
    assert window.statusBar().currentMessage() == ""
