"""Independent checks that are really independent, and stops recorded as they were met (issue 21), driven by key
presses: the blind vial count hides what it is compared with; no placeholder or hint holds a number that could be
an answer; a stop is recorded when the operator acts on a value, never on a keystroke; one dose per person."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain import checks, entry, signing
from hemgenix_desktop.domain.parsing import AmountWords, CountWords
from hemgenix_desktop.domain.preparation import EventKind
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage import PreparationNotFound, Store
from hemgenix_desktop.ui.pages.base import PAGE_KEYS, PreparationPage
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.helpers import people
from tests.helpers.people import PASSWORDS, TECHNICIAN
from tests.ui.conftest import Boxes
from tests.ui.helpers import (
    NOW,
    choose,
    click,
    fill_order,
    fill_preparation,
    find,
    kit_code,
    next_enabled,
    press_next,
    scan,
    text_of,
    type_text,
    walk_to,
)
from tests.ui.main_helpers import OFFSCREEN_NOISE, make_main, services, sign_in, wizard_of

pytestmark = OFFSCREEN_NOISE

# A number a user could copy into a field: any digit at all in a placeholder; in a hint, an example with a number.
EXAMPLE_WITH_A_NUMBER = re.compile(r"(for example|e\.g\.|such as)[^.]*\d", re.IGNORECASE)


def stops(wizard: PreparationWizard) -> list[str]:
    return [e.message for e in wizard.preparation.events if e.kind is EventKind.STOP]


def keys(widget: QWidget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClicks(widget, text)


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


# --- the blind vial count ---------------------------------------------------------------------------------------
def _kit_page_texts(wizard: PreparationWizard) -> str:
    page = wizard.currentPage()
    assert isinstance(page, PreparationPage)
    hidden_ok = {"kitLotValue", "kitExpiryValue", "kitSerialValue"}  # what the count is not compared with
    return " ".join(
        label.text() for label in page.findChildren(QLabel) if label.isVisible() and label.objectName() not in hidden_ok
    )


def test_the_kit_vial_count_is_hidden_until_the_count_is_entered(wizard: PreparationWizard, qtbot: QtBot) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "kit")
    scan(wizard, kit_code(15))
    count = find(wizard, QLineEdit, "kitVialCountEdit")
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"
    assert "15" not in _kit_page_texts(wizard)  # not the count, not the NDC's package code, not the GTIN
    keys(count, "1")  # half-way through typing: nothing is compared, nothing shown, nothing recorded
    assert "15" not in _kit_page_texts(wizard)
    assert text_of(wizard, "kitStopMessage") == ""
    keys(count, "4")
    assert text_of(wizard, "kitStopMessage") == ""
    enter(count)  # the count is entered: compared now
    assert text_of(wizard, "kitStopMessage").startswith(
        "You counted 14 vials: that is not the number this kit should hold. Stop: count again;"
    )
    assert "15" not in _kit_page_texts(wizard)  # a recount is never a copy
    assert stops(wizard) == [text_of(wizard, "kitStopMessage")]
    count.selectAll()
    keys(count, "15")
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"
    count.editingFinished.emit()  # leaving the field (the focus moves on) enters the count too
    assert text_of(wizard, "kitStopMessage") == ""
    assert text_of(wizard, "kitVialsValue") == "15"
    assert text_of(wizard, "kitNdcValue").startswith("0053-0150-15")
    assert len(stops(wizard)) == 1
    press_next(wizard)


def test_a_kit_that_does_not_fit_shows_no_vial_count_beside_the_blind_count(wizard: PreparationWizard) -> None:
    """A wrong carton showed "Kit vials: 14" (and the codes that carry it) beside the field that says not to copy a
    number from the screen; a kit that does not fit is not counted, so its count is not shown at all."""
    walk_to(wizard, "kit")
    scan(wizard, kit_code(14))  # the dose needs the 15-vial kit
    assert "does not fit this kit" in text_of(wizard, "kitStopMessage")
    for name in ("kitVialsValue", "kitNdcValue", "kitGtinValue"):
        assert text_of(wizard, name) == "Not shown: this kit is not counted", name
    assert text_of(wizard, "kitLotValue") == "LOT1"  # what the count is not compared with still shows
    assert not find(wizard, QLineEdit, "kitVialCountEdit").isEnabled()
    scan(wizard, kit_code(15))  # the right kit: blind until the count is entered
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"


def test_next_enters_a_typed_count_and_compares_it(wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    scan(wizard, kit_code(15))
    find(wizard, QLineEdit, "kitVialCountEdit").setText("16")  # typed, not yet entered
    assert next_enabled(wizard)
    wizard.next_button().click()
    assert wizard.current_key() == "kit"
    assert text_of(wizard, "kitStopMessage").startswith("You counted 16 vials: that is not the number")
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"


# --- no example is an answer ------------------------------------------------------------------------------------
def test_no_placeholder_or_hint_on_any_page_holds_a_number_that_could_be_an_answer(wizard: PreparationWizard) -> None:
    seen: list[str] = []
    for key in PAGE_KEYS:
        walk_to(wizard, key)
        page = wizard.currentPage()
        for edit in page.findChildren(QLineEdit):
            placeholder = edit.placeholderText()
            if placeholder in {"YYYY-MM-DD", "YYYY-MM-DD HH:MM"}:  # a format, not a value
                continue
            placeholder = placeholder.replace("1:N", "")  # the titre's format
            assert not re.search(r"\d", placeholder), f"{key}: {edit.objectName()} shows “{placeholder}”"
            seen.append(edit.objectName())
        for label in page.findChildren(QLabel):
            if label.property("role") == "hint":
                assert not EXAMPLE_WITH_A_NUMBER.search(label.text()), f"{key}: hint “{label.text()}”"
    assert {"kitVialCountEdit", "checkItem_volume_drawn_ml", "weightEdit", "orderWeightEdit"} <= set(seen)


@pytest.mark.parametrize(
    "words",
    [entry.COUNTED_VIALS, signing.BLIND_VIALS, signing.BLIND_DOSE, checks.DRAWN_VOLUME, checks.FINAL_VOLUME],
)
def test_no_sentence_of_a_count_or_a_dose_gives_a_number_as_an_example(words: CountWords | AmountWords) -> None:
    for name, sentence in vars(words).items():
        if name == "too_large":  # the limit, not an example
            continue
        assert not re.search(r"\d", sentence), f"{name}: {sentence}"


# --- a stop is recorded when acted on ---------------------------------------------------------------------------
def test_typing_over_a_weight_in_lb_then_choosing_kg_records_no_stop(wizard: PreparationWizard, qtbot: QtBot) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "weight")
    click(wizard, "weightUnitLb")
    weight = find(wizard, QLineEdit, "weightEdit")
    keys(weight, "158.7")
    assert text_of(wizard, "weightStopMessage") == ""  # 158.7 lb is 72 kg: the kit ordered
    weight.selectAll()
    keys(weight, "73")  # 73 lb (33.11 kg) for a moment, while lb is still chosen
    assert "33.11 kg" in text_of(wizard, "weightStopMessage")  # shown at once …
    click(wizard, "weightUnitKg")  # … but the operator meant kg
    assert text_of(wizard, "weightStopMessage") == ""
    type_text(wizard, "weightMeasuredAtEdit", "2026-11-29 08:15")
    choose(wizard, "weightMethodCombo", "Standing scale")
    press_next(wizard)
    assert stops(wizard) == []  # nothing was met: the record says nothing of 33.1 kg
    assert wizard.preparation.weight_today is not None
    assert str(wizard.preparation.weight_today.kg) == "73"


def test_enter_on_a_weight_that_stops_records_the_stop_once(wizard: PreparationWizard, qtbot: QtBot) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    walk_to(wizard, "weight")
    click(wizard, "weightUnitKg")
    weight = find(wizard, QLineEdit, "weightEdit")
    keys(weight, "76")
    assert stops(wizard) == []
    enter(weight)
    enter(weight)
    assert stops(wizard) == [text_of(wizard, "weightStopMessage")]
    assert stops(wizard)[0].startswith("Today's weight 76 kg needs 16 vials")


def test_leaving_the_page_with_a_stop_on_screen_records_it(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    click(wizard, "weightUnitKg")
    type_text(wizard, "weightEdit", "76")  # typed and left: shown, not yet acted on
    assert stops(wizard) == []
    wizard.back()
    assert wizard.current_key() == "identity"
    assert len(stops(wizard)) == 1


# --- one dose per person ------------------------------------------------------------------------------------------
@pytest.fixture
def people_store(store: Store) -> Store:
    people.add_people(store, ("ttech", "ppharm", "qpharm"), workstation="hood-1")
    return store


@pytest.mark.slow
def test_a_new_identifier_with_the_same_mrn_stops_until_another_pharmacist_finds_a_different_person(
    qtbot: QtBot, people_store: Store, boxes: Boxes
) -> None:
    first = make_main(services(people_store), qtbot)
    first.show()
    sign_in(first, "ttech")
    earlier = wizard_of(first).preparation.id
    walk_to(wizard_of(first), "eligibility")
    first.close()
    if boxes.asked:
        boxes.asked[-1][2]()

    window = make_main(services(people_store), qtbot)
    window.show()
    sign_in(window, "ppharm")
    click(window, "resumeStartNewButton")
    wizard = wizard_of(window)
    fill_order(wizard, orderPatientIdEdit="HGX-PSI-9999", orderPatientNameEdit="Alexander Example")  # same MRN
    wizard.next_button().click()
    assert wizard.current_key() == "order"
    stop = text_of(wizard, "orderStopMessage")
    assert stop.startswith(
        f"This patient has the same MRN as the patient of preparation {earlier[:8]} for Alex Example"
    )
    assert not next_enabled(wizard)
    with pytest.raises(PreparationNotFound):
        people_store.summary(wizard.preparation.id)
    panel = find(wizard, QWidget, "orderDifferentPersonGroup")
    assert panel.isVisible()

    def approve(username: str, password: str, reason: str, shown: bool = True) -> None:
        find(wizard, QCheckBox, "orderDifferentPersonShown").setChecked(shown)
        type_text(wizard, "orderDifferentPersonReason", reason)
        type_text(wizard, "orderDifferentPersonUsername", username)
        type_text(wizard, "orderDifferentPersonPassword", password)
        click(wizard, "orderDifferentPersonApprove")

    approve("ppharm", PASSWORDS["ppharm"], "Photo ID compared.")  # the preparer herself
    assert text_of(wizard, "orderDifferentPersonMessage").startswith("Pat Pharmacist, you are preparing this dose")
    approve("qpharm", PASSWORDS["qpharm"], "", shown=True)
    assert text_of(wizard, "orderDifferentPersonMessage").startswith("Say how the earlier patient was shown")
    approve("qpharm", PASSWORDS["qpharm"], "Photo ID and birth certificate compared: another person.")
    assert not panel.isVisible()
    assert next_enabled(wizard)
    press_next(wizard)
    saved = people_store.load(wizard.preparation.id)
    found = saved.person_overrides[earlier]
    assert (found.username, found.reason) == ("qpharm", "Photo ID and birth certificate compared: another person.")
    actions = [e.action for e in people_store.audit_trail(earlier)]
    assert AuditAction.SAME_PERSON_REFUSED in actions
    assert AuditAction.PERSON_OVERRIDE_APPROVED in actions
    assert AuditAction.SIGNATURE_REFUSED in actions  # the preparer's attempt


# --- times that tell the truth ------------------------------------------------------------------------------------
def test_a_new_weight_asks_again_when_it_was_measured(wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")  # 72 kg, measured 2026-11-29 08:15
    wizard.go_to("weight")
    type_text(wizard, "weightEdit", "72.4")
    assert not next_enabled(wizard)
    assert text_of(wizard, "weightStatusMessage").startswith(
        "The weight changed from 72 kg, which was measured at this time. Enter when 72.4 kg was measured"
    )
    type_text(wizard, "weightMeasuredAtEdit", "2026-11-29 09:05")
    press_next(wizard)
    assert wizard.preparation.weight_measured_at is not None
    assert wizard.preparation.weight_measured_at.strftime("%H:%M") == "09:05"


def test_prepared_at_is_never_earlier_than_the_checks_it_rests_on(new_wizard: Any) -> None:
    clock = [NOW]
    wizard = new_wizard()
    wizard.ctx.now = lambda: clock[0]
    walk_to(wizard, "administration")
    assert wizard.preparation.prepared_at == NOW
    clock[0] = NOW + timedelta(minutes=40)
    wizard.go_to("preparation")
    press_next(wizard)  # nothing changed: the preparation time stands
    assert wizard.preparation.prepared_at == NOW
    wizard.go_to("weight")
    type_text(wizard, "weightEdit", "73")  # the same kit; the volume drawn is cleared
    type_text(wizard, "weightMeasuredAtEdit", "2026-11-29 14:05")
    press_next(wizard)
    walk_to(wizard, "preparation")
    fill_preparation(wizard, volume_drawn_ml="146")
    press_next(wizard)
    assert wizard.preparation.prepared_at == clock[0]  # drawn again now: prepared now


def test_no_signing_screen_shows_a_number_to_copy_into_the_blind_check(qtbot: QtBot) -> None:
    from hemgenix_desktop.ui.signing_screens import SigningScreens
    from tests.helpers.preparations import complete_preparation

    screens = SigningScreens(complete_preparation(), None)
    qtbot.addWidget(screens)
    edits = screens.findChildren(QLineEdit)
    assert {"blindCheckWeightEdit", "blindCheckVialsEdit", "blindCheckDoseEdit"} <= {e.objectName() for e in edits}
    for edit in edits:
        assert not re.search(r"\d", edit.placeholderText()), edit.objectName()
    for label in screens.findChildren(QLabel):
        if label.property("role") == "hint":
            assert not EXAMPLE_WITH_A_NUMBER.search(label.text()), label.text()


def test_an_unchanged_checks_page_keeps_its_attribution_so_no_check_is_later_than_prepared_at(
    new_wizard: Any,
) -> None:
    clock = [NOW]
    wizard = new_wizard(attribute_to=lambda: TECHNICIAN)
    wizard.ctx.now = lambda: clock[0]
    walk_to(wizard, "administration")
    clock[0] = NOW + timedelta(minutes=40)
    wizard.go_to("preparation")
    press_next(wizard)
    prep = wizard.preparation
    assert prep.prepared_at == NOW
    assert prep.attributions["volume_drawn_ml"].at == NOW  # not re-stamped 40 minutes later
    assert prep.attributions["preparation"].at == NOW
