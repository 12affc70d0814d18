"""A stale save in the wizard (issue 16, "Lost update"): another workstation saved the draft while it was open
here. Next is refused with the sentence naming who changed what where; the pages show the newer values; what was
typed here stays visible beside them; the next Next saves on the newer draft, both changes kept. The unfinished
list says where a draft is open."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.driving import find
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.widgets import MessageLabel
from tests.helpers.store import FakeClock
from tests.ui.helpers import fill_weight, press_next, walk_to
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in, wizard_of

pytestmark = OFFSCREEN_NOISE
OTHER = "PHARM-WS-9"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(store: Store) -> Store:
    add_people(store)
    return store


def _window(qtbot: QtBot, store: Store, username: str = "ttech") -> MainWindow:
    window = make_main(services(store), qtbot)
    window.show()
    sign_in(window, username)
    return window


def _saved_elsewhere(store: Store, prep_id: str, prescriber: str) -> None:
    """Another workstation (its own Store on the same file) changes the prescriber and saves."""
    with Store.open(str(store.engine.url)) as other:
        prep, version = other.preparations.load_versioned(prep_id)
        data = prep.to_dict()
        data["order"]["prescriber"] = prescriber
        pharmacist = other.users.get("ppharm")
        assert pharmacist is not None
        other.preparations.save_draft(Preparation.from_dict(data), prep.step, pharmacist, OTHER, version=version)


@pytest.mark.slow
def test_a_stale_next_is_refused_the_page_shows_the_newer_values_and_what_was_typed(qtbot: QtBot, store: Store) -> None:
    window = _window(qtbot, store)
    wizard = wizard_of(window)
    walk_to(wizard, "weight")  # order, eligibility and identity saved
    prep_id = wizard.preparation.id
    _saved_elsewhere(store, prep_id, "Dr. Changed Elsewhere")

    fill_weight(wizard, "73")
    wizard.next_button().click()
    assert wizard.current_key() == "weight"  # refused: the page stays
    message = find(wizard, MessageLabel, "weightElsewhereMessage")
    assert message.isVisible()
    text = message.text()
    assert f"Pat Pharmacist (ppharm) changed this preparation at {OTHER} on" in text
    assert "order prescriber" in text  # what was changed there
    assert "nothing was overwritten" in text
    assert "weight today entered: now (empty); yours “73”" in text  # what was typed here, beside the newer values
    assert "Not saved" in find(wizard, MessageLabel, "weightStatusMessage").text()
    assert wizard.preparation.to_dict()["order"]["prescriber"] == "Dr. Changed Elsewhere"
    assert store.load(prep_id).to_dict()["order"]["prescriber"] == "Dr. Changed Elsewhere"  # not overwritten

    fill_weight(wizard, "73")  # typed again on the newer draft: saved, both changes kept
    press_next(wizard)
    saved = store.load(prep_id).to_dict()
    assert saved["order"]["prescriber"] == "Dr. Changed Elsewhere"
    assert saved["weight_today"]["entered"] == "73"
    wizard.go_to("order")
    assert find(wizard, QLineEdit, "orderPrescriberEdit").text() == "Dr. Changed Elsewhere"
    assert not find(wizard, MessageLabel, "weightElsewhereMessage").isVisible()
    assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_the_unfinished_list_says_where_a_draft_is_open(qtbot: QtBot, store: Store) -> None:
    first = _window(qtbot, store)
    walk_to(wizard_of(first), "weight")  # saved, and open here (hood-1) by Tara Technician
    prep_id = wizard_of(first).preparation.id
    second = _window(qtbot, store, "ppharm")  # the same workstation name, another person
    stopped_at = second.resume.table.item(0, 3).text()
    assert stopped_at.endswith(" — open at hood-1 by Tara Technician (ttech)"), stopped_at
    first.show_home()  # the wizard is closed at the first window: no longer open there
    second.resume.reload()
    assert second.resume.table.item(0, 3).text() == "Step 4 of 8: weight and dose"
    assert second.resume.summaries[0].id == prep_id
