"""The History window: find preparations (patient, identifier, date, status) and read each one's audit trail.

A search is ``Store.search``; the trail is ``Store.audit_trail(id)``, oldest event first, with who, when,
where and what, and for the selected event the values before and after. Reading only: nothing here changes
a preparation. The window belongs to the main window, which hides it while the screen is locked.
"""

from __future__ import annotations

import json
from datetime import date, tzinfo
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.entry import parse_date
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.storage import AuditEvent, PreparationStatus, PreparationSummary, StorageError, Store
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.pages.base import PAGE_KEYS
from hemgenix_desktop.ui.resume import cell, read_only_table
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import DateField, MessageLabel, PracticeBanner, field_label, hint_label, named

MAX_VALUE_CHARS = 300  # a long value (a sealed record's canonical text) is cut in the details, never in the trail


def _value(values: dict[str, Any], path: str) -> str:
    if path not in values:
        return "(none)"
    text = json.dumps(values[path], ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


class HistoryWindow(QWidget):
    """Search, results, and the selected preparation's audit trail."""

    def __init__(
        self, store: Store, *, practice: bool, tz: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        named(self, "historyWindow", self.tr("History of preparations"))
        title = self.tr("Hemgenix Prep: history")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if practice else title)
        self.setStyleSheet(STYLE_SHEET)
        self._store = store
        self._tz = tz
        self.results: list[PreparationSummary] = []
        self.events: list[AuditEvent] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        if practice:
            layout.addWidget(PracticeBanner("historyPracticeBanner"))
        layout.addWidget(heading_label(self.tr("History of preparations"), "historyHeading"))

        box = QGroupBox(self.tr("Search"))
        box.setObjectName("historySearchGroup")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.patient = named(QLineEdit(), "historyPatientEdit", self.tr("Patient name or MRN, or part of it"))
        self.identifier = named(QLineEdit(), "historyIdentifierEdit", self.tr("Patient-specific identifier"))
        self.date_from = named(DateField(), "historyDateFromEdit", self.tr("Started on or after, YYYY-MM-DD"))
        self.date_to = named(DateField(), "historyDateToEdit", self.tr("Started on or before, YYYY-MM-DD"))
        self.status = named(QComboBox(), "historyStatusCombo", self.tr("Status"))
        self.status.addItem(self.tr("Any status"), "")
        for status, text in (
            (PreparationStatus.DRAFT, self.tr("Draft (unfinished)")),
            (PreparationStatus.SIGNED, self.tr("Signed")),
            (PreparationStatus.SEALED, self.tr("Sealed")),
            (PreparationStatus.VOIDED, self.tr("Voided")),
        ):
            self.status.addItem(text, status.value)
        grid.addWidget(field_label(self.tr("Patient (name or MRN)"), self.patient), 0, 0)
        grid.addWidget(self.patient, 0, 1)
        grid.addWidget(field_label(self.tr("Identifier"), self.identifier), 0, 2)
        grid.addWidget(self.identifier, 0, 3)
        grid.addWidget(field_label(self.tr("Started from"), self.date_from), 1, 0)
        grid.addWidget(self.date_from, 1, 1)
        grid.addWidget(field_label(self.tr("to"), self.date_to), 1, 2)
        grid.addWidget(self.date_to, 1, 3)
        grid.addWidget(field_label(self.tr("Status"), self.status), 2, 0)
        grid.addWidget(self.status, 2, 1)
        self.search_button = named(QPushButton(self.tr("Search")), "historySearchButton", self.tr("Search"))
        self.search_button.setAutoDefault(True)
        self.search_button.clicked.connect(self.search)
        self.clear_button = named(
            QPushButton(self.tr("Show all")), "historyClearButton", self.tr("Clear the search and show all")
        )
        self.clear_button.clicked.connect(self.clear_search)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for edit in (self.patient, self.identifier, self.date_from, self.date_to):
            edit.returnPressed.connect(self.search)
        layout.addWidget(box)
        self.message = MessageLabel("historyMessage", self.tr("What is wrong with the search, or what it found"))
        layout.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("historySplitter")
        splitter.setChildrenCollapsible(False)
        self.table = read_only_table(
            "historyResultsTable",
            self.tr("Preparations found"),
            [
                self.tr("Started"),
                self.tr("Patient"),
                self.tr("Born"),
                self.tr("MRN"),
                self.tr("Identifier"),
                self.tr("Status"),
                self.tr("Started by"),
                self.tr("Preparation"),
            ],
        )
        self.table.itemSelectionChanged.connect(self.show_selected_trail)
        splitter.addWidget(self.table)

        trail = QWidget()
        trail_layout = QVBoxLayout(trail)
        trail_layout.setContentsMargins(0, 6, 0, 0)
        self.trail_title = named(QLabel(), "historyTrailTitle", self.tr("Whose audit trail is shown"))
        self.trail_title.setProperty("role", "fieldLabel")
        self.trail_title.setWordWrap(True)
        trail_layout.addWidget(self.trail_title)
        self.trail = read_only_table(
            "historyTrailTable",
            self.tr("Audit trail of the selected preparation"),
            [self.tr("#"), self.tr("When"), self.tr("Who"), self.tr("Workstation"), self.tr("What happened")],
        )
        self.trail.itemSelectionChanged.connect(self.show_selected_event)
        trail_layout.addWidget(self.trail, 3)
        trail_layout.addWidget(hint_label(self.tr("The selected event's values, before → after:")))
        self.details = named(
            QPlainTextEdit(), "historyEventDetails", self.tr("The selected event's values before and after")
        )
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        trail_layout.addWidget(self.details, 2)
        splitter.addWidget(trail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 460])
        layout.addWidget(splitter, 1)

        close = QHBoxLayout()
        close.addStretch(1)
        self.close_button = named(QPushButton(self.tr("Close")), "historyCloseButton", self.tr("Close the history"))
        self.close_button.clicked.connect(self.close)
        close.addWidget(self.close_button)
        layout.addLayout(close)
        self.resize(1240, 760)

    # --- searching -------------------------------------------------------------------------------------
    def _date(self, edit: QLineEdit, what: str) -> date | None:
        return parse_date(edit.text(), what) if edit.text().strip() else None

    def search(self) -> bool:
        """Search with what is filled in; False (with the sentence) when a field is wrong or the database
        cannot be read."""
        try:
            first = self._date(self.date_from, "first day")
            last = self._date(self.date_to, "last day")
            if first is not None and last is not None and first > last:
                raise InvalidInput(
                    self.tr("The first day ({first}) is after the last day ({last}). Swap them or correct one.").format(
                        first=first.isoformat(), last=last.isoformat()
                    )
                )
            chosen = str(self.status.currentData() or "")
            self.results = self._store.search(
                patient=self.patient.text(),
                identifier=self.identifier.text(),
                date_from=first,
                date_to=last,
                status=PreparationStatus(chosen) if chosen else None,
                local_zone=self._tz,
            )
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            return False
        count = len(self.results)
        if count == 0:
            found = self.tr("No preparation matches this search.")
        elif count == 1:
            found = self.tr("1 preparation found.")
        else:
            found = self.tr("{count} preparations found, the newest first.").format(count=count)
        self.message.show_message(found, "status")
        self._fill_results()
        return True

    def clear_search(self) -> None:
        for edit in (self.patient, self.identifier, self.date_from, self.date_to):
            edit.clear()
        self.status.setCurrentIndex(0)
        self.search()

    def _status_text(self, s: PreparationSummary) -> str:
        words = {
            PreparationStatus.DRAFT: self.tr("draft"),
            PreparationStatus.SIGNED: self.tr("signed"),
            PreparationStatus.SEALED: self.tr("sealed"),
            PreparationStatus.VOIDED: self.tr("voided"),
        }
        text = words[s.status]
        if s.status is PreparationStatus.DRAFT and s.step in PAGE_KEYS:
            text = self.tr("draft, at step {number} of {total}").format(
                number=PAGE_KEYS.index(s.step) + 1, total=len(PAGE_KEYS)
            )
        if s.status is PreparationStatus.VOIDED and s.void_reason:
            text = self.tr("voided: {reason}").format(reason=s.void_reason)
        return text

    def _fill_results(self) -> None:
        self.table.clearSelection()
        self.table.setRowCount(len(self.results))
        for row, s in enumerate(self.results):
            values = [
                clock_time(s.created_at, self._tz),
                s.patient_name,
                s.patient_date_of_birth.isoformat(),
                s.patient_mrn,
                s.patient_identifier,
                self._status_text(s),
                f"{s.created_by_name} ({s.created_by})",
                s.short_id,
            ]
            for column, text in enumerate(values):
                self.table.setItem(row, column, cell(text, s.id))
        if self.results:
            self.table.selectRow(0)
        else:
            self.show_selected_trail()

    # --- the trail ---------------------------------------------------------------------------------------
    def selected(self) -> PreparationSummary | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.results[row] if 0 <= row < len(self.results) else None

    def select(self, prep_id: str) -> bool:
        for row, s in enumerate(self.results):
            if s.id == prep_id:
                self.table.selectRow(row)
                return True
        return False

    def show_selected_trail(self) -> None:
        chosen = self.selected()
        self.trail.clearSelection()
        self.details.clear()
        if chosen is None:
            self.events = []
            self.trail.setRowCount(0)
            self.trail_title.setText(self.tr("Select a preparation above to see its audit trail."))
            return
        try:
            self.events = self._store.audit_trail(chosen.id)
        except StorageError as exc:
            self.events = []
            self.message.show_message(exc.message, "error")
        self.trail_title.setText(
            self.tr("Audit trail of preparation {id} for {patient}: {count} events, the oldest first.").format(
                id=chosen.short_id, patient=chosen.patient_name, count=len(self.events)
            )
        )
        self.trail.setRowCount(len(self.events))
        for row, event in enumerate(self.events):
            who = f"{event.full_name} ({event.username})" if event.full_name else event.username
            values = [str(event.seq), clock_time(event.at, self._tz), who, event.workstation, event.summary]
            for column, text in enumerate(values):
                self.trail.setItem(row, column, cell(text))
        if self.events:
            self.trail.selectRow(len(self.events) - 1)

    def show_selected_event(self) -> None:
        rows = {index.row() for index in self.trail.selectionModel().selectedRows()}
        if len(rows) != 1:
            self.details.clear()
            return
        event = self.events[rows.pop()]
        lines = [f"{event.action}: {event.summary}"]
        paths = sorted(event.before.keys() | event.after.keys())
        if not paths:
            lines.append(self.tr("No stored value changed."))
        for path in paths:
            lines.append(f"{path}: {_value(event.before, path)} → {_value(event.after, path)}")
        self.details.setPlainText("\n".join(lines))
