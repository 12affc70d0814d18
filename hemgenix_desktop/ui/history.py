"""The History window: find preparations (patient, identifier, date, status) and read each one's audit trail.

A search is ``Store.search``; the trail is ``Store.audit_trail(id)``, oldest event first, with who, when,
where and what, and for the selected event the values before and after. Nothing here changes a preparation.
The window belongs to the main window, which hides it while the screen is locked.

**Reprint** (given :class:`Reprinting` by the main window): for a sealed preparation, "Reprint record and
label…" makes both PDFs again from the sealed record kept in the audit trail, marked "COPY — reprinted <when>
by <who>" with the signed-in person's name (:func:`services.reprints.reprint`, which audits ``record_reprinted``), and
opens the Print record, Print label and Save PDFs… buttons of the Done screen for them (every print and save
audited too). For any other status the button is disabled and its tooltip says why.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
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

from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.domain.parsing import parse_date
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.services.history import Search, find, summary, trail
from hemgenix_desktop.services.reprints import reprint
from hemgenix_desktop.services.shared_types import AuditEvent, PreparationSummary, StorageError, Store, User
from hemgenix_desktop.ui.background import BusyState, Outcome, run_busy
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.pages.base import PAGE_KEYS
from hemgenix_desktop.ui.reprint_dialog import ReprintDialog
from hemgenix_desktop.ui.resume import cell, read_only_table
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import DateField, MessageLabel, PracticeBanner, field_label, hint_label, named
from hemgenix_desktop.ui.window_place import fit_to_screen

if TYPE_CHECKING:  # the signing module (and the PDF libraries) load when a record is first reprinted
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.ui.printing import PrinterBackend

# The most preparations one search lists (the newest first): beyond it the window says so and asks for a narrower
# search, so "Show all" on a database of years stays quick.
MAX_RESULTS = 1000
MAX_VALUE_CHARS = 300  # a long value (a sealed record's canonical text) is cut in the details, never in the trail


@dataclass
class Reprinting:
    """What a reprint needs from the main window: the workstation's services (the site, its certificate's folder,
    the records folder, the clock), who is signed in now, and the printers."""

    services: Callable[[], Workstation]
    user: Callable[[], User | None]
    printer: PrinterBackend


def _value(values: dict[str, Any], path: str) -> str:
    if path not in values:
        return "(none)"
    text = json.dumps(values[path], ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


class HistoryWindow(QWidget):
    """Search, results, and the selected preparation's audit trail."""

    def __init__(
        self,
        store: Store,
        *,
        practice: bool,
        tz: tzinfo | None = None,
        parent: QWidget | None = None,
        reprinting: Reprinting | None = None,
        correct: Callable[[str], object] | None = None,
    ) -> None:
        """``correct`` opens the correction of a sealed preparation's record (the main window's
        ``open_correction``; it raises with the sentence when it cannot)."""
        super().__init__(parent, Qt.WindowType.Window)
        named(self, "historyWindow", self.tr("History of preparations"))
        title = self.tr("Hemgenix Prep: history")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if practice else title)
        self.setStyleSheet(STYLE_SHEET)
        self._store = store
        self._tz = tz
        self._practice = practice
        self._reprinting = reprinting
        self._correct = correct
        self.results: list[PreparationSummary] = []
        self.events: list[AuditEvent] = []
        self.reprint_dialog: ReprintDialog | None = None

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
        self.patient = named(
            QLineEdit(), "historyPatientEdit", self.tr("Patient name or MRN, or the start of its words")
        )
        self.patient.setPlaceholderText(self.tr("Start of a name or MRN, e.g. “smi” finds Smith"))
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
        self.search_button.clicked.connect(self.search_in_background)
        self.search_busy = BusyState([self.search_button], self.search_button)
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
            edit.returnPressed.connect(self.search_in_background)
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
        self.reprint_button = named(
            QPushButton(self.tr("Reprint record and label…")),
            "historyReprintButton",
            self.tr("Reprint the record and the bag label of the selected sealed preparation, marked COPY"),
        )
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.reprint_button.setVisible(reprinting is not None)
        self.correct_button = named(
            QPushButton(self.tr("Correct this record…")),
            "historyCorrectButton",
            self.tr("Correct the record of the selected sealed preparation with an amendment"),
        )
        self.correct_button.setAutoDefault(False)
        self.correct_button.clicked.connect(self.correct_selected)
        self.correct_button.setVisible(correct is not None)
        title_row = QHBoxLayout()
        title_row.addWidget(self.trail_title, 1)
        title_row.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignTop)
        trail_layout.addLayout(title_row)
        QWidget.setTabOrder(self.correct_button, self.reprint_button)  # Tab goes as they are shown
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
        for scrolling in (self.table, self.trail, self.details):  # a low screen shows fewer rows, never no Close
            scrolling.setMinimumHeight(40)
        layout.addWidget(splitter, 1)

        close = QHBoxLayout()
        close.addStretch(1)
        self.close_button = named(QPushButton(self.tr("Close")), "historyCloseButton", self.tr("Close the history"))
        self.close_button.clicked.connect(self.close)
        close.addWidget(self.close_button)
        layout.addLayout(close)
        self.resize(1240, 760)
        fit_to_screen(self)  # a 720-px screen, or 150 % scaling: never past the screen's edge

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Escape closes the window, as it closes Users, Reprint and About: a key the focused field did not use
        (an open list of the Status field takes its own Escape)."""
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.close()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown again (after the lock, or reopened): the selected preparation as it is now, never as it was."""
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    # --- searching -------------------------------------------------------------------------------------
    def _date(self, edit: QLineEdit, what: str) -> date | None:
        return parse_date(edit.text(), what) if edit.text().strip() else None

    def _asked(self) -> Search:
        chosen = str(self.status.currentData() or "")
        first, last = self._date(self.date_from, "first day"), self._date(self.date_to, "last day")
        status = PreparationStatus(chosen) if chosen else None
        return Search(self.patient.text(), self.identifier.text(), first, last, status)

    def search(self) -> bool:
        """Search with what is filled in; False (with the sentence) when a field is wrong or the database
        cannot be read."""
        try:
            found = find(self._store, self._asked(), local_zone=self._tz, limit=MAX_RESULTS + 1)
        except (InvalidInput, StorageError) as exc:
            return self._searched(Outcome(None, exc))
        return self._searched(Outcome(found, None))

    def search_in_background(self) -> None:
        """The Search button and Enter: the database is searched off the GUI thread (ui/background.py), the button
        saying so meanwhile; a wrong field is said at once."""
        try:
            asked = self._asked()
        except InvalidInput as exc:
            self._searched(Outcome(None, exc))
            return
        store, zone, text = self._store, self._tz, self.tr("Searching…")
        call = lambda: find(store, asked, local_zone=zone, limit=MAX_RESULTS + 1)  # noqa: E731
        run_busy(self, self.search_busy, text, call, self._searched)

    def _searched(self, outcome: Outcome[list[PreparationSummary]]) -> bool:
        try:
            self.results = outcome.get()
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            return False
        count = len(self.results)
        if count > MAX_RESULTS:
            self.results = self.results[:MAX_RESULTS]
            found = self.tr(
                "More than {limit} preparations match; the newest {limit} are shown. To find an older one, search by "
                "patient, identifier or dates."
            ).format(limit=f"{MAX_RESULTS:,}")
        elif count == 0:
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
        if s.status is PreparationStatus.SEALED and s.amendments:
            text = self.tr("sealed, amended ({count})").format(count=s.amendments)
        if s.status is PreparationStatus.SEALED and s.correcting:
            text += self.tr(", correction in progress")
        return text

    def _fill_results(self) -> None:
        self.table.clearSelection()
        self.table.setRowCount(len(self.results))
        for row, s in enumerate(self.results):
            self._fill_row(row, s)
        if self.results:
            self.table.selectRow(0)
        else:
            self.show_selected_trail()

    def _fill_row(self, row: int, s: PreparationSummary) -> None:
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

    def refresh(self, prep_id: str | None = None) -> PreparationSummary | None:
        """Read preparation ``prep_id`` (default: the selected one) again and show it as it is now: its row, and
        when selected its trail and buttons (a correction sealed or discarded, a lock, another workstation). The
        preparation as read, or None (not listed, or the sentence when the database cannot be read)."""
        chosen = self.selected()
        wanted = prep_id if prep_id is not None else chosen.id if chosen is not None else None
        rows = [row for row, s in enumerate(self.results) if s.id == wanted]
        if wanted is None or not rows:
            return None
        try:
            fresh = summary(self._store, wanted)
        except StorageError as exc:
            self.message.show_message(exc.message, "error")
            return None
        self.results[rows[0]] = fresh
        self._fill_row(rows[0], fresh)
        if chosen is not None and chosen.id == wanted:
            self.show_selected_trail()
        return fresh

    def _still_as_shown(self, chosen: PreparationSummary) -> bool:
        """Whether the selected preparation is still as shown; if not it is shown again, with the sentence, and
        the button pressed does nothing (it never acts on what was true before)."""
        fresh = self.refresh(chosen.id)
        if fresh is None:
            return False
        if (fresh.status, fresh.amendments, fresh.correcting) == (chosen.status, chosen.amendments, chosen.correcting):
            return True
        self.message.show_message(
            self.tr(
                "Preparation {id} changed since it was shown: it is now {status}. It is shown as it is now; check it, "
                "then choose again."
            ).format(id=fresh.short_id, status=self._status_text(fresh)),
            "error",
        )
        return False

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
        self._update_reprint(chosen)
        self._update_correct(chosen)
        self.trail.clearSelection()
        self.details.clear()
        if chosen is None:
            self.events = []
            self.trail.setRowCount(0)
            self.trail_title.setText(self.tr("Select a preparation above to see its audit trail."))
            return
        try:
            self.events = trail(self._store, chosen.id)
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
        if event.software_version:
            lines.append(self.tr("Written by Hemgenix Prep {version}.").format(version=event.software_version))
        paths = sorted(event.before.keys() | event.after.keys())
        if not paths:
            lines.append(self.tr("No stored value changed."))
        for path in paths:
            lines.append(f"{path}: {_value(event.before, path)} → {_value(event.after, path)}")
        self.details.setPlainText("\n".join(lines))

    # --- reprint -------------------------------------------------------------------------------------------
    def _update_reprint(self, chosen: PreparationSummary | None) -> None:
        """Enabled for a sealed preparation only; the tooltip says why not, or what a reprint does."""
        button = self.reprint_button
        if chosen is None:
            button.setEnabled(False)
            button.setToolTip(self.tr("Select a sealed preparation to reprint its record and bag label."))
        elif chosen.status is not PreparationStatus.SEALED:
            button.setEnabled(False)
            button.setToolTip(
                self.tr(
                    "Only a sealed preparation has a record to reprint; preparation {id} is {status}. Its record is "
                    "printed when both signatures are given and it is sealed."
                ).format(id=chosen.short_id, status=self._status_text(chosen))
            )
        else:
            button.setEnabled(True)
            button.setToolTip(
                self.tr(
                    "Make the record and the bag label of preparation {id} again, marked “COPY — reprinted” with "
                    "the time and your name, to print or save. The reprint is written to the audit trail."
                ).format(id=chosen.short_id)
            )

    # --- correct -------------------------------------------------------------------------------------------
    def _update_correct(self, chosen: PreparationSummary | None) -> None:
        button = self.correct_button
        sealed = chosen is not None and chosen.status is PreparationStatus.SEALED
        button.setEnabled(sealed)
        button.setText(
            self.tr("Continue the correction…")
            if chosen is not None and chosen.correcting
            else self.tr("Correct this record…")
        )
        if chosen is None or not sealed:
            button.setToolTip(self.tr("Select a sealed preparation to correct its record."))
            return
        button.setToolTip(
            self.tr(
                "Correct a value in the record of preparation {id} (a name, an MRN, a lot, an expiry…). The record "
                "does not change: the correction is a new amendment record, signed by you and a pharmacist."
            ).format(id=chosen.short_id)
        )

    def correct_selected(self) -> bool:
        """Open the correction of the selected sealed preparation in the main window; False (and the sentence
        here) when it cannot open."""
        chosen, correct = self.selected(), self._correct
        if chosen is None or correct is None or chosen.status is not PreparationStatus.SEALED:
            return False
        if not self._still_as_shown(chosen):
            return False
        try:
            correct(chosen.id)
        except (DomainError, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            return False
        self.message.show_message(
            self.tr("The correction of preparation {id} is open in the main window.").format(id=chosen.short_id), "ok"
        )
        return True

    def reprint_selected(self) -> ReprintDialog | None:
        """A copy of the selected sealed preparation's record and label, with its print and save buttons; None
        (and the sentence in the window) when it cannot be made."""

        chosen, reprinting = self.selected(), self._reprinting
        if chosen is None or reprinting is None or chosen.status is not PreparationStatus.SEALED:
            return None
        if not self._still_as_shown(chosen):
            return None
        user = reprinting.user()
        if user is None:  # pragma: no cover - the window is shown only to a signed-in user
            self.message.show_message(self.tr("Nobody is signed in, so nothing can be reprinted. Sign in again."))
            return None
        try:
            services = reprinting.services()
            outputs = reprint(
                self._store,
                chosen.id,
                user,
                data_dir=services.data_dir,
                workstation=services.workstation,
                now=services.now(),
                tz=services.tz,
                label_size=services.label(),
            )
        except (DomainError, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            return None
        if self.reprint_dialog is not None:
            self.reprint_dialog.close()
            self.reprint_dialog.deleteLater()
        dialog = ReprintDialog(
            outputs, chosen, services, user, reprinting.printer, practice=self._practice, parent=self
        )
        self.reprint_dialog = dialog
        self.message.show_message(
            self.tr("A copy of record {record_id} is ready to print or save.").format(record_id=outputs.record_id),
            "ok",
        )
        self.show_selected_trail()  # the reprint is on the trail now
        dialog.open()
        return dialog
