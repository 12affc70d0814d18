"""The whole job in the main window: sign-in, the wizard, the signatures in the window's stack, the sealed record
saved; the lock during signing; resuming a preparation whose sealing was interrupted; the History reprint; the
window's icon, the About box and the Settings action."""

from __future__ import annotations

from pathlib import Path

import PySide6
import pytest
from pypdf import PdfReader
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPushButton
from pytestqt.qtbot import QtBot

import hemgenix_desktop
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.practice import demo_order, practice_codes
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.storage.values import HEAD_REVISION
from hemgenix_desktop.ui.identity import app_icon, apply_identity
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.printing import PrinterBackend
from hemgenix_desktop.ui.signin import PRACTICE_PASSWORD, add_practice_users
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.people import PASSWORDS
from tests.helpers.printer import FakePrinter
from tests.helpers.store import leave_signed_not_sealed
from tests.ui.helpers import (
    TODAY,
    click,
    fill_administration,
    fill_eligibility,
    fill_identity,
    fill_kit,
    fill_order,
    fill_preparation,
    fill_weight,
    find,
    kit_code,
    press_next,
    text_of,
    tick,
)
from tests.ui.main_helpers import (
    OFFSCREEN_NOISE,
    PATIENT_DATA,
    add_people,
    finish_review,
    make_main,
    services,
    sign_in,
    unlock,
    visible_texts,
    wizard_of,
)
from tests.ui.signing_helpers import blind_check, sign_preparer, verifier_signs_in

pytestmark = OFFSCREEN_NOISE

INTERRUPTED_HINT = (
    "The session was interrupted, so this signature takes your username and your password (21 CFR 11.200)."
)
FIRST_HINT = "The first signature of a session takes your username and your password (21 CFR 11.200)."


@pytest.fixture
def store(store: Store) -> Store:
    """The shared store (tests/helpers/fixtures.py) with the people of these tests."""
    add_people(store)
    return store


def signed_in(
    qtbot: QtBot,
    store: Store,
    tmp_path: Path,
    username: str = "ttech",
    printer: PrinterBackend | None = None,
    **kw: object,
) -> MainWindow:
    window = make_main(services(store, data_dir=tmp_path / "data", **kw), qtbot, printer)  # type: ignore[arg-type]
    window.show()
    sign_in(window, username)
    return window


def actions(store: Store, prep_id: str) -> list[str]:
    return [event.action for event in store.audit_trail(prep_id)]


def patient_data_on_screen(window: MainWindow) -> list[str]:
    return [text for text in visible_texts(window) for value in PATIENT_DATA if value in text]


# --- the whole job ------------------------------------------------------------------------------------------
def practice_walk_to_review(window: MainWindow) -> None:
    """The practice demo order (filled in by practice mode) with its correct practice carton, up to Review."""
    wizard = wizard_of(window)
    demo = demo_order(TODAY)
    codes = {code.key: code for code in practice_codes(TODAY)}
    press_next(wizard)
    fill_eligibility(wizard)
    press_next(wizard)
    fill_identity(wizard, identifier=demo.patient_specific_id, born=demo.date_of_birth.isoformat())
    press_next(wizard)
    fill_weight(wizard)
    press_next(wizard)
    fill_kit(wizard, code=codes["correct"].bracketed())
    press_next(wizard)
    fill_preparation(wizard)
    press_next(wizard)
    fill_administration(wizard)
    press_next(wizard)
    assert wizard.current_key() == "review"


@pytest.mark.slow
def test_practice_from_sign_in_to_the_saved_record(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store.open_practice()
    app_services = services(store, practice=True, data_dir=tmp_path / "data")
    add_practice_users(app_services.admin, app_services.workstation)
    window = make_main(app_services, qtbot)
    window.show()
    sign_in(window, "practice.tech", PRACTICE_PASSWORD)
    practice_walk_to_review(window)
    prep_id = wizard_of(window).preparation.id

    flow = finish_review(window)
    assert flow.current_key() == "signPreparer"
    assert find(flow, QLineEdit, "signPreparerUsernameEdit").isReadOnly() is False  # the session's first signature
    assert text_of(flow, "signPreparerUsernameHint") == FIRST_HINT
    sign_preparer(flow, "practice.tech", PRACTICE_PASSWORD)
    assert flow.current_key() == "signVerifier"
    verifier_signs_in(flow, "practice.tech", PRACTICE_PASSWORD)  # the preparer cannot verify
    assert flow.current_key() == "signVerifier"
    assert text_of(flow, "signVerifierStopMessage") != ""
    verifier_signs_in(flow, "practice.pharmacist", PRACTICE_PASSWORD)
    assert flow.current_key() == "blindCheck"
    with qtbot.waitSignal(flow.sealed) as sealed:
        blind_check(flow)
    assert flow.current_key() == "done"

    summary = store.summary(prep_id)
    assert summary.status is PreparationStatus.SEALED
    assert flow.record is not None
    assert sealed.args == [flow.record.record_id]
    assert flow.saved is not None
    record_pdf, label_pdf = flow.saved
    assert record_pdf.is_file()
    assert label_pdf.is_file()
    assert flow.record.record_id in "".join(page.extract_text() for page in PdfReader(record_pdf).pages)
    meanings = [s.meaning for s in store.signatures(prep_id)]
    assert meanings == [Meaning.PREPARED_BY, Meaning.VERIFIED_BY]
    assert window.statusBar().currentMessage() == (
        f"Record {flow.record.record_id} is sealed. Print the record and the bag label."
    )
    assert not window.signing_home_button.isVisible()  # the Done screen's Close leads home now
    trail = actions(store, prep_id)
    assert trail.index("review_finished") < trail.index("preparation_signed") < trail.index("preparation_sealed")

    click(flow, "doneCloseButton")
    assert window.signing is None
    assert window.stack.currentWidget() is window.resume
    assert all(s.id != prep_id for s in window.resume.summaries)  # sealed: nothing left to resume
    assert window.statusBar().currentMessage() == ""  # issue 21: not kept for the next patient's order
    store.close()


# --- the lock during signing -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_lock_during_signing_hides_the_patient_and_the_flow_goes_on_after_unlock(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    window = signed_in(qtbot, store, tmp_path)
    flow = finish_review(window)
    prep_id = flow.prep.id
    assert flow.current_key() == "signPreparer"
    assert patient_data_on_screen(window) != []  # the flow names the patient

    window.lock_now()
    assert window.is_locked()
    assert not flow.isVisible()
    assert patient_data_on_screen(window) == []
    unlock(window, "ttech")
    assert window.stack.currentWidget() is window.signing_host
    assert flow.current_key() == "signPreparer"
    assert window.signing_session() is flow.session
    assert flow.session.continuous is False  # a lock breaks the session (21 CFR 11.200)
    assert text_of(flow, "signPreparerUsernameHint") == INTERRUPTED_HINT
    find(flow, QLineEdit, "signPreparerUsernameEdit").clear()
    find(flow, QLineEdit, "signPreparerPasswordEdit").setText(PASSWORDS["ttech"])
    click(flow, "signPreparerSignButton")  # the password alone is not enough now
    assert flow.current_key() == "signPreparer"
    assert store.signatures(prep_id) == []
    sign_preparer(flow)
    assert flow.current_key() == "signVerifier"

    verifier_signs_in(flow, "ppharm")
    assert flow.current_key() == "blindCheck"
    window.lock_now()
    assert patient_data_on_screen(window) == []
    unlock(window, "ttech")
    assert flow.current_key() == "signVerifier"  # the verifier signs in again after a lock
    verifier_signs_in(flow, "ppharm")
    blind_check(flow)
    assert flow.current_key() == "done"
    assert store.summary(prep_id).status is PreparationStatus.SEALED
    assert [e.action for e in store.audit_trail()].count("screen_unlocked") == 2


@pytest.mark.slow
def test_one_continuous_session_signs_a_second_preparation_with_the_password(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    window = signed_in(qtbot, store, tmp_path)
    flow = finish_review(window)
    sign_preparer(flow)
    verifier_signs_in(flow, "ppharm")
    blind_check(flow)
    click(flow, "doneCloseButton")

    click(window, "resumeStartNewButton")
    wizard = wizard_of(window)
    fill_order(
        wizard,
        orderPatientNameEdit="Blake Other",
        orderMrnEdit="MRN-0002",
        orderPatientIdEdit="HGX-PSI-9000",
        orderDateOfBirthEdit="1975-07-01",
    )
    press_next(wizard)
    fill_eligibility(wizard)
    press_next(wizard)
    fill_identity(wizard, identifier="HGX-PSI-9000", born="1975-07-01")
    press_next(wizard)
    fill_weight(wizard)
    press_next(wizard)
    fill_kit(wizard, code=kit_code(serial="SER2"))
    press_next(wizard)
    second = finish_review(window)
    assert second is not flow
    assert find(second, QLineEdit, "signPreparerUsernameEdit").isReadOnly()  # signed before in this session
    assert text_of(second, "signPreparerUsernameHint") == (
        "You signed earlier in this session without a break, so your password is enough."
    )
    sign_preparer(second)
    assert second.current_key() == "signVerifier"


# --- resuming ------------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_draft_resumed_at_review_goes_on_with_the_signatures_already_given(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    first = signed_in(qtbot, store, tmp_path)
    flow = finish_review(first)
    prep_id = flow.prep.id
    sign_preparer(flow)
    first.quit_without_asking()

    again = signed_in(qtbot, store, tmp_path, "ppharm")
    assert [s.id for s in again.resume.summaries] == [prep_id]
    click(again, "resumeButton")
    wizard = wizard_of(again)
    assert wizard.current_key() == "review"
    tick(wizard, "reviewConfirmCheck")
    click(wizard, "wizardFinishButton")
    resumed = again.signing
    assert resumed is not None
    assert resumed.current_key() == "signVerifier"  # the preparer's signature was read back
    assert "Prepared by" in text_of(resumed, "signFlowSignaturesLabel")
    verifier_signs_in(resumed, "ppharm")
    blind_check(resumed)
    assert store.summary(prep_id).status is PreparationStatus.SEALED


@pytest.mark.slow
def test_a_preparation_whose_sealing_was_interrupted_is_offered_and_sealed_on_resume(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = signed_in(qtbot, store, tmp_path)
    flow = finish_review(first)
    prep_id = flow.prep.id
    sign_preparer(flow)
    verifier_signs_in(flow, "ppharm")

    def power_cut(self: Store, prep: object, user: object, workstation: str, **_kwargs: object) -> None:
        # Sealing is one transaction now (Store.seal_preparation); a preparation left "signed" but not sealed
        # comes from a database an earlier version wrote, whose sealing was several transactions.
        leave_signed_not_sealed(self, prep, user, workstation)  # type: ignore[arg-type]
        raise StorageError("The database could not be written, so nothing was saved (disk I/O error).")

    monkeypatch.setattr(Store, "seal_preparation", power_cut)
    blind_check(flow)
    assert flow.current_key() == "seal"
    assert store.summary(prep_id).status is PreparationStatus.SIGNED
    first.quit_without_asking()
    monkeypatch.undo()

    again = signed_in(qtbot, store, tmp_path, "ppharm")
    assert again.stack.currentWidget() is again.resume
    row = [again.resume.table.item(0, c).text() for c in range(again.resume.table.columnCount())]
    assert row[:4] == ["Alex Example", "1980-03-15", "MRN-0001", "Signed; the record is not sealed yet"]
    assert row[-1] == prep_id[:8]
    click(again, "resumeButton")
    resumed = again.signing
    assert isinstance(resumed, SigningFlow)
    assert again.stack.currentWidget() is again.signing_host
    assert resumed.current_key() == "done"
    assert store.summary(prep_id).status is PreparationStatus.SEALED
    assert resumed.saved is not None
    assert resumed.saved[0].is_file()
    assert not again.signing_home_button.isVisible()
    assert actions(store, prep_id).count("record_sealed") == 1
    again.show_home()
    assert again.resume.summaries == []


# --- History: reprint ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_history_reprints_a_sealed_record_as_a_copy_and_audits_it(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    printer = FakePrinter(["Pharmacy-Laser", "Label-4x6"], default="Pharmacy-Laser")
    window = signed_in(qtbot, store, tmp_path, printer=printer, username="ttech")
    flow = finish_review(window)
    prep_id = flow.prep.id
    sign_preparer(flow)
    verifier_signs_in(flow, "ppharm")
    blind_check(flow)
    click(flow, "doneCloseButton")

    history = window.show_history()
    assert history is not None
    assert history.select(prep_id)
    button = history.reprint_button
    assert button.isEnabled()
    click(history, "historyReprintButton")
    dialog = history.reprint_dialog
    assert dialog is not None
    assert dialog.isVisible()
    event = store.audit_trail(prep_id)[-1]
    assert (event.action, event.username) == (AuditAction.RECORD_REPRINTED, "ttech")
    marking = "COPY — reprinted 2026-11-29 13:30 UTC by Tara Technician"
    assert event.after["marking"] == marking
    assert marking in text_of(dialog, "reprintSummaryLabel")
    assert history.trail.rowCount() == len(store.audit_trail(prep_id))  # the reprint shows on the trail

    saved = dialog.record_actions.save_to(str(tmp_path / "copies"))
    assert saved is not None
    record_copy, label_copy = saved
    assert "-copy-" in record_copy.name
    assert "-copy-" in label_copy.name
    text = "".join(page.extract_text() for page in PdfReader(record_copy).pages)
    assert "COPY" in text
    assert "Tara Technician" in text
    assert actions(store, prep_id)[-1] == "pdfs_saved"

    window.lock_now()  # the reprint belongs to the window: hidden with the History while locked
    assert not dialog.isVisible()
    assert patient_data_on_screen(window) == []
    unlock(window, "ttech")
    assert dialog.isVisible()


@pytest.mark.slow
def test_the_reprint_button_is_disabled_for_a_draft_and_says_why(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window = signed_in(qtbot, store, tmp_path)
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    prep_id = wizard.preparation.id
    history = window.show_history()
    assert history is not None
    assert history.select(prep_id)
    assert not history.reprint_button.isEnabled()
    assert history.reprint_button.toolTip() == (
        f"Only a sealed preparation has a record to reprint; preparation {prep_id[:8]} is draft, at step 2 of 8. Its "
        "record is printed when both signatures are given and it is sealed."
    )
    assert history.reprint_selected() is None
    assert AuditAction.RECORD_REPRINTED not in actions(store, prep_id)


# --- icon, About, Settings -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_window_has_the_icon_and_the_about_box_the_version(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window = signed_in(qtbot, store, tmp_path)
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes()  # the PNG sizes from resources/icons
    about_action = window.findChild(QAction, "aboutAction")
    assert about_action is not None
    assert about_action.isEnabled()
    about_action.trigger()
    box = window.about_box
    assert box is not None
    assert box.isVisible()
    assert box.text() == window.about_text()
    lines = box.text().splitlines()
    assert lines[0] == f"Hemgenix Prep {hemgenix_desktop.__version__}"
    assert "Site: Test Infusion Pharmacy" in lines
    assert "Workstation: hood-1" in lines
    assert f"Database: {store.url}" in lines
    assert f"Data folder: {tmp_path / 'data'}" in lines
    assert "Licence: Apache-2.0 (open source; the source: https://hemgenixprep.org/)" in lines
    assert f"Qt {qVersion()}, PySide6 {PySide6.__version__}" in lines
    assert f"Database schema: {HEAD_REVISION}" in lines
    close = box.findChild(QPushButton, "aboutCloseButton")
    assert close is not None
    qtbot.waitUntil(lambda: box.focusWidget() is close)  # Close, not "Third-party notices…", has Enter
    assert close.isDefault()
    assert not box.findChild(QPushButton, "aboutNoticesButton").isDefault()  # type: ignore[union-attr]
    help_menu = window.findChild(QMenu, "helpMenu")
    assert help_menu is not None
    assert about_action in help_menu.actions()
    notices_button = box.findChild(QPushButton, "aboutNoticesButton")
    assert notices_button is not None
    notices_button.click()
    notices = box.notices
    assert notices is not None
    assert notices.isVisible()
    text = notices.text.toPlainText()
    assert text.startswith(f"Hemgenix Prep {hemgenix_desktop.__version__}: third-party notices\n")
    assert "\nPySide6 " in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    window.lock_now()
    assert not box.isVisible()


def test_the_about_box_hides_the_database_password(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = signed_in(qtbot, store, tmp_path)
    monkeypatch.setattr(Store, "url", property(lambda _s: "postgresql+psycopg://hemgenix:secret@db.example/hemgenix"))
    text = window.about_text()
    assert "Database: postgresql+psycopg://hemgenix:***@db.example/hemgenix" in text.splitlines()
    assert "secret" not in text


@pytest.mark.slow
def test_settings_needs_a_sign_in_and_is_hidden_while_locked(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window = make_main(services(store, data_dir=tmp_path / "data"), qtbot)
    window.show()
    action = window.findChild(QAction, "settingsAction")
    assert action is not None
    assert not action.isEnabled()
    assert window.show_settings() is None
    sign_in(window, "ppharm")
    assert action.isEnabled()
    action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.objectName() == "settingsDialog"
    window.lock_now()
    assert not action.isEnabled()
    assert not dialog.isVisible()
    unlock(window, "ppharm")
    assert dialog.isVisible()


def test_the_application_carries_the_name_the_desktop_file_and_the_icon() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_identity(app)
    assert app.applicationDisplayName() == "Hemgenix Prep"
    assert app.desktopFileName() == "org.hemgenixprep.HemgenixPrep"
    assert (Path(__file__).parents[2] / "packaging" / "linux" / f"{app.desktopFileName()}.desktop").is_file()
    assert not app.windowIcon().isNull()
    assert {size.width() for size in app_icon().availableSizes()} == {16, 32, 48, 64, 128, 256}


@pytest.mark.slow
def test_a_settings_window_is_not_handed_to_the_next_person(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    """A pharmacist's open Settings window closes, unsaved, when someone else unlocks the screen: it would
    otherwise save in the pharmacist's name."""
    window = make_main(services(store, data_dir=tmp_path / "data"), qtbot)
    window.show()
    sign_in(window, "ppharm")
    dialog = window.show_settings()
    assert dialog is not None
    assert dialog.isVisible()
    window.lock_now()
    unlock(window, "ttech")
    assert not dialog.isVisible()
    assert "was closed unsaved" in window.statusBar().currentMessage()
    again = window.show_settings()
    assert again is not None
    assert again is not dialog
