"""Driving the program's screens as an operator does: type, click, tick, choose, scan, print.

One driver, shared by the smoke test (:mod:`hemgenix_desktop.ui.smoke`, behind ``hemgenix-prep smoke-test``, which
runs on a pharmacy's workstation) and the tests (tests/ui/helpers.py, and through it the kill-and-resume driver
and scripts/screenshots.py). Widgets are found by their object names, the names hospital test automation uses
(docs/automation.md).

Text arrives as a person's typing does: ``setText``, then ``textEdited``, then ``editingFinished`` as they leave the
field, so inline messages and stops behave as on screen. A widget that is not on the screen, or a button that is
disabled, raises :class:`NotOnScreen` with a sentence: an ``AssertionError``, so that a test fails on it, and the
smoke test reports it as the failure of its step.

A click waits, as a person at the screen does, until what it started off the GUI thread (a password checked, the
record sealed: :mod:`hemgenix_desktop.ui.background`) is done and shown (:func:`settle`); ``wait=False`` does not,
to see the busy state.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, QThreadPool, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QComboBox, QLineEdit, QWidget

from hemgenix_desktop.ui.background import busy
from hemgenix_desktop.ui.scanfield import ScanField

T = TypeVar("T", bound=QObject)


class NotOnScreen(AssertionError):  # noqa: N818 - reads as the sentence says it
    """The screen has no widget of that name, or the button to press is disabled."""


def find(root: QWidget, kind: type[T], name: str) -> T:
    found = root.findChild(kind, name)
    if found is None:
        raise NotOnScreen(f"the screen has no {kind.__name__} named {name}")
    return found


def type_text(root: QWidget, name: str, text: str) -> None:
    edit = find(root, QLineEdit, name)
    edit.setText(text)
    edit.textEdited.emit(text)
    edit.editingFinished.emit()


def settle(timeout_ms: int = 120_000) -> None:
    """Process events until no call runs off the GUI thread and its outcome is shown (the screen is idle again);
    :class:`NotOnScreen` if that takes longer than ``timeout_ms``."""
    deadline = QDeadlineTimer(timeout_ms)
    while busy():
        if deadline.hasExpired():
            raise NotOnScreen(f"the screen was still busy after {timeout_ms / 1000:.0f} s")
        QThreadPool.globalInstance().waitForDone(20)  # the call's thread ends; its outcome is then a posted event
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def click(root: QWidget, name: str, *, wait: bool = True) -> None:
    button = find(root, QAbstractButton, name)
    if not button.isEnabled():
        raise NotOnScreen(f"{name} is disabled")
    button.click()
    if wait:
        settle()


def tick(root: QWidget, name: str, on: bool = True) -> None:
    find(root, QCheckBox, name).setChecked(on)


def choose(root: QWidget, name: str, value: str) -> None:
    """Choose the entry of the combo box ``name`` whose data is ``value``."""
    combo = find(root, QComboBox, name)
    index = combo.findData(value)
    if index < 0:
        raise NotOnScreen(f"{value} is not in {name}")
    combo.setCurrentIndex(index)


def scan(root: QWidget, data: str, name: str = "kitScanField") -> None:
    """What a keyboard-wedge scanner sends into the scan field: the data, then Enter."""
    field = find(root, ScanField, name)
    field.set_scan_text(data)
    field.textEdited.emit(field.text())
    field.emit_scan()


def print_from(preview: QWidget, button: str = "printPreviewPrintButton") -> None:
    """Press Print in the print preview, then Print in Qt's print dialog that it opens (from inside its loop)."""

    def accept() -> None:
        dialog = preview.findChild(QPrintDialog)
        if dialog is not None:
            dialog.accept()

    QTimer.singleShot(0, accept)
    click(preview, button)
