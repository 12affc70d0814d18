"""A line edit made for keyboard-wedge barcode scanners.

A wedge scanner "types" the code and ends with Enter. For a GS1 DataMatrix it sends the group separator
(GS, 0x1D) between variable-length fields, often as Ctrl+], which a plain QLineEdit drops; some scanners
send a configured stand-in character instead, and many put the symbology identifier (``]d2``) first.

The field shows GS as the visible mark ‖ (U+2016; common fonts lack the control picture ␝) so the operator
can see it, hands the data on with
real GS characters, and emits :attr:`ScanField.scanned` on Enter in the same event-loop turn. Enter never
reaches the dialog, so a scan never presses the wizard's Next button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from hemgenix_desktop.domain.carton import GS

GS_SHOWN = "\u2016"  # ‖, outside the GS1 character set


class ScanField(QLineEdit):
    """Emits ``scanned(data)`` on Enter, with the group separators as GS characters."""

    scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(600)
        self.returnPressed.connect(self.emit_scan)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.text() == GS:
            self.insert(GS_SHOWN)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)  # emits returnPressed → scanned
            event.accept()  # keep Enter away from the wizard's default button
            return
        super().keyPressEvent(event)

    def set_scan_text(self, text: str) -> None:
        """Put text into the field as a scanner would (GS characters shown as ‖)."""
        self.setText(text.replace(GS, GS_SHOWN))

    def scan_data(self) -> str:
        """The field's text with ‖ turned back into GS."""
        return self.text().replace(GS_SHOWN, GS)

    def emit_scan(self) -> None:
        self.scanned.emit(self.scan_data())
