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

:func:`busy` says whether a call is still running: the idle lock waits for it (a lock never falls in the middle of
a signature), and tests and the smoke test wait for it (:func:`hemgenix_desktop.ui.driving.settle`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget

T = TypeVar("T")

_running: set[_Call] = set()  # the calls not yet handed back (kept referenced until they are)
_when_idle: list[Callable[[], None]] = []


def busy() -> bool:
    """Whether a call is running, or its outcome is still on its way to the GUI thread."""
    return bool(_running)


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
        self._call = call
        self.delivery = delivery

    def run(self) -> None:
        try:
            outcome: Outcome[object] = Outcome(self._call(), None)
        except Exception as exc:  # handed back whole, raised again on the GUI thread
            outcome = Outcome(None, exc)
        self.delivery.delivered.emit(outcome)


class BusyState:
    """While a call runs: ``buttons`` disabled, ``label`` (if given) saying what is happening, a busy cursor.

    ``label`` is a button whose text is replaced (``"Checking password…"``) and set back after. ``idle`` is
    whether nothing of this screen runs; a second press while it runs does nothing.
    """

    def __init__(self, buttons: Sequence[QAbstractButton], label: QAbstractButton | None = None) -> None:
        self.buttons = list(buttons)
        self.label = label
        self._saved: list[tuple[QAbstractButton, bool]] = []
        self._text = ""
        self.idle = True

    def enter(self, text: str) -> None:
        self.idle = False
        self._saved = [(b, b.isEnabled()) for b in self.buttons]
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


class _Ahead(QRunnable):
    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self._call = call

    def run(self) -> None:
        with contextlib.suppress(Exception):  # done again where it is needed, which then says what is wrong
            self._call()


def load_ahead(call: Callable[[], object]) -> None:
    """Do ``call`` on the thread pool now, for its cache, so that the GUI thread finds it done (e.g. the kit
    catalogue the order page's dose needs, while the password is checked); nothing waits for it."""
    QThreadPool.globalInstance().start(_Ahead(call))


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
            _running.discard(task)
            delivery.deleteLater()
            if not _running:
                waiting = list(_when_idle)
                _when_idle.clear()
                for action in waiting:
                    action()

    delivery.delivered.connect(deliver, Qt.ConnectionType.QueuedConnection)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return True


__all__ = ["BusyState", "Outcome", "busy", "load_ahead", "run_busy", "when_idle"]
