"""Print record, Print label, Save PDFs… for one sealed record's PDFs: the signing flow's Done screen and a reprint.

Every print and save is audited (:class:`~hemgenix_desktop.services.sealing.OutputsAudit`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from hemgenix_desktop.records.outputs import PdfSaveError, RecordOutputs, save_outputs
from hemgenix_desktop.services.sealing import OutputsAudit
from hemgenix_desktop.services.shared_types import Store, User
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.background import BusyState, busy_until
from hemgenix_desktop.ui.printing import (
    MAX_RENDER_DPI,
    PageRendering,
    PrinterBackend,
    PrintOutcome,
    keep_pdfium_loaded,
    start_print,
)
from hemgenix_desktop.ui.widgets import EnterPressesButtons, MessageLabel, named


class RecordActions(QWidget):
    """Print record, Print label, Save PDFs… for the PDFs of one sealed record (the Done screen, a reprint).

    ``saved`` are the files already written (printing prints these, through Qt's print preview); when None,
    printing first saves both PDFs into ``folder``. Every print and save is audited against ``prep_id``.
    """

    def __init__(
        self,
        outputs: RecordOutputs,
        *,
        prep_id: str,
        store: Store,
        user: User,
        workstation: str,
        printer: PrinterBackend,
        folder: Path,
        saved: tuple[Path, Path] | None,
        prefix: str = "done",
    ) -> None:
        super().__init__()
        self.outputs = outputs
        self.prep_id = prep_id
        self.store = store
        self.user = user
        self.workstation = workstation
        self.printer = printer
        self.folder = folder
        self.saved = saved
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.print_record_button = named(
            QPushButton(self.tr("Print record…")), f"{prefix}PrintRecordButton", self.tr("Print the preparation record")
        )
        self.print_label_button = named(
            QPushButton(self.tr("Print label…")), f"{prefix}PrintLabelButton", self.tr("Print the bag label")
        )
        self.save_button = named(
            QPushButton(self.tr("Save PDFs…")), f"{prefix}SavePdfsButton", self.tr("Save both PDFs in a folder")
        )
        for button in (self.print_record_button, self.print_label_button, self.save_button):
            button.setAutoDefault(False)
            button.setMinimumHeight(36)
            button.setMinimumWidth(150)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = MessageLabel(f"{prefix}Message", self.tr("What became of printing or saving"), "status")
        layout.addWidget(self.message)
        self.print_record_button.clicked.connect(lambda _checked=False: self.print_pdf("record"))
        self.print_label_button.clicked.connect(lambda _checked=False: self.print_pdf("label"))
        self.save_button.clicked.connect(self.ask_folder)
        EnterPressesButtons(self)  # in the reprint box too, a dialog: Enter on "Save PDFs…" presses it, as Space does
        self.last_outcome: PrintOutcome | None = None
        every = [self.print_record_button, self.print_label_button, self.save_button]
        self.busy = {  # the pages are rendered off the GUI thread before the preview opens (ui/background.py)
            "record": BusyState(every, self.print_record_button),
            "label": BusyState(every, self.print_label_button),
        }
        self.audit = OutputsAudit(store, user, workstation, prep_id, outputs)

    def _files(self) -> tuple[Path, Path]:
        if self.saved is None:
            self.saved = save_outputs(self.outputs, self.folder)
        return self.saved

    def print_pdf(self, kind: str) -> None:
        """Print the record (``kind`` "record") or the label ("label") from its saved PDF."""
        try:
            record_path, label_path = self._files()
        except PdfSaveError as exc:
            self.message.show_message(
                self.tr("Nothing was printed: the PDF could not be saved first. {reason}").format(reason=exc.message),
                "error",
            )
            return
        path = record_path if kind == "record" else label_path
        if any(not state.idle for state in self.busy.values()):
            return
        keep_pdfium_loaded()  # kept initialised from one print preview to the next (each teardown leaks)
        rendering = PageRendering(path, MAX_RENDER_DPI, self)  # on QtPdf's own thread, before the preview opens
        state, text = self.busy[kind], self.tr("Preparing the print preview…")
        if busy_until(self, state, text, rendering.finished, lambda _pages: self._preview(kind, path, rendering)):
            rendering.start()

    def _preview(self, kind: str, path: Path, rendering: PageRendering) -> None:
        pages = rendering.pages or None  # none: the file could not be read, and the preview says why
        rendering.deleteLater()
        start_print(self, path, kind, self.printer, lambda outcome: self._printed(kind, path, outcome), pages)

    def _printed(self, kind: str, path: Path, outcome: PrintOutcome) -> None:
        self.last_outcome = outcome
        problem = self.audit.printed(
            kind,
            path.name,
            printed=outcome.printed,
            message=outcome.message,
            printer=outcome.printer,
            copies=outcome.copies,
            pages=outcome.pages,
        )
        self.message.show_message(outcome.message + problem, "ok" if outcome.printed and not problem else "error")

    def ask_folder(self) -> None:
        msgbox.choose_folder(self, self.tr("Save the record and the label"), str(self.folder), self._folder_chosen)

    def _folder_chosen(self, folder: str) -> None:
        self.save_to(folder)

    def save_to(self, folder: str) -> tuple[Path, Path] | None:
        """Save both PDFs into ``folder`` and say so (or why not)."""
        try:
            record_path, label_path, problem = self.audit.save_to(Path(folder))
        except PdfSaveError as exc:
            self.message.show_message(exc.message, "error")
            return None
        self.message.show_message(
            self.tr("Saved {record} and {label} in {folder}.").format(
                record=record_path.name, label=label_path.name, folder=record_path.parent
            )
            + problem,
            "ok" if not problem else "error",
        )
        return record_path, label_path


__all__ = ["RecordActions"]
