"""Printing a sealed record's PDFs.

PySide6's QtPdf module (which renders PDF pages for a Qt print preview) is not part of pyside6-essentials, the
Qt package this program ships with, so the program does not render PDF pages itself. Print sends the **saved**
PDF file, byte for byte, to this computer's print service (the CUPS command ``lp``, which prints PDF files
natively); the print dialog chooses the printer and the number of copies and can open the PDF in the system's
PDF viewer to look at it first. The file is saved before it is printed, so a missing printer or a failed print
says so in a sentence and the saved PDF stays where it is.

The print service is a :class:`PrinterBackend`; tests and the smoke test give their own, so no printer is
needed to test printing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import MessageLabel, field_label, hint_label, named

MAX_COPIES = 10
_LIST_TIMEOUT_S = 15
_SUBMIT_TIMEOUT_S = 60


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class PrintServiceMissing(DomainError):  # noqa: N818 - reads as the user sees it
    """This computer has no print service to send the PDF to."""


class PrintFailed(DomainError):  # noqa: N818
    """The print service refused or failed the job; ``message`` is its reason in words (no advice)."""


class PrinterBackend(Protocol):
    """Where printing goes: the system's print service, or a stand-in for tests and the smoke test."""

    def printers(self) -> list[str]:
        """The printers set up on this computer (may be empty). Raises :class:`PrintServiceMissing`."""
        ...

    def default_printer(self) -> str | None:
        """The default printer's name, or None."""
        ...

    def submit(self, path: Path, printer: str, copies: int, title: str) -> str:
        """Send the PDF file to ``printer``; returns the job's description ("request id is …").
        Raises :class:`PrintFailed` with the reason."""
        ...


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PrintFailed(f"the print service did not answer within {timeout} seconds") from exc
    except OSError as exc:
        raise PrintFailed(f"the print command could not be started ({exc.strerror or exc})") from exc


class SystemPrinters:
    """CUPS through its commands: ``lpstat -e`` lists the printers, ``lpstat -d`` names the default one,
    ``lp -d PRINTER -n COPIES -t TITLE -- FILE`` prints the file."""

    def _tool(self, name: str) -> str:
        found = shutil.which(name)
        if found is None:
            raise PrintServiceMissing(f"the command {name} of the print service CUPS is not installed")
        return found

    def printers(self) -> list[str]:
        result = _run([self._tool("lpstat"), "-e"], _LIST_TIMEOUT_S)
        if result.returncode != 0:  # "No destinations added." (or the scheduler is not running)
            return []
        return [line.strip() for line in result.stdout.splitlines() if line.strip()]

    def default_printer(self) -> str | None:
        result = _run([self._tool("lpstat"), "-d"], _LIST_TIMEOUT_S)
        text = result.stdout.strip()
        if result.returncode != 0 or ":" not in text or text.lower().startswith("no system default"):
            return None
        return text.split(":", 1)[1].strip() or None

    def submit(self, path: Path, printer: str, copies: int, title: str) -> str:
        command = [self._tool("lp"), "-d", printer, "-n", str(copies), "-t", title, "--", str(path)]
        result = _run(command, _SUBMIT_TIMEOUT_S)
        if result.returncode != 0:
            reason = " ".join((result.stderr or result.stdout).split()) or f"lp ended with code {result.returncode}"
            raise PrintFailed(reason.removeprefix("lp: ").rstrip("."))
        return " ".join(result.stdout.split()) or "sent"


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print request: ``printed`` and the sentence to show (always set)."""

    printed: bool
    message: str
    printer: str = ""
    copies: int = 0


def _what(kind: str) -> str:
    return tr("preparation record") if kind == "record" else tr("bag label")


def no_service_sentence(kind: str, path: Path) -> str:
    return tr(
        "This computer has no print service (the CUPS command lp is missing), so the {what} was not printed. "
        "It is saved as {path}: print that file from a computer with a printer, or ask IT to set up printing here."
    ).format(what=_what(kind), path=path)


def no_printer_sentence(kind: str, path: Path) -> str:
    return tr(
        "No printer is set up on this computer, so the {what} was not printed. It is saved as {path}: ask IT to "
        "set up a printer, or print that file from another computer."
    ).format(what=_what(kind), path=path)


def no_list_sentence(kind: str, path: Path, reason: str) -> str:
    return tr(
        "The printers of this computer could not be listed ({reason}), so the {what} was not printed. It is saved "
        "as {path}: try again in a minute, or print that file from another computer."
    ).format(what=_what(kind), reason=reason, path=path)


def failed_sentence(kind: str, path: Path, printer: str, reason: str) -> str:
    return tr(
        "The {what} was not printed: the printer {printer} did not take it ({reason}). It is saved as {path}: "
        "check the printer and print again."
    ).format(what=_what(kind), printer=printer, reason=reason, path=path)


def sent_sentence(kind: str, printer: str, copies: int, job: str) -> str:
    if copies == 1:
        text = tr("The {what} was sent to the printer {printer} (1 copy; {job}). Collect it and check every page.")
    else:
        text = tr(
            "The {what} was sent to the printer {printer} ({copies} copies; {job}). Collect them and check every page."
        )
    return text.format(what=_what(kind), printer=printer, copies=copies, job=job)


class PrintDialog(QDialog):
    """Choose the printer and the copies for one saved PDF, then print it. Never blocks: opened with
    ``open()``; the outcome goes to ``finished_printing`` (and the dialog closes)."""

    finished_printing = Signal(object)  # PrintOutcome

    def __init__(
        self,
        path: Path,
        kind: str,
        printers: list[str],
        default: str | None,
        backend: PrinterBackend,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.kind = kind
        self.backend = backend
        title = tr("Print the preparation record") if kind == "record" else tr("Print the bag label")
        named(self, "printDialog", title)
        self.setWindowTitle(title)
        self.setStyleSheet(STYLE_SHEET)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        heading = named(QLabel(title), "printHeading", title)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.file_label = named(
            QLabel(tr("File: {path}").format(path=path)), "printFileLabel", tr("The PDF file that is printed")
        )
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = named(QPushButton(tr("Open the PDF")), "printOpenButton", tr("Open the PDF in the viewer"))
        self.open_button.setAutoDefault(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(file_row)
        layout.addWidget(
            hint_label(
                tr(
                    "The saved PDF goes to the printer unchanged, through this computer's print service. This "
                    "program shows no print preview: press “Open the PDF” to look at it in your PDF viewer first."
                )
            )
        )
        grid = QGridLayout()
        self.printer_combo = named(QComboBox(), "printPrinterCombo", tr("Printer"))
        for name in printers:
            self.printer_combo.addItem(name, name)
        if default is not None and default in printers:
            self.printer_combo.setCurrentIndex(printers.index(default))
        self.copies_spin = named(QSpinBox(), "printCopiesSpin", tr("Number of copies"))
        self.copies_spin.setRange(1, MAX_COPIES)
        self.copies_spin.setValue(1)
        grid.addWidget(field_label(tr("Printer"), self.printer_combo), 0, 0)
        grid.addWidget(self.printer_combo, 0, 1)
        grid.addWidget(field_label(tr("Copies"), self.copies_spin), 1, 0)
        grid.addWidget(self.copies_spin, 1, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.message = MessageLabel("printMessage", tr("Printing problem"))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.print_button = named(QPushButton(tr("Print")), "printPrintButton", tr("Print"))
        self.cancel_button = named(QPushButton(tr("Cancel")), "printCancelButton", tr("Cancel printing"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.setDefault(True)
        layout.addWidget(buttons)
        self.open_button.clicked.connect(self.open_pdf)
        self.print_button.clicked.connect(self.print_now)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(620, 300)

    def open_pdf(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))):
            self.message.show_message(
                tr("No PDF viewer could open {path}. Open the file from the file manager.").format(path=self.path)
            )

    def print_now(self) -> PrintOutcome:
        printer = str(self.printer_combo.currentData() or "")
        copies = self.copies_spin.value()
        title = self.path.name
        try:
            job = self.backend.submit(self.path, printer, copies, title)
        except (PrintFailed, PrintServiceMissing) as exc:
            outcome = PrintOutcome(False, failed_sentence(self.kind, self.path, printer, exc.message), printer, copies)
        else:
            outcome = PrintOutcome(True, sent_sentence(self.kind, printer, copies, job), printer, copies)
        self.finished_printing.emit(outcome)
        self.accept()
        return outcome


def start_print(
    parent: QWidget,
    path: Path,
    kind: str,
    backend: PrinterBackend,
    on_done: Callable[[PrintOutcome], None],
) -> PrintDialog | None:
    """Print the saved PDF at ``path`` (``kind`` "record" or "label"). Opens the print dialog, or, when there
    is no print service or no printer, calls ``on_done`` at once with the sentence and returns None."""
    try:
        printers = backend.printers()
        default = backend.default_printer() if printers else None
    except PrintServiceMissing:
        on_done(PrintOutcome(False, no_service_sentence(kind, path)))
        return None
    except PrintFailed as exc:
        on_done(PrintOutcome(False, no_list_sentence(kind, path, exc.message)))
        return None
    if not printers:
        on_done(PrintOutcome(False, no_printer_sentence(kind, path)))
        return None
    dialog = PrintDialog(path, kind, printers, default, backend, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished_printing.connect(on_done)
    dialog.open()
    return dialog
