"""The yardstick for the cold start: a bare PySide6 program that shows a 6-page QWizard and exits as
``hemgenix-prep --exit-when-ready`` does.

Each page has a title, a line of text and one field, nothing else: this is what any Qt wizard costs
(the interpreter, PySide6, a QApplication, a window painted once). It exits the same way as the real
program's ``--exit-when-ready``: after the first paint of the window, on the next turn of the event loop,
once the window is visible, enabled and updating, it prints a line and ends the loop with 0.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget, QWizard, QWizardPage

PAGES = 6
READY_TIMEOUT_MS = 30_000


class ReadyWatch(QObject):
    """Ends the event loop with 0 once the window has painted and takes input (the app's rule)."""

    def __init__(self, window: QWidget, app: QApplication) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self.painted = False
        window.installEventFilter(self)
        QTimer.singleShot(READY_TIMEOUT_MS, lambda: app.exit(1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._check)
        return False

    def _check(self) -> None:
        window = self.window
        if window.isVisible() and window.isEnabled() and window.updatesEnabled():
            t0 = os.environ.get("HEMGENIX_BENCH_T0")  # benchmarks/usable_start.py: seconds since the parent started it
            if t0 is not None:
                import json

                sys.stdout.write(json.dumps({"painted": time.monotonic() - float(t0)}) + "\n")
            sys.stdout.write("Bare wizard is ready.\n")
            self.app.exit(0)
        else:
            QTimer.singleShot(50, self._check)


def build() -> QWizard:
    wizard = QWizard()
    wizard.setWindowTitle("Bare wizard")
    for number in range(1, PAGES + 1):
        page = QWizardPage()
        page.setTitle(f"Step {number} of {PAGES}")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(f"Page {number}: type something."))
        layout.addWidget(QLineEdit())
        wizard.addPage(page)
    wizard.resize(1180, 760)
    return wizard


def main() -> int:
    app = QApplication(sys.argv[:1])
    wizard = build()
    wizard.show()
    ReadyWatch(wizard, app)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
