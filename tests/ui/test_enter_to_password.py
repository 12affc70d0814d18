"""Enter in a username field puts the cursor in its password field, on every screen that asks for both (the sign-in
screen's rule, ``ui.widgets.enter_moves_to``): a password typed next never lands in the username, in clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.person_check import DifferentPersonPanel
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.people import PASSWORDS
from tests.helpers.preparations import complete_preparation
from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import Bench, make_bench, sign_preparer

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def shown(qtbot: QtBot, flow: SigningFlow) -> SigningFlow:
    qtbot.addWidget(flow)
    flow.show()
    flow.activateWindow()
    qtbot.waitExposed(flow)
    return flow


def username_then_enter(qtbot: QtBot, username: QLineEdit, password: QLineEdit) -> None:
    username.setFocus()
    qtbot.waitUntil(username.hasFocus)
    QTest.keyClicks(username, "ppharm")
    QTest.keyClick(username, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is password
    QTest.keyClicks(QApplication.focusWidget(), PASSWORDS["ppharm"])
    assert (username.text(), password.text()) == ("ppharm", PASSWORDS["ppharm"])


def test_enter_in_the_preparers_username_goes_to_the_password(qtbot: QtBot, bench: Bench) -> None:
    flow = shown(qtbot, bench.flow(bench.started(), signatures_given=3, continuous=False))
    assert not flow.preparer_username.isReadOnly()
    username_then_enter(qtbot, flow.preparer_username, flow.preparer_password)


@pytest.mark.slow
def test_enter_in_the_verifiers_and_the_approvers_username_goes_to_the_password(qtbot: QtBot, bench: Bench) -> None:
    flow = shown(qtbot, bench.flow(bench.started(complete_preparation("44"))))
    sign_preparer(flow)
    assert flow.current_key() == "signOverride"
    flow.override_reason.setFocus()
    qtbot.waitUntil(flow.override_reason.hasFocus)
    QTest.keyClicks(flow.override_reason, "Weighed twice.")
    QTest.keyClick(flow.override_reason, Qt.Key.Key_Return)  # the reason, then the approver's username
    assert QApplication.focusWidget() is flow.override_username
    username_then_enter(qtbot, flow.override_username, flow.override_password)
    QTest.keyClick(flow.override_password, Qt.Key.Key_Return)  # approves
    qtbot.waitUntil(lambda: flow.current_key() == "signVerifier")
    username_then_enter(qtbot, flow.verifier_username, flow.verifier_password)


def test_enter_in_the_different_person_panels_username_goes_to_the_password(qtbot: QtBot) -> None:
    panel = DifferentPersonPanel(None)
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitExposed(panel)
    username_then_enter(qtbot, panel.username, panel.password)
