"""The History window with the keyboard alone: Tab leaves each table for the next control (arrows move within it),
so Correct this record… and Reprint record and label… are reached without a mouse; Escape closes the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.history import HistoryWindow, Reprinting
from hemgenix_desktop.ui.resume import ResumeScreen
from hemgenix_desktop.ui.users_window import UsersWindow
from tests.helpers.preparations import complete_preparation
from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import Bench, make_bench, sign_through

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    return widget


def shown(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(widget.isActiveWindow)


def sealed_history(qtbot: QtBot, bench: Bench) -> HistoryWindow:
    """History with one sealed preparation selected, so Correct this record… and Reprint… are enabled."""
    prep = bench.started(complete_preparation())
    flow = bench.flow(prep)
    qtbot.addWidget(flow)
    sign_through(flow)
    history = HistoryWindow(
        bench.store,
        practice=False,
        tz=bench.services.tz,
        reprinting=Reprinting(services=lambda: bench.services, user=lambda: bench.user("ttech"), printer=bench.printer),
        correct=lambda _prep_id: None,
    )
    shown(qtbot, history)
    history.search()
    assert history.select(prep.id)
    assert history.correct_button.isEnabled()
    assert history.reprint_button.isEnabled()
    return history


def tabs(keys: int, key: Qt.Key = Qt.Key.Key_Tab) -> list[str]:
    """Where the keyboard is after each of ``keys`` presses of ``key``."""
    names = []
    for _ in range(keys):
        QTest.keyClick(focused(), key)
        names.append(focused().objectName())
    return names


def test_tab_leaves_each_table_of_the_history_for_the_next_control(qtbot: QtBot, bench: Bench) -> None:
    history = sealed_history(qtbot, bench)
    history.table.setFocus(Qt.FocusReason.TabFocusReason)
    assert tabs(5) == [
        "historyCorrectButton",  # in the order they are shown: Correct, then Reprint
        "historyReprintButton",
        "historyTrailTable",
        "historyEventDetails",
        "historyCloseButton",
    ]
    history.patient.setFocus(Qt.FocusReason.TabFocusReason)
    assert tabs(4, Qt.Key.Key_Backtab) == [
        "historyCloseButton",
        "historyEventDetails",
        "historyTrailTable",
        "historyReprintButton",
    ]


def test_arrows_still_move_within_the_history_tables(qtbot: QtBot, bench: Bench) -> None:
    history = sealed_history(qtbot, bench)
    rows = history.trail.rowCount()
    assert rows > 2
    history.trail.setFocus(Qt.FocusReason.TabFocusReason)
    assert history.trail.currentRow() == rows - 1  # the newest event is selected when the trail is shown
    QTest.keyClick(history.trail, Qt.Key.Key_Up)
    assert history.trail.currentRow() == rows - 2
    assert history.details.toPlainText().startswith(history.events[rows - 2].action)


def test_escape_closes_the_history_as_it_closes_the_other_windows(qtbot: QtBot, bench: Bench) -> None:
    history = sealed_history(qtbot, bench)
    history.patient.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(history.patient, "smi")
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert not history.isVisible()
    history.show()  # kept with its search, as when closed with Close
    assert history.patient.text() == "smi"
    history.activateWindow()
    qtbot.waitUntil(history.isActiveWindow)
    history.trail.setFocus(Qt.FocusReason.TabFocusReason)  # from a table too
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert not history.isVisible()


@pytest.mark.parametrize("table_of", ["resume", "users"])
def test_tab_leaves_the_resume_and_users_tables(qtbot: QtBot, bench: Bench, table_of: str) -> None:
    window: QWidget
    if table_of == "resume":
        bench.started(complete_preparation())
        window = resume = ResumeScreen(bench.store, "hood-1", lambda: bench.user("ttech"), practice=False)
        resume.reload()
    else:
        window = UsersWindow(None, bench.services, bench.user("ppharm"))
    shown(qtbot, window)
    [table] = window.findChildren(QTableWidget)
    assert table.rowCount() >= 1
    table.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert focused() is not table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(table, Qt.Key.Key_Backtab)
    assert focused() is not table
