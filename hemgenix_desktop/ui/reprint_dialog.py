"""The copy of one sealed record, opened by History's "Reprint record and label…" (:mod:`ui.history`): what it is,
how every page is marked, and the Print record, Print label and Save PDFs… buttons of the Done screen for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.services.shared_types import PreparationSummary, User
from hemgenix_desktop.ui.record_actions import RecordActions
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import PracticeBanner, named

if TYPE_CHECKING:
    from hemgenix_desktop.records.outputs import RecordOutputs
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.ui.printing import PrinterBackend


class ReprintDialog(QDialog):
    """The copy of one sealed record: what it is, and the Print record, Print label and Save PDFs… buttons."""

    def __init__(
        self,
        outputs: RecordOutputs,
        summary: PreparationSummary,
        services: Workstation,
        user: User,
        printer: PrinterBackend,
        *,
        practice: bool,
        parent: QWidget | None = None,
    ) -> None:

        super().__init__(parent)
        named(self, "reprintDialog", self.tr("Reprint of a sealed record"))
        title = self.tr("Hemgenix Prep: reprint")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if practice else title)
        self.setStyleSheet(STYLE_SHEET)
        self.outputs = outputs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        if practice:
            layout.addWidget(PracticeBanner("reprintPracticeBanner"))
        layout.addWidget(
            heading_label(
                self.tr("Reprint of record {record_id}").format(record_id=outputs.record_id), "reprintHeading"
            )
        )
        marking = outputs.reprint.marking() if outputs.reprint is not None else ""
        self.summary = named(
            QLabel(), "reprintSummaryLabel", self.tr("Which record is reprinted, and how it is marked")
        )
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setText(
            self.tr(
                "Preparation {id} for {patient} (born {born}, MRN {mrn}).\nEvery page of the record and of the label "
                "is marked: {marking}.\nThe original record is unchanged; this reprint is in the audit trail."
            ).format(
                id=summary.short_id,
                patient=summary.patient_name,
                born=summary.patient_date_of_birth.isoformat(),
                mrn=summary.patient_mrn,
                marking=marking,
            )
            + (
                "\n"
                + self.tr(
                    "The record was corrected: this copy is of its newest amendment, the record in force. The "
                    "records it corrects are unchanged and stay in the audit trail."
                )
                if summary.amendments
                else ""
            )
        )
        layout.addWidget(self.summary)
        self.record_actions: RecordActions = RecordActions(
            outputs,
            prep_id=summary.id,
            store=services.store,
            user=user,
            workstation=services.workstation,
            printer=printer,
            folder=services.records_dir,
            saved=None,
            prefix="reprint",
        )
        layout.addWidget(self.record_actions)
        layout.addStretch(1)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = named(QPushButton(self.tr("Close")), "reprintCloseButton", self.tr("Close the reprint"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        close_row.addWidget(self.close_button)
        layout.addLayout(close_row)
        self.resize(760, 300)


__all__ = ["ReprintDialog"]
