"""Emitting signals from Python never uses up ``True``.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so on Python 3.11
every emit takes one reference away from the interpreter's ``True`` until it is freed and Python aborts
("Fatal Python error: bool_dealloc") in the middle of a preparation. pyproject.toml excludes that release; this
test fails on any PySide6 that has the bug, so a future release with it is caught before it ships.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    bare = Signal()
    text = Signal(str)


def test_emitting_signals_does_not_take_references_from_true() -> None:
    emitter = Emitter()
    received: list[str] = []
    emitter.text.connect(received.append)
    emitter.bare.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.bare.emit()
        emitter.text.emit("x")
    assert len(received) == 500
    assert sys.getrefcount(True) >= before - 10  # the bug takes 1000 references here
