"""Slow calls off the GUI thread (ui/background.py): the busy state while they run, their result or their sentence
after, no second press, and the idle lock that waits for them. Each slow call is held on a gate (a
``threading.Event``) so that the busy state can be looked at; nothing sleeps."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThread, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.background import (
    BusyState,
    Outcome,
    busy,
    checking_password,
    load_ahead,
    load_now,
    run_busy,
)
from hemgenix_desktop.ui.lock import IdleWatch
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.people import PASSWORDS
from tests.ui.helpers import click, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, add_people, finish_review, make_main, services, sign_in
from tests.ui.signing_helpers import blind_check, make_bench, sign_preparer, verifier_signs_in

pytestmark = OFFSCREEN_NOISE


class Gate:
    """Wraps a call so that it waits (on its worker thread) until ``open`` is called; counts the calls."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.calls = 0
        self.threads: list[bool] = []  # per call: whether it ran off the GUI thread

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            self.threads.append(QThread.currentThread() is not QGuiApplication.instance().thread())  # type: ignore[union-attr]
            assert self.event.wait(60), "the test never opened the gate"
            return call(*args, **kwargs)

        return held

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def gate(qtbot: QtBot) -> Iterator[Gate]:
    made = Gate()
    yield made
    made.open()  # a test that failed half-way must not leave a worker waiting
    qtbot.waitUntil(lambda: not busy(), timeout=60_000)


def cursor_is_busy() -> bool:
    cursor = QGuiApplication.overrideCursor()
    return cursor is not None and cursor.shape() == Qt.CursorShape.BusyCursor


def test_a_call_runs_off_the_gui_thread_with_the_busy_state_shown_until_its_result_is_back(
    qtbot: QtBot, gate: Gate
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    button = QPushButton("Sign in", owner)
    other = QPushButton("Another pharmacist", owner)
    state = BusyState([button, other], button)
    results: list[Outcome[int]] = []

    assert run_busy(owner, state, "Checking password…", gate.wrap(lambda: 42), results.append)
    assert busy()
    assert not button.isEnabled()
    assert not other.isEnabled()
    assert button.text() == "Checking password…"
    assert cursor_is_busy()
    assert not run_busy(owner, state, "Checking password…", gate.wrap(lambda: 43), results.append)  # pressed twice

    gate.open()
    qtbot.waitUntil(lambda: bool(results))
    assert results[0].get() == 42
    assert gate.calls == 1
    assert gate.threads == [True]
    assert button.isEnabled()
    assert other.isEnabled()
    assert button.text() == "Sign in"
    assert not cursor_is_busy()
    qtbot.waitUntil(lambda: not busy())


def test_an_exception_comes_back_whole_and_is_raised_again_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[Outcome[None]] = []

    def refuse() -> None:
        raise InvalidInput("The username or the password is wrong.")

    run_busy(owner, BusyState([]), "Checking password…", refuse, results.append)
    qtbot.waitUntil(lambda: bool(results))
    with pytest.raises(InvalidInput, match=r"The username or the password is wrong\."):
        results[0].get()


@pytest.mark.slow
def test_a_call_and_what_it_holds_are_freed_once_its_outcome_is_back(qtbot: QtBot) -> None:
    """Issue 13: a call's closure held a whole preparation (its sealed record, its PDFs); none may stay behind."""

    class Held:
        pass

    owner = QWidget()
    qtbot.addWidget(owner)
    held = Held()
    gone = weakref.ref(held)
    errors: list[BaseException | None] = []
    run_busy(owner, BusyState([]), "Sealing…", lambda held=held: held, lambda outcome: errors.append(outcome.error))
    del held
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [None]
    QThreadPool.globalInstance().waitForDone()  # Qt deletes a finished call once its run() has returned
    # the pool's thread lets go of the call's Python object when Qt deletes it there: waited for, never for long
    qtbot.waitUntil(lambda: gc.collect() >= 0 and gone() is None, timeout=5000)


def test_loading_ahead_waits_for_the_loading_already_under_way(qtbot: QtBot) -> None:
    """Two threads never load ahead at once (two threads importing the same modules can meet a half-made module):
    the sign-in's loading on the pool starts only once the database thread's has finished; a failure in either is
    left to the code that needs it."""
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        order.append("first began")
        release.wait(10)
        order.append("first ended")

    def failing() -> None:
        raise ImportError("left to the code that needs it")

    worker = threading.Thread(target=load_now, args=(first,))
    worker.start()
    qtbot.waitUntil(lambda: order == ["first began"])
    load_ahead(failing)
    load_ahead(lambda: order.append("second"))
    assert not QThreadPool.globalInstance().waitForDone(200)  # the pool's loads wait for the first
    assert order == ["first began"]
    release.set()
    worker.join(10)
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert order == ["first began", "first ended", "second"]


def test_loading_ahead_waits_while_a_password_is_checked(qtbot: QtBot) -> None:
    """argon2id runs on every core: loading ahead does its next step only once no password is being checked (the
    step under way is finished first)."""
    release = threading.Event()
    order: list[str] = []

    def check() -> str:
        order.append("check began")
        release.wait(10)
        order.append("check ended")
        return "signed in"

    checker = threading.Thread(target=lambda: order.append(checking_password(check)))
    checker.start()
    qtbot.waitUntil(lambda: order == ["check began"])
    load_ahead(lambda: order.append("step 1"), lambda: order.append("step 2"))
    assert not QThreadPool.globalInstance().waitForDone(200)
    assert order == ["check began"]
    release.set()
    checker.join(10)
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert order == ["check began", "check ended", "signed in", "step 1", "step 2"]
    with pytest.raises(InvalidInput):  # a check that fails ends too: loading goes on
        checking_password(lambda: (_ for _ in ()).throw(InvalidInput("The username or the password is wrong.")))
    load_now(lambda: order.append("step 3"))
    assert order[-1] == "step 3"


def test_the_idle_lock_waits_for_a_running_call(qtbot: QtBot, gate: Gate) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    watch = IdleWatch(1, owner)
    fired: list[bool] = []
    watch.idle.connect(lambda: fired.append(busy()))
    run_busy(owner, BusyState([]), "Sealing…", gate.wrap(lambda: None), lambda _outcome: None)
    watch.start()
    qtbot.waitUntil(lambda: not watch.running())  # the idle time passed while the call runs…
    with qtbot.waitSignal(watch.idle, timeout=10_000):
        gate.open()
    assert fired == [False]  # …and the lock came only once it was done
    watch.stop()


# --- the sign-in screen ------------------------------------------------------------------------------------
def test_signing_in_says_it_checks_the_password_and_takes_it_once(
    qtbot: QtBot, store: Store, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(store)
    window: MainWindow = make_main(services(store), qtbot)
    window.show()
    service = window.services.sign_in
    monkeypatch.setattr(service, "sign_in", gate.wrap(service.sign_in))
    type_text(window, "signInUsernameEdit", "ttech")
    type_text(window, "signInPasswordEdit", PASSWORDS["ttech"])
    click(window, "signInButton", wait=False)
    button = window.sign_in.form.button
    assert not button.isEnabled()
    assert button.text() == "Checking password…"
    assert window.sign_in.form.message.text() == "Checking password…"
    assert cursor_is_busy()
    window.sign_in.form.password.returnPressed.emit()  # Enter again: not a second attempt
    window.sign_in.form.submit()

    gate.open()
    qtbot.waitUntil(lambda: window.wizard is not None)
    assert gate.calls == 1
    assert gate.threads == [True]
    assert window.user is not None
    assert window.user.username == "ttech"
    assert not cursor_is_busy()


def test_a_wrong_password_is_refused_with_the_same_sentence_after_the_check(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window: MainWindow = make_main(services(store), qtbot)
    window.show()
    type_text(window, "signInUsernameEdit", "ttech")
    type_text(window, "signInPasswordEdit", "not the password")
    click(window, "signInButton")
    assert window.sign_in.form.message.text().startswith("The username or the password is wrong.")
    assert window.sign_in.form.button.text() == "Sign in"
    assert window.sign_in.form.button.isEnabled()
    assert window.sign_in.form.password.text() == ""


# --- sealing -------------------------------------------------------------------------------------------------
def flow_at_sealing(tmp_path: Path) -> tuple[SigningFlow, Store]:
    bench = make_bench(tmp_path)
    flow = bench.flow(bench.started())
    sign_preparer(flow)
    verifier_signs_in(flow)
    return flow, bench.store


@pytest.mark.slow
def test_sealing_says_what_it_does_and_seals_once(
    qtbot: QtBot, tmp_path: Path, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    flow, store = flow_at_sealing(tmp_path)
    qtbot.addWidget(flow)
    monkeypatch.setattr(flow.process, "seal", gate.wrap(flow.process.seal))
    sealed: list[str] = []
    flow.sealed.connect(sealed.append)
    type_text(flow, "blindCheckWeightEdit", "72")
    click(flow, "blindCheckWeightUnitKg")
    type_text(flow, "blindCheckVialsEdit", "15")
    type_text(flow, "blindCheckDoseEdit", "144")
    click(flow, "blindCheckSignButton", wait=False)
    qtbot.waitUntil(lambda: flow.current_key() == "seal")
    assert flow.screens["seal"].status.text() == "Sealing and signing the record…"
    assert cursor_is_busy()
    flow.seal_now()  # pressed again (or Try sealing again) while it seals: nothing more starts
    flow.advance()

    gate.open()
    qtbot.waitUntil(lambda: flow.current_key() == "done", timeout=60_000)
    assert gate.calls == 1
    assert gate.threads == [True]
    assert len(sealed) == 1
    assert store.summary(flow.prep.id).status is PreparationStatus.SEALED
    assert flow.saved is not None
    assert all(path.is_file() for path in flow.saved)
    assert flow.screens["seal"].status.text() == ""
    assert not cursor_is_busy()


def test_a_blind_check_that_differs_is_stopped_with_the_same_sentence_from_the_worker(
    qtbot: QtBot, tmp_path: Path
) -> None:
    flow, _store = flow_at_sealing(tmp_path)
    qtbot.addWidget(flow)
    blind_check(flow, weight="70")
    assert flow.current_key() == "blindCheck"
    assert "weight" in flow.screens["blindCheck"].stop.text().lower()
    assert flow.blind_button.isEnabled()
    assert flow.blind_button.text() == "Compare and sign as verifier"


@pytest.mark.slow
def test_back_to_the_preparations_while_sealing_goes_back_once_the_record_is_sealed(
    qtbot: QtBot, store: Store, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(store)
    window: MainWindow = make_main(services(store), qtbot)
    window.show()
    sign_in(window, "ttech")
    flow = finish_review(window)
    sign_preparer(flow)
    verifier_signs_in(flow)
    monkeypatch.setattr(flow.process, "seal", gate.wrap(flow.process.seal))
    type_text(flow, "blindCheckWeightEdit", "72")
    click(flow, "blindCheckWeightUnitKg")
    type_text(flow, "blindCheckVialsEdit", "15")
    type_text(flow, "blindCheckDoseEdit", "144")
    click(flow, "blindCheckSignButton", wait=False)
    qtbot.waitUntil(lambda: flow.current_key() == "seal")
    click(window, "signingHomeButton", wait=False)
    assert window.stack.currentWidget() is window.signing_host  # not dropped half-way through the sealing

    gate.open()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.resume, timeout=60_000)
    assert store.summary(flow.prep.id).status is PreparationStatus.SEALED
    assert window.signing is None  # the flow was dropped after its sealing, not during it
