"""Slow service calls off the GUI thread, with a busy state a person can see (issue 13, item 4).

Checking a password (argon2id), sealing and signing the record's PDFs and searching History take from a tenth of a
second to several seconds. Run on the GUI thread they freeze the window: nothing repaints, and nothing says that
something is happening. :func:`run_busy` runs one such call on Qt's thread pool and hands its :class:`Outcome` back on
the GUI thread; meanwhile :class:`BusyState` shows what is happening: the buttons that would start it again are
disabled, one of them says what is being done ("Checking password…"), and the cursor is busy.

Each call is what the screen did before, whole: its result (or the exception it raised, with the same sentence)
comes back, and the screen shows it as it did. The database is safe from another thread: SQLite files and
PostgreSQL give each thread its own connection from the pool, and the in-memory practice database's single
connection is held by one thread at a time (storage/engine.py).

Two more kinds of work count as running: work Qt does on a thread of its own, with no Python there, announced by a
signal (:func:`busy_until`: QtPdf's page renderer before a print preview; a Python thread would hold the interpreter
lock that the GUI thread needs for every event), and GUI-thread work too long for one turn of the event loop, done a
piece per turn (:class:`Turns`: the wizard's and the signing flow's opening, :mod:`hemgenix_desktop.ui.screen_host`).

:func:`busy` says whether a call is still running: the idle lock waits for it (a lock never falls in the middle of
a signature), and tests and the smoke test wait for it (:func:`hemgenix_desktop.ui.driving.settle`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget

T = TypeVar("T")

_running: set[object] = set()  # the calls not yet handed back, the work in turns not yet done (kept referenced)
_when_idle: list[Callable[[], None]] = []


def busy() -> bool:
    """Whether a call is running, or its outcome is still on its way to the GUI thread, or work in :class:`Turns`
    has pieces left."""
    return bool(_running)


def _done(work: object) -> None:
    """``work`` (a call, or work in turns) is over: once nothing else runs, what waited for that is done."""
    _running.discard(work)
    if not _running:
        waiting = list(_when_idle)
        _when_idle.clear()
        for action in waiting:
            action()


def when_idle(action: Callable[[], None]) -> None:
    """Do ``action`` now when nothing runs, else on the GUI thread once the last call's outcome was shown."""
    if not _running:
        action()
    else:
        _when_idle.append(action)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What the call returned, or what it raised: :meth:`get` returns the one or raises the other."""

    value: T | None
    error: BaseException | None

    def get(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]  # no error: the call returned this


class _Delivery(QObject):
    """Lives on the GUI thread; its signal, emitted on the pool's thread, is delivered there (a queued call)."""

    delivered = Signal(object)


class _Call(QRunnable):
    """One call on the pool. Qt deletes it once ``run`` has returned (auto-delete, Qt's default); ``_running`` holds
    the Python object until its outcome is handed back. Not auto-deleted, it would never be freed: PySide gives a
    runnable to C++ when the pool starts it, and C++ never deletes one that is not auto-deleted, so every call, with
    what its closure holds (a whole preparation, its sealed record and PDFs), stayed for the rest of the program
    (issue 13, the memory that grew with every preparation)."""

    def __init__(self, call: Callable[[], object], delivery: _Delivery) -> None:
        super().__init__()
        self._call: Callable[[], object] | None = call
        self.delivery = delivery

    def run(self) -> None:
        call, self._call = self._call, None  # what the closure holds goes with the outcome, whenever Qt deletes this
        if call is None:  # pragma: no cover - the pool runs a runnable once
            return
        try:
            outcome: Outcome[object] = Outcome(call(), None)
        except Exception as exc:  # handed back whole, raised again on the GUI thread
            outcome = Outcome(None, exc)
        del call
        self.delivery.delivered.emit(outcome)


class BusyState:
    """While a call runs: ``buttons`` disabled, ``label`` (if given) saying what is happening, a busy cursor.

    ``label`` is a button whose text is replaced (``"Checking password…"``) and set back after. ``idle`` is
    whether nothing of this screen runs; a second press while it runs does nothing. The button that had the
    keyboard has it again after (Qt gives it to the next button while it is disabled: Enter then pressed Close).
    """

    def __init__(self, buttons: Sequence[QAbstractButton], label: QAbstractButton | None = None) -> None:
        self.buttons = list(buttons)
        self.label = label
        self._saved: list[tuple[QAbstractButton, bool]] = []
        self._text = ""
        self._focused: QAbstractButton | None = None
        self.idle = True

    def enter(self, text: str) -> None:
        self.idle = False
        self._saved = [(b, b.isEnabled()) for b in self.buttons]
        self._focused = next((b for b in self.buttons if b.hasFocus()), None)
        for button in self.buttons:
            button.setEnabled(False)
        if self.label is not None:
            self._text = self.label.text()
            self.label.setText(text)
            self.label.setProperty("busy", True)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def leave(self) -> None:
        QGuiApplication.restoreOverrideCursor()
        if self.label is not None:
            self.label.setText(self._text)
            self.label.setProperty("busy", False)
        for button, enabled in self._saved:
            button.setEnabled(enabled)
        self._saved = []
        self.idle = True
        focused, self._focused = self._focused, None
        if focused is not None and focused.isEnabled() and focused.isVisible():
            focused.setFocus(Qt.FocusReason.OtherFocusReason)


# One thread at a time loads ahead: two threads importing the same modules at once can each wait for a module
# the other is in the middle of, and Python then hands one of them a module not yet fully made.
_loading = threading.Lock()


class _Count:
    """How many of something run; ``none`` is set while none does."""

    def __init__(self) -> None:
        self.none = threading.Event()
        self.none.set()
        self._lock = threading.Lock()
        self._running = 0

    def begin(self) -> None:
        with self._lock:
            self._running += 1
            self.none.clear()

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self.none.set()


# The password checks running (:func:`checking_password`): argon2id runs its lanes on every core, and loading ahead
# beside it would take a core from it (a sign-in's check took about twice as long).
_checks = _Count()
# The loads ahead asked for and not finished (:func:`loading_ahead`), counted from the moment they are asked for.
_loads = _Count()


def checking_password(check: Callable[[], T]) -> T:
    """Run ``check`` (a password check, on the thread pool) with the machine to itself: loading ahead waits
    meanwhile, between two of its steps."""
    _checks.begin()
    try:
        return check()
    finally:
        _checks.end()


def loading_ahead() -> bool:
    """Whether loading ahead was asked for and has not finished: a screen that needs what it loads waits for it
    (``ui.screen_host``) rather than import the same modules on the GUI thread at the same time."""
    return not _loads.none.is_set()


def announce_loading() -> None:
    """Count a :func:`load_now` that this thread is about to do (with ``announced=True``) as under way from now."""
    _loads.begin()


def load_now(*steps: Callable[[], object], announced: bool = False) -> None:
    """Do ``steps`` one after the other on this (not the GUI) thread, for their cache, after any other loading
    ahead has finished, and each only while no password is checked; a failure is left to the code that needs it,
    which does the same again and says what is wrong. ``announced``: counted already (:func:`announce_loading`)."""
    if not announced:
        _loads.begin()
    try:
        with _loading:
            for step in steps:
                _checks.none.wait()
                with contextlib.suppress(Exception):
                    step()
    finally:
        _loads.end()


class _Ahead(QRunnable):
    def __init__(self, steps: tuple[Callable[[], object], ...]) -> None:
        super().__init__()
        self._steps = steps

    def run(self) -> None:
        load_now(*self._steps, announced=True)


def load_ahead(*steps: Callable[[], object]) -> None:
    """Do ``steps`` on the thread pool now, for their cache, so that the GUI thread finds them done (e.g. the kit
    catalogue the order page's dose needs); nothing waits for them, except a screen that needs them
    (:func:`loading_ahead`). As for :func:`load_now`, each step waits while a password is checked."""
    announce_loading()
    QThreadPool.globalInstance().start(_Ahead(steps))


def run_busy(
    owner: QWidget, state: BusyState, text: str, call: Callable[[], T], shown: Callable[[Outcome[T]], object]
) -> bool:
    """Run ``call`` on Qt's thread pool with ``state`` showing ``text``; then, on the GUI thread, ``shown`` gets its
    outcome (the busy state already left). False (nothing done) while ``state`` is busy already."""
    if not state.idle:
        return False
    state.enter(text)
    delivery = _Delivery()  # no parent: it is delivered even when ``owner`` was closed meanwhile
    task = _Call(call, delivery)

    alive = [True]
    owner.destroyed.connect(lambda *_gone: alive.clear())  # a screen closed and deleted meanwhile shows nothing

    def deliver(outcome: Outcome[T]) -> None:
        try:
            if alive:
                state.leave()
                shown(outcome)
            else:
                QGuiApplication.restoreOverrideCursor()
        finally:
            delivery.deleteLater()
            _done(task)

    delivery.delivered.connect(deliver, Qt.ConnectionType.QueuedConnection)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return True


def busy_until(
    owner: QWidget, state: BusyState, text: str, finished: SignalInstance, shown: Callable[[object], object]
) -> bool:
    """Like :func:`run_busy`, for work that Qt does on a thread of its own (C++, no Python there: e.g. QtPdf's
    page renderer) and that ends by emitting ``finished`` once, on the GUI thread: ``state`` shows ``text`` until
    then, then ``shown`` gets what ``finished`` carried. Start the work after this returned True (False: ``state``
    is busy already, nothing done). :func:`busy` says so meanwhile; a screen closed meanwhile shows nothing."""
    if not state.idle:
        return False
    state.enter(text)
    work = object()
    _running.add(work)

    def deliver(value: object) -> None:
        if work not in _running:  # its screen was closed meanwhile
            return
        try:
            state.leave()
            shown(value)
        finally:
            _done(work)

    def gone(*_args: object) -> None:
        if work in _running:
            QGuiApplication.restoreOverrideCursor()
            _done(work)

    finished.connect(deliver)
    owner.destroyed.connect(gone)
    return True


class Turns:
    """GUI-thread work too long for one turn of the event loop, in pieces: ``pieces`` is a generator whose every
    ``yield`` ends a piece (``yield 10``: the next piece 10 ms later, not on the next turn, e.g. while waiting for
    something). Each piece runs on a turn of its own (a zero timer; the first on the next turn), so that
    between pieces the window repaints, takes input and keeps time. :func:`busy` says so until the last piece is
    done (the idle lock, :func:`when_idle` and the tests' ``settle`` wait for it); :meth:`stop` drops the pieces
    not run yet."""

    def __init__(self, pieces: Iterator[object]) -> None:
        self._pieces = pieces
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._turn)
        _running.add(self)
        self._timer.start()

    def running(self) -> bool:
        return self in _running

    def _turn(self) -> None:
        try:
            wait = next(self._pieces)
        except StopIteration:
            self.stop()
            return
        except BaseException:
            self.stop()
            raise
        if self.running():  # not stopped by its own piece
            self._timer.start(wait if isinstance(wait, int) else 0)

    def stop(self) -> None:
        if self.running():
            self._timer.stop()
            _done(self)


__all__ = [
    "BusyState",
    "Outcome",
    "Turns",
    "announce_loading",
    "busy",
    "busy_until",
    "checking_password",
    "load_ahead",
    "load_now",
    "loading_ahead",
    "run_busy",
    "when_idle",
]
