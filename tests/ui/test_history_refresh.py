"""The History window never shows, or acts on, a preparation as it was: it reads the selected one again when it is
shown again (after the lock) and when a correction is sealed or discarded, and a button pressed on a preparation
that changed meanwhile does nothing but show it as it is now, with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.services.corrections import Correction
from hemgenix_desktop.services.history import trail
from hemgenix_desktop.services.reprints import reprint
from hemgenix_desktop.storage import Store, User
from hemgenix_desktop.ui.history import HistoryWindow
from tests.ui.helpers import click, text_of, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, unlock
from tests.ui.signing_helpers import blind_check, sign_preparer, verifier_signs_in
from tests.ui.test_correction import NAME, amendment_flow, open_correction, sealed_window

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    return add_people(store)


def status_shown(history: HistoryWindow) -> str:
    chosen = history.selected()
    assert chosen is not None
    return history.table.item(history.results.index(chosen), 5).text()


@pytest.mark.slow  # a preparation and its correction are signed and sealed: 2 s or more
def test_history_shows_a_sealed_correction_and_what_happened_during_the_lock(
    qtbot: QtBot, store: Store, people: dict[str, User], tmp_path: Path
) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    history, screen = open_correction(window, prep_id)
    type_text(screen, "correctionReasonEdit", "Name misspelt on the order entry")
    type_text(screen, NAME, "Alex J. Example")
    click(screen, "correctionContinueButton")
    assert history.selected() is not None
    assert history.selected().id == prep_id  # type: ignore[union-attr]
    assert status_shown(history) == "sealed, correction in progress"
    assert history.correct_button.text() == "Continue the correction…"

    flow = amendment_flow(window)
    sign_preparer(flow)
    verifier_signs_in(flow, "ppharm")
    blind_check(flow)
    assert flow.current_key() == "done"
    assert status_shown(history) == "sealed, amended (1)"  # read again when the correction was sealed
    assert history.correct_button.text() == "Correct this record…"
    events = len(history.events)
    assert f": {events} events, the oldest first." in text_of(history, "historyTrailTitle")
    assert history.trail.currentRow() == events - 1
    assert history.details.toPlainText().startswith(history.events[-1].action)

    assert window.lock_now()
    assert not history.isVisible()
    sv = window.services  # meanwhile, another workstation reprints the record: one more event on its trail
    reprint(store, prep_id, people["ppharm"], data_dir=sv.data_dir, workstation="hood-2", tz=sv.tz)
    unlock(window, "ttech")
    assert history.isVisible()
    assert history.events == trail(store, prep_id)  # read again when shown again
    assert history.events[-1].workstation == "hood-2"
    count = len(history.events)
    assert f": {count} events, the oldest first." in text_of(history, "historyTrailTitle")
    click(flow, "doneCloseButton")


@pytest.mark.slow
def test_a_button_never_acts_on_a_preparation_that_changed_since_it_was_shown(
    qtbot: QtBot, store: Store, people: dict[str, User], tmp_path: Path
) -> None:
    window, prep_id = sealed_window(qtbot, store, tmp_path)
    history = window.show_history()
    assert history is not None
    assert history.select(prep_id)
    assert history.correct_button.text() == "Correct this record…"
    # another workstation starts a correction; this window has not heard of it
    elsewhere = Correction(store, prep_id, workstation="hood-2", checklist=window.services.checklist)
    typed = {field.key: elsewhere.start_value(field.key) for field in elsewhere.fields}
    typed["patient.full_name"] = "Alex J. Example"
    elsewhere.save("Name misspelt on the order entry", typed, people["ppharm"], window.services.now())
    assert history.correct_button.text() == "Correct this record…"  # as shown before

    click(history, "historyCorrectButton")
    assert window.correction is None  # nothing was opened on what was shown before
    short = prep_id[:8]
    assert text_of(history, "historyMessage") == (
        f"Preparation {short} changed since it was shown: it is now sealed, correction in progress. It is shown as "
        "it is now; check it, then choose again."
    )
    assert status_shown(history) == "sealed, correction in progress"
    assert history.correct_button.text() == "Continue the correction…"
    click(history, "historyCorrectButton")  # shown as it is now: the button acts
    assert window.correction is not None
    assert window.correction.typed()["patient.full_name"] == "Alex J. Example"
