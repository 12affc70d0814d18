"""The History window: search by patient, identifier, date and status; each preparation's audit trail."""

from __future__ import annotations

from datetime import UTC

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from hemgenix_desktop import __version__
from hemgenix_desktop.storage import Store, User
from hemgenix_desktop.ui.history import HistoryWindow
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import WORKSTATION, FakeClock
from tests.ui.helpers import click, find, text_of, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, make_main, services, sign_in

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()  # 2026-05-04 08:30 UTC


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    return add_people(store)


@pytest.fixture
def three(store: Store, people: dict[str, User], clock: FakeClock) -> dict[str, str]:
    """John Smith (a draft, started 4 May), Mary Jones (voided, 5 May), Li Wei (a draft, 6 May)."""
    tech = people["ttech"]
    ids: dict[str, str] = {}
    for name, identifier, mrn in (
        ("John Smith", "PSI-0001", "MRN-77"),
        ("Mary Jones", "PSI-0002", "MRN-88"),
        ("Li Wei", "PSI-0003", "MRN-99"),
    ):
        prep = fill_everything(new_prep(identifier, name, mrn), serial=f"SER-{identifier}")
        store.start_preparation(prep, tech, WORKSTATION)
        ids[name] = prep.id
        clock.advance(days=1)
    store.void(ids["Mary Jones"], "Infusion cancelled.", people["ppharm"], WORKSTATION)
    return ids


def window(qtbot: QtBot, store: Store) -> HistoryWindow:
    history = HistoryWindow(store, practice=False, tz=UTC)
    qtbot.addWidget(history)
    history.show()
    history.search()
    return history


def patients(history: HistoryWindow) -> list[str]:
    return [history.table.item(row, 1).text() for row in range(history.table.rowCount())]


def test_all_preparations_are_listed_the_newest_first(qtbot: QtBot, store: Store, three: dict[str, str]) -> None:
    history = window(qtbot, store)
    assert patients(history) == ["Li Wei", "Mary Jones", "John Smith"]
    assert text_of(history, "historyMessage") == "3 preparations found, the newest first."
    row = [history.table.item(1, column).text() for column in range(history.table.columnCount())]
    assert row == [
        "08:30 on Tue 5 May 2026",
        "Mary Jones",
        "1980-02-29",
        "MRN-88",
        "PSI-0002",
        "voided: Infusion cancelled.",
        "Tara Technician (ttech)",
        three["Mary Jones"][:8],
    ]
    assert history.table.item(0, 5).text() == "draft, at step 1 of 8"


@pytest.mark.parametrize(
    ("field", "value", "found"),
    [
        ("historyPatientEdit", "smi", ["John Smith"]),
        ("historyPatientEdit", "mrn-9", ["Li Wei"]),
        ("historyIdentifierEdit", " psi-0002 ", ["Mary Jones"]),
        ("historyDateFromEdit", "2026-05-05", ["Li Wei", "Mary Jones"]),
        ("historyDateToEdit", "2026-05-05", ["Mary Jones", "John Smith"]),
        ("historyPatientEdit", "nobody", []),
    ],
)
def test_search_by_patient_identifier_and_date(
    qtbot: QtBot, store: Store, three: dict[str, str], field: str, value: str, found: list[str]
) -> None:
    history = window(qtbot, store)
    type_text(history, field, value)
    click(history, "historySearchButton")
    assert patients(history) == found
    if not found:
        assert text_of(history, "historyMessage") == "No preparation matches this search."
        assert text_of(history, "historyTrailTitle") == "Select a preparation above to see its audit trail."


@pytest.mark.slow
def test_search_by_status(qtbot: QtBot, store: Store, three: dict[str, str]) -> None:
    history = window(qtbot, store)
    combo = find(history, QComboBox, "historyStatusCombo")
    combo.setCurrentIndex(combo.findData("voided"))
    click(history, "historySearchButton")
    assert patients(history) == ["Mary Jones"]
    assert text_of(history, "historyMessage") == "1 preparation found."
    click(history, "historyClearButton")
    assert patients(history) == ["Li Wei", "Mary Jones", "John Smith"]
    assert combo.currentIndex() == 0


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2026-13-01", "", "2026-13-01 is not a real date. Check the first day and enter it as YYYY-MM-DD."),
        (
            "",
            "5 May",
            "“5 May” is not a date. Enter the last day as YYYY-MM-DD, for example 2026-11-29.",
        ),
        (
            "2026-05-06",
            "2026-05-04",
            "The first day (2026-05-06) is after the last day (2026-05-04). Swap them or correct one.",
        ),
    ],
)
def test_a_wrong_date_is_said_and_the_results_stay(
    qtbot: QtBot, store: Store, three: dict[str, str], date_from: str, date_to: str, message: str
) -> None:
    history = window(qtbot, store)
    type_text(history, "historyDateFromEdit", date_from)
    type_text(history, "historyDateToEdit", date_to)
    assert not history.search()
    assert text_of(history, "historyMessage") == message
    assert patients(history) == ["Li Wei", "Mary Jones", "John Smith"]


def test_selecting_a_preparation_shows_its_audit_trail(qtbot: QtBot, store: Store, three: dict[str, str]) -> None:
    history = window(qtbot, store)
    prep_id = three["Mary Jones"]
    assert history.select(prep_id)
    short = prep_id[:8]
    assert text_of(history, "historyTrailTitle") == (
        f"Audit trail of preparation {short} for Mary Jones: 2 events, the oldest first."
    )
    trail = [
        [history.trail.item(row, column).text() for column in range(1, history.trail.columnCount())]
        for row in range(history.trail.rowCount())
    ]
    assert trail == [
        [
            "08:30 on Tue 5 May 2026",
            "Tara Technician (ttech)",
            "hood-1",
            f"Started preparation {short} for Mary Jones.",
        ],
        [
            "08:30 on Thu 7 May 2026",
            "Pat Pharmacist (ppharm)",
            "hood-1",
            f"Voided preparation {short} for Mary Jones: Infusion cancelled.",
        ],
    ]
    assert history.details.toPlainText() == (  # the last event is selected: its values before and after
        f"preparation_voided: Voided preparation {short} for Mary Jones: Infusion cancelled.\n"
        f"Written by Hemgenix Prep {__version__}.\n"
        'status: "draft" → "voided"\n'
        'void_reason: (none) → "Infusion cancelled."'
    )
    history.trail.selectRow(0)
    details = history.details.toPlainText()
    assert details.startswith(f"preparation_started: Started preparation {short} for Mary Jones.\n")
    assert 'order.patient.full_name: (none) → "Mary Jones"' in details


def test_the_main_window_opens_the_history_from_its_menu_and_the_list(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    main = make_main(services(store), qtbot)
    main.show()
    assert not main.history_action.isEnabled()
    assert main.show_history() is None  # nobody signed in
    sign_in(main, "ttech")
    main.history_action.trigger()
    history = main.history
    assert history is not None
    assert history.isVisible()
    assert history.windowTitle() == "Hemgenix Prep: history"
    history.close()
    main.show_home()
    click(main, "resumeHistoryButton")
    assert history.isVisible()
    history.close()


def test_a_search_lists_at_most_the_newest_thousand_and_says_so(
    qtbot: QtBot, store: Store, three: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemgenix_desktop.ui import history as history_module

    monkeypatch.setattr(history_module, "MAX_RESULTS", 2)
    history = window(qtbot, store)
    assert patients(history) == ["Li Wei", "Mary Jones"]  # the newest two of three
    assert text_of(history, "historyMessage") == (
        "More than 2 preparations match; the newest 2 are shown. To find an older one, search by patient, "
        "identifier or dates."
    )
    type_text(history, "historyPatientEdit", "smi")
    click(history, "historySearchButton")
    assert patients(history) == ["John Smith"]  # a narrower search finds the older one
    assert history_module.MAX_RESULTS == 2
    assert store.search(limit=1)[0].patient_name == "Li Wei"
    assert len(store.search()) == 3
