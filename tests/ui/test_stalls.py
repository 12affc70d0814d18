"""The window keeps responding (issue 13, item 4): the wizard opens in pieces after a sign-in, and the signing flow
at Finish, each saying so, and what is typed meanwhile reaches it; the screens shown in the main window take its style
sheet and set none of their own, so that their widgets are polished once; the modules of the screens after a sign-in
are imported on the thread pool while the password is checked; the print preview's pages are rendered on QtPdf's own
thread while the button says so (benchmarks/stalls.py measures the stalls)."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.background import busy
from hemgenix_desktop.ui.driving import click, find, settle, type_text
from hemgenix_desktop.ui.printing import PrintPreview
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.helpers.people import PASSWORDS
from tests.helpers.printer import FakePrinter
from tests.ui.helpers import tick, walk_to
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, finish_review, make_main, services, sign_in, wizard_of
from tests.ui.signing_helpers import make_bench, sign_through

pytestmark = OFFSCREEN_NOISE


def test_after_the_sign_in_the_wizard_opens_in_pieces_saying_so_and_gets_what_was_typed_meanwhile(
    qtbot: QtBot, store: Store
) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.activateWindow()  # the keys go where the focus is
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    type_text(window, "signInUsernameEdit", "ttech")
    type_text(window, "signInPasswordEdit", PASSWORDS["ttech"])
    seen: list[tuple[object, ...]] = []

    def straight_after_the_sign_in(_user: object) -> None:  # the wizard has begun to open; nothing of it shown yet
        label = find(window, QLabel, "wizardOpeningLabel")
        focus = QApplication.focusWidget()
        seen.append((window.stack.currentWidget(), label.isVisible(), label.text(), busy(), window.wizard, focus))
        assert focus is not None
        QTest.keyClicks(focus, "Alex Example")  # typed (or scanned) at once, before the wizard shows
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        QTest.keyClicks(focus, "1980-03-15")

    window.sign_in.signed_in.connect(straight_after_the_sign_in)
    click(window, "signInButton")  # and waits until nothing runs (the check, then the wizard's opening)
    assert seen == [(window.wizard_host, True, "Opening the preparation…", True, None, window.wizard_host)]
    wizard = wizard_of(window)
    assert wizard.isVisible()
    assert not find(window, QLabel, "wizardOpeningLabel").isVisible()
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"
    assert find(wizard, QLineEdit, "orderDateOfBirthEdit").text() == "1980-03-15"
    assert QApplication.focusWidget() is find(wizard, QLineEdit, "orderDateOfBirthEdit")
    assert not busy()


@pytest.mark.slow
def test_at_finish_the_signatures_open_in_pieces_saying_so_and_get_what_was_typed_meanwhile(
    qtbot: QtBot, store: Store
) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    sign_in(window, "ttech")
    wizard = wizard_of(window)
    walk_to(wizard, "review")
    tick(wizard, "reviewConfirmCheck")
    seen: list[tuple[object, ...]] = []

    def straight_after_finish() -> None:  # the review is finished; the signatures have begun to open
        label = find(window, QLabel, "signingOpeningLabel")
        focus = QApplication.focusWidget()
        seen.append((window.stack.currentWidget(), label.isVisible(), label.text(), busy(), window.signing, focus))
        assert focus is not None
        QTest.keyClicks(focus, "ttech")  # the first signature of the session: username and password, typed at once
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        QTest.keyClicks(focus, PASSWORDS["ttech"])

    wizard.accepted.connect(straight_after_finish)
    click(wizard, "wizardFinishButton")
    assert seen == [(window.signing_host, True, "Opening the signatures…", True, None, window.flow_host)]
    flow = window.signing
    assert flow is not None
    assert flow.current_key() == "signPreparer"
    assert not find(window, QLabel, "signingOpeningLabel").isVisible()
    assert find(flow, QLineEdit, "signPreparerUsernameEdit").text() == "ttech"
    password = find(flow, QLineEdit, "signPreparerPasswordEdit")
    assert password.text() == PASSWORDS["ttech"]
    assert QApplication.focusWidget() is password


def test_a_screen_opening_waits_for_its_modules_loading_on_another_thread(qtbot: QtBot) -> None:
    """While loading ahead is under way (the modules after a sign-in, on the database's thread or the pool), a screen
    that opens waits for it instead of importing the same modules on the GUI thread at the same time; then builds."""
    import threading

    from hemgenix_desktop.ui.background import load_now, loading_ahead
    from hemgenix_desktop.ui.screen_host import ScreenHost

    host = ScreenHost("testHost", "testOpeningLabel", "Opening…", "Opening", nullcontext)
    qtbot.addWidget(host)
    host.show()
    release = threading.Event()
    loader = threading.Thread(target=load_now, args=(lambda: release.wait(10),))
    loader.start()
    qtbot.waitUntil(loading_ahead)
    built: list[QWidget] = []
    host.open(lambda: built.append(QWidget()) or built[-1])
    qtbot.wait(100)  # several turns of the event loop
    assert built == []
    assert find(host, QLabel, "testOpeningLabel").isVisible()
    release.set()
    loader.join(10)
    qtbot.waitUntil(lambda: len(built) == 1 and built[0].isVisible())
    assert not find(host, QLabel, "testOpeningLabel").isVisible()


def test_a_wizard_still_opening_is_not_shown_once_dropped(qtbot: QtBot, store: Store) -> None:
    """Dropped while it opens (the program closing, say): nothing of it is shown, nothing waits for it."""
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    window.sign_in.signed_in.connect(lambda _user: window._drop_wizard())
    sign_in(window, "ttech")
    assert window.wizard is None
    assert not busy()
    assert not find(window, QLabel, "wizardOpeningLabel").isVisible()


def looks(root: QWidget, *names: str) -> list[tuple[int, bool]]:
    """The point size and boldness of the labels ``names``: what the style sheet gave them."""
    labels = [find(root, QLabel, name) for name in names]
    return [(label.font().pointSize(), label.font().bold()) for label in labels]


@pytest.mark.slow
def test_the_wizard_and_the_signatures_look_the_same_in_the_window_without_a_style_sheet_of_their_own(
    qtbot: QtBot, store: Store
) -> None:
    add_people(store)
    window = make_main(services(store), qtbot)
    window.show()
    sign_in(window, "ttech")
    wizard = wizard_of(window)
    assert wizard.styleSheet() == ""
    alone = PreparationWizard(Preparation(), practice=False)  # on its own (a test, a screenshot): its own sheet
    qtbot.addWidget(alone)
    alone.show()
    assert alone.styleSheet() == STYLE_SHEET
    names = ("orderHeading", "orderStepLabel")
    assert looks(wizard, *names) == looks(alone, *names) == [(15, True), (11, False)]
    flow = finish_review(window)
    assert flow.styleSheet() == ""
    assert looks(flow, "signFlowPatientLabel")[0][0] == 11


AHEAD = """
import sys, threading
from PySide6.QtWidgets import QApplication
app = QApplication([])
from hemgenix_desktop.ui.signin import AFTER_SIGN_IN, ahead_of_the_session
assert not [m for m in AFTER_SIGN_IN if m in sys.modules], "imported with the first screen"
worker = threading.Thread(target=lambda: [step() for step in ahead_of_the_session()])
worker.start()
worker.join()
print(sorted(m for m in AFTER_SIGN_IN if m in sys.modules))
"""


@pytest.mark.slow
def test_the_next_screens_modules_are_imported_off_the_gui_thread_and_not_with_the_first_screen() -> None:
    """Imported on another thread (the thread pool's, while the password is checked), they make no Qt object and
    Qt says nothing; they are not imported with the sign-in screen."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", AHEAD], capture_output=True, text=True, cwd=root, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['hemgenix_desktop.ui.signing', 'hemgenix_desktop.ui.wizard']"
    assert [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line] == []


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
@pytest.mark.slow
def test_the_print_button_says_the_preview_is_being_prepared_and_takes_no_second_press(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = make_bench(tmp_path, FakePrinter(["Pharmacy-Laser"], default="Pharmacy-Laser"))
    try:
        flow = bench.flow(bench.started())
        qtbot.addWidget(flow)
        sign_through(flow)
        actions = flow.record_actions
        assert actions is not None
        click(flow, "donePrintRecordButton", wait=False)
        button = find(flow, QAbstractButton, "donePrintRecordButton")
        assert button.text() == "Preparing the print preview…"
        others = [find(flow, QAbstractButton, name) for name in ("donePrintLabelButton", "doneSavePdfsButton")]
        assert not any(b.isEnabled() for b in [button, *others])
        assert busy()  # the idle lock and a return to the list wait for it
        actions.print_pdf("record")  # pressed again meanwhile (Enter): nothing more
        settle()
        previews = flow.findChildren(PrintPreview)
        assert len(previews) == 1
        assert previews[0].isVisible()
        assert previews[0].page_count() == len(previews[0].rendered) >= 2  # drawn from the pages rendered ahead
        assert button.text() == "Print record…"
        assert all(b.isEnabled() for b in [button, *others])
    finally:
        bench.store.close()
