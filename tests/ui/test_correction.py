"""Correcting a sealed record in the main window: History → Correct this record… → the corrected values and the
reason → "Amended by" and the independent pharmacist's blind check → a sealed amendment record and its PDFs. The
original record, the preparation's row and its signatures never change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AmendmentStatus
from hemgenix_desktop.security.seal import AMENDMENT, ORIGINAL
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.ui.correction import CorrectionScreen
from hemgenix_desktop.ui.driving import settle
from hemgenix_desktop.ui.history import HistoryWindow
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signing import SigningFlow
from tests.ui.conftest import Boxes
from tests.ui.helpers import click, text_of, type_text
from tests.ui.main_helpers import (
    OFFSCREEN_NOISE,
    add_people,
    finish_review,
    make_main,
    services,
    sign_in,
    unlock,
    wizard_of,
)
from tests.ui.signing_helpers import Bench, blind_check, make_bench, sign_preparer, verifier_signs_in

pytestmark = OFFSCREEN_NOISE

LOT = "correctionCheckDiluentLotEdit"
EXPIRY = "correctionCheckDiluentExpiryEdit"
NAME = "correctionPatientFullNameEdit"


@pytest.fixture
def store(store: Store) -> Store:
    """The shared store (tests/helpers/fixtures.py) with the people of these tests."""
    add_people(store)
    return store


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def sealed_window(qtbot: QtBot, store: Store, tmp_path: Path) -> tuple[MainWindow, str]:
    """The main window, signed in as the technician, with one preparation sealed (prepared by ttech, verified by
    ppharm) and the list on show."""
    window = make_main(services(store, data_dir=tmp_path / "data"), qtbot)
    window.show()
    sign_in(window, "ttech")
    window.start_new()
    settle()  # the wizard opens in pieces (ui/wizard_host.py)
    assert window.wizard is not None
    flow = finish_review(window)
    sign_preparer(flow)
    verifier_signs_in(flow, "ppharm")
    blind_check(flow)
    prep_id = flow.prep.id
    click(flow, "doneCloseButton")
    return window, prep_id


def open_correction(window: MainWindow, prep_id: str) -> tuple[HistoryWindow, CorrectionScreen]:
    history = window.show_history()
    assert history is not None
    assert history.select(prep_id)
    assert history.correct_button.isEnabled()
    assert history.correct_button.text() == "Correct this record…"
    click(history, "historyCorrectButton")
    screen = window.correction
    assert screen is not None, history.message.text()
    assert window.stack.currentWidget() is screen
    return history, screen


def amendment_flow(window: MainWindow) -> SigningFlow:
    flow = window.signing
    assert flow is not None
    assert flow.amending is not None
    return flow


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_a_sealed_record_is_corrected_by_a_new_amendment_record(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    original = stored_record(store, prep_id)
    assert original is not None
    assert original.kind == ORIGINAL
    row_before = store.load(prep_id).to_dict()
    signatures_before = store.signatures(prep_id)

    history, screen = open_correction(window, prep_id)
    assert text_of(screen, "correctionCheckDiluentLotRecordLabel") == "NS-4471"
    # no reason, and a value that is not a date: each gets its sentence, and what was typed stays
    type_text(screen, LOT, "NS-4477")
    type_text(screen, EXPIRY, "31/03/2027")
    click(screen, "correctionContinueButton")
    assert text_of(screen, "correctionReasonMessage") == (
        "Enter the reason for the correction (what was wrong in the record)."
    )
    assert text_of(screen, "correctionCheckDiluentExpiryMessage") == (
        "“31/03/2027” is not a date. Enter the 0.9% sodium chloride expiry date as YYYY-MM-DD, for example 2026-11-29."
    )
    assert window.signing is None
    assert screen.changed_keys() == ["check.diluent_lot", "check.diluent_expiry"]
    assert screen.edits["check.diluent_lot"].property("corrected") is True
    assert screen.edits["patient.full_name"].property("corrected") is False
    type_text(screen, "correctionReasonEdit", "Saline lot misread at the hood; checked against the bag")
    click(screen, "correctionContinueButton")
    assert text_of(screen, "correctionReasonMessage") == ""
    assert "not a date" in text_of(screen, "correctionCheckDiluentExpiryMessage")
    assert text_of(screen, "correctionStatusMessage") == "Correct what is marked above, then continue."
    assert screen.typed()["check.diluent_lot"] == "NS-4477"  # nothing typed is lost
    assert store.amendments(prep_id) == []
    type_text(screen, EXPIRY, "2027-03-31")  # back to the record's value: not a change
    click(screen, "correctionContinueButton")

    flow = amendment_flow(window)
    assert "Correction: amendment 1 of record " + original.record_id in flow.patient_label.text()
    assert "Amended by" in flow.preparer_signer.text()
    assert "“NS-4471” → “NS-4477”" in flow.preparer_summary.text()
    [draft] = store.amendments(prep_id)
    assert (draft.status, draft.number, draft.amends_record_id) == (AmendmentStatus.DRAFT, 1, original.record_id)
    sign_preparer(flow)  # ttech, who made the correction: "Amended by"
    assert flow.current_key() == "signVerifier"
    # the rule for a correction excludes the person correcting, not the preparer of the dose (domain check_verifier)
    intro = flow.screens["signVerifier"].intro.text()
    assert intro.startswith("A pharmacist who did not make this correction verifies it.")
    assert "prepare" not in intro
    verifier_signs_in(flow, "ppharm")
    blind_intro = flow.screens["blindCheck"].intro.text()  # the same rule on the blind check's screen
    assert "The figures of the person correcting are not shown either" in blind_intro
    assert "prepare" not in blind_intro
    blind_check(flow)
    assert flow.current_key() == "done"
    assert flow.record is not None
    amendment = flow.record
    assert amendment.kind == AMENDMENT
    assert amendment.amends is not None
    assert (amendment.amends.record_id, amendment.amends.sha256) == (original.record_id, original.sha256)
    assert [s.meaning for s in amendment.signatures] == [Meaning.AMENDED_BY, Meaning.VERIFIED_BY]
    assert amendment.preparation().checks["diluent_lot"] == "NS-4477"

    # the original never changes: its record, the preparation's row, its signatures
    assert stored_record(store, prep_id, amendment=0) == original
    assert store.load(prep_id).to_dict() == row_before
    assert store.signatures(prep_id) == signatures_before
    assert stored_record(store, prep_id) == amendment  # the record in force now
    [sealed] = store.amendments(prep_id)
    assert (sealed.status, sealed.record_id) == (AmendmentStatus.SEALED, amendment.record_id)
    assert store.verify_audit_chain().intact

    assert flow.saved is not None
    record_pdf, _label_pdf = flow.saved
    text = "".join(page.extract_text() for page in PdfReader(record_pdf).pages)
    assert "Amended by" in text
    assert original.record_id in text

    history.search()
    assert history.select(prep_id)
    assert history._status_text(history.selected()) == "sealed, amended (1)"  # type: ignore[arg-type]
    dialog = history.reprint_selected()  # the record in force: the amendment
    assert dialog is not None
    assert dialog.outputs.record_id == amendment.record_id
    assert "this copy is of its newest amendment, the record in force" in dialog.summary.text()
    dialog.close()
    click(flow, "doneCloseButton")


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_an_interrupted_correction_is_found_again_and_can_be_discarded(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    history, screen = open_correction(window, prep_id)
    type_text(screen, "correctionReasonEdit", "Name misspelt on the order entry")
    type_text(screen, NAME, "Alex J. Example")
    click(screen, "correctionContinueButton")
    flow = amendment_flow(window)
    sign_preparer(flow)
    assert flow.current_key() == "signVerifier"
    assert window.statusBar().currentMessage() == ""  # "Correcting record …" went with the correction screen
    click(window, "signingHomeButton")  # leave: the correction and its signature are kept

    # the list of unfinished work shows it; it is resumed there (and discarded on its own screen, not voided)
    resume = window.resume
    assert window.stack.currentWidget() is resume
    resume.select(prep_id)
    assert resume.selected() is not None
    row = resume.summaries.index(resume.selected())  # type: ignore[arg-type]
    assert resume.table.item(row, 3).text() == "Correction 1 of the record, not sealed"
    assert resume.table.item(row, 4).text() == "Tara Technician (ttech)"
    assert not resume.void_button.isEnabled()
    assert not resume.void_selected()
    click(resume, "resumeButton")
    assert window.correction is not None
    assert window.correction.typed()["patient.full_name"] == "Alex J. Example"
    click(window.correction, "correctionCancelButton")
    assert window.stack.currentWidget() is resume
    assert store.open_amendment(prep_id) is not None  # Back keeps the correction

    history.search()
    assert history.select(prep_id)
    assert history.correct_button.text() == "Continue the correction…"
    assert history._status_text(history.selected()).endswith(", correction in progress")  # type: ignore[arg-type]
    click(history, "historyCorrectButton")
    again = window.correction
    assert again is not None
    assert again.typed()["patient.full_name"] == "Alex J. Example"
    assert again.reason.isReadOnly()  # signed with this reason: it cannot change now
    again.reason.setText("Another reason")  # (as if typed anyway): the store refuses, with its sentence
    click(again, "correctionContinueButton")
    assert text_of(again, "correctionStatusMessage") == (
        "Signatures were given on correction 1 with the reason “Name misspelt on the order entry”, so its reason "
        "cannot change now. Keep it, or discard the correction and start again."
    )
    assert again.typed()["patient.full_name"] == "Alex J. Example"  # nothing typed is lost
    again.reason.setText("Name misspelt on the order entry")
    click(again, "correctionContinueButton")
    flow = amendment_flow(window)
    assert flow.current_key() == "signVerifier"  # the signature given before still holds

    click(window, "signingHomeButton")
    click(history, "historyCorrectButton")
    again = window.correction
    assert again is not None
    type_text(again, "correctionDiscardReasonEdit", "Wrong patient's record opened")
    click(again, "correctionDiscardButton")
    assert window.correction is None
    [voided] = store.amendments(prep_id)
    assert voided.status is AmendmentStatus.VOIDED
    history.search()
    assert history.select(prep_id)
    assert history.correct_button.text() == "Correct this record…"
    assert stored_record(store, prep_id) is not None
    assert stored_record(store, prep_id).kind == ORIGINAL  # type: ignore[union-attr]


@pytest.mark.slow
def test_the_person_who_corrected_cannot_verify_the_correction(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    window.lock_now()
    unlock(window, "ppharm")
    _history, screen = open_correction(window, prep_id)
    type_text(screen, "correctionReasonEdit", "Cabinet ID typed wrong")
    type_text(screen, "correctionCheckEngineeringControlIdEdit", "BSC-3")
    click(screen, "correctionContinueButton")
    flow = amendment_flow(window)
    sign_preparer(flow, "ppharm")
    verifier_signs_in(flow, "ppharm")
    assert "you made this correction, so you cannot also verify it" in flow.screens["signVerifier"].stop.text()
    assert flow.record is None


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_a_correction_waits_while_a_preparation_is_open(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    window.start_new()
    settle()  # the wizard opens in pieces (ui/wizard_host.py)
    wizard_of(window)
    history = window.show_history()
    assert history is not None
    assert history.select(prep_id)
    assert not history.correct_selected()
    assert history.message.text().startswith("A preparation is open in the main window.")
    assert window.correction is None
    assert window.wizard is not None


@pytest.mark.slow
def test_quitting_during_a_correction_asks_first(qtbot: QtBot, store: Store, tmp_path: Path, boxes: Boxes) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    _history, screen = open_correction(window, prep_id)
    type_text(screen, "correctionReasonEdit", "Lot misread")
    window.close()
    assert window.isVisible()  # not closed: asked first
    [(title, text, on_yes)] = boxes.asked
    assert title == "Quit Hemgenix Prep?"
    assert text.startswith("What was typed on the correction screen is lost.")
    on_yes()
    assert not window.isVisible()


@pytest.mark.slow
def test_a_correction_of_a_below_table_dose_has_its_override_approved_again(qtbot: QtBot, bench: Bench) -> None:
    """The warning the wizard let through is approved anew, with a reason, on the corrected content."""
    from datetime import UTC, datetime

    from hemgenix_desktop.domain.checks import load_checklist
    from hemgenix_desktop.services.signing import SigningSession
    from hemgenix_desktop.ui.signing import SigningFlow
    from tests.helpers.preparations import complete_preparation
    from tests.ui.signing_helpers import approve

    prep = bench.started(complete_preparation("44"))
    first = bench.flow(prep)
    qtbot.addWidget(first)
    sign_preparer(first)
    approve(first, "Weighed twice on the calibrated scale.")
    verifier_signs_in(first, "qpharm")
    blind_check(first, weight="44", vials="9", dose="88")
    assert first.record is not None

    tech = bench.user("ttech")
    screen = CorrectionScreen(
        bench.store,
        prep.id,
        lambda: tech,
        workstation="hood-1",
        checklist=load_checklist(),
        now=lambda: datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    )
    qtbot.addWidget(screen)
    ready: list[object] = []
    screen.ready.connect(lambda corrected, amending: ready.append((corrected, amending)))
    type_text(screen, "correctionReasonEdit", "Cabinet ID typed wrong")
    type_text(screen, "correctionCheckEngineeringControlIdEdit", "BSC-4")
    assert screen.continue_to_signatures(), screen.page.status.text()
    [(corrected, amending)] = ready
    flow = SigningFlow(corrected, bench.services, SigningSession(tech), amending=amending)  # type: ignore[arg-type]
    qtbot.addWidget(flow)
    sign_preparer(flow)
    assert flow.current_key() == "signOverride"
    approve(flow, "Same dose as prepared; only the cabinet ID was wrong.")
    verifier_signs_in(flow, "qpharm")
    blind_check(flow, weight="44", vials="9", dose="88")
    assert flow.record is not None
    meanings = [s.meaning for s in flow.record.signatures]
    assert meanings == [Meaning.AMENDED_BY, Meaning.VERIFIED_BY, Meaning.OVERRIDE_APPROVED]
    assert flow.record.signatures[2].reason == "Same dose as prepared; only the cabinet ID was wrong."


@pytest.mark.slow
def test_the_list_still_shows_a_correction_when_its_details_cannot_be_read(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    _history, screen = open_correction(window, prep_id)
    type_text(screen, "correctionReasonEdit", "Lot misread")
    type_text(screen, LOT, "NS-4477")
    click(screen, "correctionContinueButton")
    click(window, "signingHomeButton")

    def unreadable(_prep_id: str) -> None:
        raise StorageError("The database cannot be read.")

    monkeypatch.setattr(store, "open_amendment", unreadable)
    resume = window.resume
    assert resume.reload()
    resume.select(prep_id)
    row = resume.summaries.index(resume.selected())  # type: ignore[arg-type]
    assert resume.table.item(row, 3).text() == "Correction of the record, not sealed"
