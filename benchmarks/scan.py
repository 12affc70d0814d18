"""Scan to feedback: from the Enter key in the scan field to the parsed carton shown on the kit page.

Runs in its own process (``python -m benchmarks.scan N``), offscreen, on the real wizard walked to the kit
page with the UI tests' helpers. Each round the field is filled as a wedge scanner types it (a different
serial every time, so the result really changes), the typing is painted, then the clock starts, Enter is
sent as a key event, and the clock stops when the serial's label has been repainted with the new value.
Prints one JSON object: every round's time, and the part spent before the repaint (parsing and checks).
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from benchmarks.common import own_peak_rss_bytes
from hemgenix_desktop.ui.scanfield import ScanField
from tests.ui.helpers import find, kit_code, make_wizard, walk_to

WARM_UP = 3
GIVE_UP_S = 5.0


class PaintWatch(QObject):
    def __init__(self, widget: QLabel) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def measure(rounds: int) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    wizard = make_wizard()
    wizard.show()
    walk_to(wizard, "kit")
    app.processEvents()
    field = find(wizard, ScanField, "kitScanField")
    serial = find(wizard, QLabel, "kitSerialValue")
    watch = PaintWatch(serial)
    total: list[float] = []
    before_paint: list[float] = []
    for i in range(WARM_UP + rounds):
        expected = f"SER{i:05d}"
        field.set_scan_text(kit_code(serial=expected))
        app.processEvents()
        painted = watch.count
        started = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_Return)
        handled = time.perf_counter()
        while watch.count == painted:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            if time.perf_counter() - started > GIVE_UP_S:
                raise RuntimeError("the kit page did not repaint the scanned serial")
        shown = time.perf_counter()
        if serial.text() != expected:
            raise RuntimeError(f"the kit page shows serial {serial.text()!r}, not {expected!r}")
        if i >= WARM_UP:
            total.append(shown - started)
            before_paint.append(handled - started)
    wizard.close()
    return {"total": total, "before_paint": before_paint, "peak_rss_bytes": own_peak_rss_bytes()}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
