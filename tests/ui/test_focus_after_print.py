"""After Print record… or Print label… on the sealed screen the keyboard stays on the button pressed: while the pages
are rendered the buttons are disabled, and Qt gave the keyboard to Close, so the next Enter left the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import Bench, make_bench, sign_through

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["Record", "Label"])
def test_the_print_button_keeps_the_keyboard_after_no_printer(qtbot: QtBot, bench: Bench, kind: str) -> None:
    flow = bench.flow(bench.started())
    qtbot.addWidget(flow)
    flow.show()
    flow.activateWindow()
    qtbot.waitExposed(flow)
    sign_through(flow)
    assert flow.current_key() == "done"
    actions = flow.record_actions
    assert actions is not None
    button = actions.print_record_button if kind == "Record" else actions.print_label_button
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    QTest.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: actions.message.text().startswith("No printer is set up"))
    assert QApplication.focusWidget() is button
