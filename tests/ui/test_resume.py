"""Autosave, the unfinished preparations after a restart (resume, void, start new), the database guards on the
pages, and the end of the review."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.storage import PreparationNotFound, StorageError, Store
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.resume import step_title
from tests.helpers.people import PASSWORDS
from tests.helpers.store import FakeClock
from tests.ui.conftest import Boxes
from tests.ui.helpers import (
    ORDER,
    click,
    fill_eligibility,
    fill_identity,
    fill_kit,
    fill_order,
    find,
    kit_code,
    next_enabled,
    press_next,
    text_of,
    tick,
    type_text,
    walk_to,
)
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in, wizard_of

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()  # 2026-05-04 08:30 UTC


@pytest.fixture
def store(store: Store) -> Store:
    """The shared store (tests/helpers/fixtures.py) with the people of these tests."""
    add_people(store)
    return store


def signed_in(qtbot: QtBot, store: Store, username: str = "ttech") -> MainWindow:
    window = make_main(services(store), qtbot)
    window.show()
    sign_in(window, username)
    return window


def quit_window(window: MainWindow, boxes: Boxes) -> None:
    """Quit as the operator does, answering "Quit" when asked (a preparation is open)."""
    asked = len(boxes.asked)
    window.close()
    if len(boxes.asked) > asked:
        title, _text, quit_now = boxes.asked[-1]
        assert title == "Quit Hemgenix Prep?"
        quit_now()
    assert not window.isVisible()


def table_row(window: MainWindow, row: int = 0) -> list[str]:
    table = window.resume.table
    return [table.item(row, column).text() for column in range(table.columnCount())]


# --- autosave ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_page_that_advances_is_saved(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store)
    saves: list[tuple[str, str]] = []
    window.autosaved.connect(lambda prep_id, step: saves.append((prep_id, step)))
    wizard = wizard_of(window)
    prep_id = wizard.preparation.id

    fill_order(wizard)
    press_next(wizard)
    assert store.summary(prep_id).step == "eligibility"
    assert store.load(prep_id).to_dict() == wizard.preparation.to_dict()
    walk_to(wizard, "kit")
    assert saves == [(prep_id, step) for step in ("eligibility", "identity", "weight", "kit")]
    saved = store.load(prep_id)
    assert saved.to_dict() == wizard.preparation.to_dict()
    assert saved.step == "kit"
    actions = [e.action for e in store.audit_trail(prep_id)]
    assert actions == ["preparation_started", "draft_saved", "draft_saved", "draft_saved"]
    assert {e.username for e in store.audit_trail(prep_id)} == {"ttech"}
    assert saved.attributions["order"].username == "ttech"  # each page says who committed it


def test_a_database_that_cannot_be_written_keeps_the_page_with_the_sentence(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = signed_in(qtbot, store)
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    sentence = (
        "The database could not be written, so nothing was saved (disk I/O error). Try again; if it keeps failing, "
        "call IT support."
    )

    def broken(*_args: object, **_kwargs: object) -> None:
        raise StorageError(sentence)

    monkeypatch.setattr(store, "save_draft", broken)
    fill_eligibility(wizard)
    wizard.next_button().click()
    assert wizard.current_key() == "eligibility"
    assert text_of(wizard, "eligibilityStatusMessage") == sentence
    assert find(wizard, QLineEdit, "eligibilityInhibitorEdit").text() == "0.1"
    assert wizard.preparation.step == "eligibility"
    assert store.summary(wizard.preparation.id).step == "eligibility"

    monkeypatch.undo()  # the database works again: Next tries again
    assert next_enabled(wizard)
    press_next(wizard)
    assert store.summary(wizard.preparation.id).step == "identity"


# --- after a restart: the list -------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_restart_offers_the_unfinished_preparation_and_resumes_it_intact(
    qtbot: QtBot, store: Store, boxes: Boxes
) -> None:
    first = signed_in(qtbot, store)
    wizard = wizard_of(first)
    prep_id = wizard.preparation.id
    walk_to(wizard, "kit")
    fill_kit(wizard)  # typed on the kit page but not committed with Next: not saved
    expected = store.load(prep_id).to_dict()
    quit_window(first, boxes)

    again = signed_in(qtbot, store, "ppharm")
    assert again.stack.currentWidget() is again.resume
    assert table_row(again) == [
        "Alex Example",
        "1980-03-15",
        "MRN-0001",
        "Step 5 of 8: kit carton and vial count",
        "Tara Technician (ttech)",
        "08:30 on Mon 4 May 2026",
        "hood-1",
        prep_id[:8],
    ]
    assert again.resume.empty.isHidden()
    click(again, "resumeButton")
    restored = wizard_of(again)
    assert restored.current_key() == "kit"
    assert restored.preparation.to_dict() == expected
    assert find(restored, QLineEdit, "kitVialCountEdit").text() == ""  # that page was never committed
    restored.go_to("weight")
    assert find(restored, QLineEdit, "weightEdit").text() == "72"
    assert find(restored, QLineEdit, "weightMeasuredAtEdit").text() == "2026-11-29 08:15"
    restored.go_to("identity")
    assert find(restored, QLineEdit, "identityCartonIdEdit").text() == "HGX-PSI-7731"
    restored.go_to("eligibility")
    assert find(restored, QLineEdit, "eligibilityTitreEdit").text() == "1:300"
    assert find(restored, QRadioButton, "eligibilityAssay9").isChecked()
    restored.go_to("order")
    for name, value in ORDER.items():
        assert find(restored, QLineEdit, name).text() == value, name

    while restored.current_key() != "kit":  # Next on each restored page saves again, by whoever is signed in now
        press_next(restored)
    assert store.audit_trail(prep_id)[-1].username == "ppharm"
    assert store.summary(prep_id).status is PreparationStatus.DRAFT


@pytest.mark.slow
def test_void_needs_a_reason_and_the_password_then_frees_the_list(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    first = signed_in(qtbot, store)
    prep_id = wizard_of(first).preparation.id
    walk_to(wizard_of(first), "identity")
    quit_window(first, boxes)

    window = signed_in(qtbot, store)
    click(window, "resumeVoidButton")
    assert text_of(window, "resumeMessage") == (
        "Give the reason for voiding the preparation, in a few words, then void it again."
    )
    assert store.summary(prep_id).status is PreparationStatus.DRAFT

    type_text(window, "resumeVoidReasonEdit", "The infusion was cancelled by the prescriber.")
    click(window, "resumeVoidButton")  # voiding is an electronic signature: the password again
    assert text_of(window, "resumeMessage") == (
        "Voiding is signed: type your password again (Voided by), then void it again."
    )
    type_text(window, "resumeVoidPasswordEdit", "not the password")
    click(window, "resumeVoidButton")
    assert text_of(window, "resumeMessage").startswith("The username or the password is wrong.")
    assert find(window, QLineEdit, "resumeVoidPasswordEdit").text() == ""  # never kept on screen
    assert store.summary(prep_id).status is PreparationStatus.DRAFT
    assert store.users.get("ttech").failed_attempts == 1  # type: ignore[union-attr]  # it counts toward the lockout

    type_text(window, "resumeVoidPasswordEdit", PASSWORDS["ttech"])
    click(window, "resumeVoidButton")
    assert text_of(window, "resumeMessage") == (
        f"Preparation {prep_id[:8]} for Alex Example was voided. Its record and the reason stay in the History window."
    )
    voided = store.audit_trail(prep_id)[-1]
    assert voided.after["signature_meaning"] == "Voided by"
    assert voided.summary.endswith("(signed “Voided by” Tara Technician, password confirmed)")
    summary = store.summary(prep_id)
    assert summary.status is PreparationStatus.VOIDED
    assert summary.void_reason == "The infusion was cancelled by the prescriber."
    assert store.audit_trail(prep_id)[-1].action == "preparation_voided"
    assert window.resume.table.isHidden()
    assert text_of(window, "resumeEmptyLabel") == "There are no unfinished preparations."
    assert not find(window, QAbstractButton, "resumeButton").isEnabled()

    click(window, "resumeStartNewButton")  # the patient may now be prepared again
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    assert wizard.current_key() == "eligibility"


@pytest.mark.slow
def test_start_new_leaves_the_unfinished_one_on_the_list(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    first = signed_in(qtbot, store)
    walk_to(wizard_of(first), "identity")
    quit_window(first, boxes)

    window = signed_in(qtbot, store)
    click(window, "resumeStartNewButton")
    wizard = wizard_of(window)
    assert wizard.current_key() == "order"
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == ""
    asked = len(boxes.asked)
    wizard.reject()  # Cancel on an empty first page leaves at once
    assert len(boxes.asked) == asked
    assert window.stack.currentWidget() is window.resume
    assert window.wizard is None
    assert window.resume.table.rowCount() == 1


def test_cancel_after_pages_were_saved_asks_then_returns_to_the_list(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    window = signed_in(qtbot, store)
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    wizard.reject()
    assert [(t, x) for t, x, _y in boxes.asked] == [
        (
            "Leave this preparation?",
            "Pages completed with Next are kept. What you typed on this page since then is lost.",
        )
    ]
    boxes.asked[0][2]()
    assert window.stack.currentWidget() is window.resume
    assert table_row(window)[3] == step_title("eligibility") == "Step 2 of 8: authorization and eligibility"


# --- the guards, on the pages ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_second_preparation_for_the_patient_stops_on_the_order_page(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    first = signed_in(qtbot, store)
    existing = wizard_of(first).preparation.id
    walk_to(wizard_of(first), "eligibility")
    quit_window(first, boxes)

    window = signed_in(qtbot, store, "ppharm")
    click(window, "resumeStartNewButton")
    wizard = wizard_of(window)
    fill_order(wizard, orderPatientIdEdit="hgx-psi-7731 ")  # the same identifier, typed differently
    wizard.next_button().click()
    assert wizard.current_key() == "order"
    assert text_of(wizard, "orderStopMessage") == (
        f"This patient already has preparation {existing[:8]} for Alex Example (identifier “HGX-PSI-7731”), a draft, "
        "started by Tara Technician (ttech) on 2026-05-04 08:30 UTC. Hemgenix is given only once: do not prepare a "
        "second dose. Resume or void that preparation, or call the pharmacist in charge."
    )
    assert not next_enabled(wizard)
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"
    with pytest.raises(PreparationNotFound):  # nothing of the refused preparation was stored
        store.summary(wizard.preparation.id)
    assert store.audit_trail()[-1].action == "second_preparation_refused"


@pytest.mark.slow
def test_a_carton_already_used_stops_on_the_kit_page(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    first = signed_in(qtbot, store)
    holder = wizard_of(first).preparation.id
    walk_to(wizard_of(first), "preparation")  # the kit page saved carton SER1
    quit_window(first, boxes)

    window = signed_in(qtbot, store, "ppharm")
    click(window, "resumeStartNewButton")
    wizard = wizard_of(window)
    other = {"orderPatientNameEdit": "Blake Other", "orderMrnEdit": "MRN-0002", "orderPatientIdEdit": "HGX-PSI-9000"}
    fill_order(wizard, **other)
    press_next(wizard)
    walk_to(wizard, "identity")
    fill_identity(wizard, identifier="HGX-PSI-9000")
    press_next(wizard)
    walk_to(wizard, "kit")
    fill_kit(wizard, kit_code(serial="SER1"))
    wizard.next_button().click()
    assert wizard.current_key() == "kit"
    assert text_of(wizard, "kitStopMessage") == (
        f"This carton (serial “SER1”) is already used by preparation {holder[:8]} for Alex Example (identifier "
        "“HGX-PSI-7731”), a draft, started by Tara Technician (ttech) on 2026-05-04 08:30 UTC. One carton is for one "
        "preparation only: set this carton aside and call the pharmacist in charge."
    )
    assert text_of(wizard, "kitScanResultMessage") == ""  # one verdict per scan: not "This is the kit…" beside it
    assert not next_enabled(wizard)
    assert find(wizard, QLineEdit, "kitVialCountEdit").text() == "15"
    assert store.summary(wizard.preparation.id).carton_serial is None  # the refused carton was not saved

    fill_kit(wizard, kit_code(serial="SER2"))  # another carton of the same kit
    press_next(wizard)
    assert store.summary(wizard.preparation.id).carton_serial == "SER2"


# --- the end of the review -------------------------------------------------------------------------------------
@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_finishing_the_review_opens_the_signatures_in_the_window(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store)
    wizard = wizard_of(window)
    prep_id = wizard.preparation.id
    walk_to(wizard, "review")
    tick(wizard, "reviewConfirmCheck")
    finished: list[str] = []
    original = window.on_wizard_finished
    window.on_wizard_finished = lambda prep: (finished.append(prep.id), original(prep))[1]  # type: ignore[method-assign]
    click(wizard, "wizardFinishButton")
    assert finished == [prep_id]
    flow = window.signing
    assert flow is not None
    assert window.stack.currentWidget() is window.signing_host
    assert flow.isVisibleTo(window)
    assert window.wizard is None  # the wizard made way for the signatures
    assert flow.current_key() == "signPreparer"
    assert text_of(flow, "signFlowPatientLabel") == (
        "Alex Example, born 1980-03-15, MRN MRN-0001, identifier HGX-PSI-7731, order ORD-1"
    )
    summary = store.summary(prep_id)
    assert (summary.status, summary.step) == (PreparationStatus.DRAFT, "review")
    assert store.load(prep_id).to_dict() == wizard.preparation.to_dict()
    last = store.audit_trail(prep_id)[-1]
    assert (last.action, last.username) == (AuditAction.REVIEW_FINISHED, "ttech")
    assert (
        last.summary
        == f"Tara Technician (ttech) finished the review of preparation {prep_id[:8]}; it is ready for signatures."
    )

    click(window, "signingHomeButton")  # not now: back to the list, the draft resumes at its review
    assert window.signing is None
    assert window.stack.currentWidget() is window.resume
    assert table_row(window)[3] == "Step 8 of 8: review"
    click(window, "resumeButton")
    assert wizard_of(window).current_key() == "review"


@pytest.mark.slow
def test_a_review_that_cannot_be_audited_goes_back_to_the_list_with_the_sentence(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = signed_in(qtbot, store)
    wizard = wizard_of(window)
    walk_to(wizard, "review")
    tick(wizard, "reviewConfirmCheck")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The database could not be written, so nothing was saved (disk I/O error).")

    monkeypatch.setattr(store, "record_event", broken)
    click(wizard, "wizardFinishButton")
    assert window.signing is None
    assert window.stack.currentWidget() is window.resume
    assert text_of(window, "resumeMessage") == (
        "The end of the review could not be written to the audit trail, so the signatures were not opened: The "
        "database could not be written, so nothing was saved (disk I/O error). The reviewed preparation is saved: "
        "resume it and press Finish again."
    )
