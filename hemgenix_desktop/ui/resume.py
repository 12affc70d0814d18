"""The unfinished preparations, after sign-in: resume one where it stopped, void it with a reason, or start anew.

The list is :func:`hemgenix_desktop.services.drafting.resumable`: the drafts (``Store.unfinished()``) and the preparations that are signed but not
sealed (the program stopped while sealing), the most recently saved first: patient, step, who saved it last and
when. Resume hands the preparation's id to the main window, which opens a draft in the wizard at its saved step
and a signed one in the signing flow, which seals it. Void needs a reason and the password again, typed here (an
electronic signature, "Voided by": ``services.drafting.void``); the store decides who may void what (a signed
preparation: a pharmacist) and audits it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.services import drafting
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.widgets import MessageLabel, PracticeBanner, field_label, hint_label, named

if TYPE_CHECKING:  # the database modules load with the database, after the first screen
    from hemgenix_desktop.services.shared_types import PreparationSummary, Store, User

MAX_COLUMN_WIDTH = 340


def step_title(step: str) -> str:
    """``Step 5 of 8: kit carton and vial count`` for a wizard page's key; other steps as they are stored."""
    titles = {
        "order": QCoreApplication.translate("Steps", "order"),
        "eligibility": QCoreApplication.translate("Steps", "authorization and eligibility"),
        "identity": QCoreApplication.translate("Steps", "patient identity"),
        "weight": QCoreApplication.translate("Steps", "weight and dose"),
        "kit": QCoreApplication.translate("Steps", "kit carton and vial count"),
        "preparation": QCoreApplication.translate("Steps", "preparation checks"),
        "administration": QCoreApplication.translate("Steps", "administration constraints"),
        "review": QCoreApplication.translate("Steps", "review"),
    }
    if step not in titles:
        return step
    from hemgenix_desktop.ui.pages.base import PAGE_KEYS  # the wizard's modules load with the first list shown

    return QCoreApplication.translate("Steps", "Step {number} of {total}: {title}").format(
        number=PAGE_KEYS.index(step) + 1, total=len(PAGE_KEYS), title=titles[step]
    )


def signed_not_sealed() -> str:
    """The "Stopped at" of a preparation signed but not sealed."""
    return QCoreApplication.translate("Steps", "Signed; the record is not sealed yet")


def stopped_at(summary: PreparationSummary) -> str:
    """The "Stopped at" of an unfinished preparation (a correction's is the correction's own)."""
    if summary.outputs_pending:
        return QCoreApplication.translate("Steps", "Sealed — the record and label were not saved")
    if summary.status is PreparationStatus.SIGNED:
        return signed_not_sealed()
    return step_title(summary.step)


def read_only_table(object_name: str, accessible_name: str, headers: list[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), object_name, accessible_name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab goes on to the next control; the arrow keys move within the table
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMaximumSectionSize(MAX_COLUMN_WIDTH)  # a long text is cut with "…" (the tooltip has it all)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    return table


def cell(text: str, key: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    return item


class ResumeScreen(QWidget):
    """The unfinished preparations. ``resume_requested(id)``, ``start_new_requested()``, ``history_requested()``."""

    resume_requested = Signal(str)
    start_new_requested = Signal()
    history_requested = Signal()

    def __init__(
        self,
        store: Store,
        workstation: str,
        user: Callable[[], User | None],
        *,
        practice: bool,
        tz: tzinfo | None = None,
        sign_in: SignInService | None = None,
    ) -> None:
        super().__init__()
        named(self, "resumeScreen", self.tr("Unfinished preparations"))  # styled by the main window's STYLE_SHEET
        self._store = store
        self._sign_in = sign_in if sign_in is not None else SignInService(store)
        self._workstation = workstation
        self._user = user
        self._tz = tz
        self.summaries: list[PreparationSummary] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        if practice:
            layout.addWidget(PracticeBanner("resumePracticeBanner"))
        layout.addWidget(heading_label(self.tr("Unfinished preparations"), "resumeHeading"))
        layout.addWidget(
            hint_label(
                self.tr(
                    "These preparations were saved but not finished (for example the program was closed or the "
                    "computer stopped). Resume one where it stopped, void it with a reason, or start a new "
                    "preparation. A patient with an unfinished preparation cannot get a second one until it is "
                    "voided. A correction of a sealed record that was started but not sealed is listed too."
                )
            )
        )
        self.table = read_only_table(
            "resumeTable",
            self.tr("Unfinished preparations"),
            [
                self.tr("Patient"),
                self.tr("Born"),
                self.tr("MRN"),
                self.tr("Stopped at"),
                self.tr("Last saved by"),
                self.tr("Saved at"),
                self.tr("Workstation"),
                self.tr("Preparation"),
            ],
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.resume_selected())
        self.table.installEventFilter(self)  # Enter on the list resumes the selected row, as a double-click does
        layout.addWidget(self.table, 1)
        self.empty = named(
            hint_label(self.tr("There are no unfinished preparations.")),
            "resumeEmptyLabel",
            self.tr("There are no unfinished preparations."),
        )
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)  # the table's room while there is no table

        buttons = QHBoxLayout()
        self.resume_button = named(
            QPushButton(self.tr("Resume the selected preparation")),
            "resumeButton",
            self.tr("Resume the selected preparation"),
        )
        self.resume_button.clicked.connect(self.resume_selected)
        self.start_button = named(
            QPushButton(self.tr("Start a new preparation")), "resumeStartNewButton", self.tr("Start a new preparation")
        )
        self.start_button.clicked.connect(self.start_new_requested)
        self.history_button = named(QPushButton(self.tr("History…")), "resumeHistoryButton", self.tr("History"))
        self.history_button.clicked.connect(self.history_requested)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        layout.addLayout(buttons)

        void_box = QGroupBox(self.tr("Void the selected preparation"))
        void_box.setObjectName("resumeVoidGroup")
        void_layout = QHBoxLayout(void_box)
        self.reason = named(QLineEdit(), "resumeVoidReasonEdit", self.tr("Reason for voiding"))
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("Why it will not be finished, e.g. the infusion was cancelled"))
        self.void_password = named(
            QLineEdit(), "resumeVoidPasswordEdit", self.tr("Your password, to sign the voiding (Voided by)")
        )
        self.void_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.void_password.setMaxLength(256)
        self.reason.returnPressed.connect(lambda: self.void_password.setFocus(Qt.FocusReason.OtherFocusReason))
        self.void_password.returnPressed.connect(self.void_selected)
        self.void_button = named(
            QPushButton(self.tr("Void with this reason")), "resumeVoidButton", self.tr("Void with this reason")
        )
        self.void_button.clicked.connect(self.void_selected)
        void_layout.addWidget(field_label(self.tr("Reason"), self.reason))
        void_layout.addWidget(self.reason, 1)
        void_layout.addWidget(field_label(self.tr("Your password (Voided by)"), self.void_password))
        void_layout.addWidget(self.void_password)
        void_layout.addWidget(self.void_button)
        layout.addWidget(void_box)
        self.message = MessageLabel("resumeMessage", self.tr("What happened to the last action"))
        layout.addWidget(self.message)
        self._selection_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.resume_selected()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown: the keyboard on the list (arrows choose, Enter resumes), or on Start when the list is empty."""
        super().showEvent(event)
        (self.table if self.summaries else self.start_button).setFocus(Qt.FocusReason.TabFocusReason)

    # --- the list --------------------------------------------------------------------------------------
    def reload(self) -> bool:
        """Read the list again; False (with the sentence shown) when the database could not be read."""
        try:
            self.summaries = drafting.resumable(self._store)
        except StorageError as exc:
            self.summaries = []
            self._fill()
            self.message.show_message(exc.message, "error")
            return False
        self._fill()
        return True

    def _fill(self) -> None:
        self.table.setRowCount(len(self.summaries))
        now = self._store.now()
        for row, s in enumerate(self.summaries):
            lease = drafting.open_elsewhere(s, self._workstation, self._user(), now)
            values = [
                s.patient_name,
                s.patient_date_of_birth.isoformat(),
                s.patient_mrn,
                stopped_at(s)
                + (
                    ""
                    if lease is None
                    else " — "
                    + self.tr("open at {workstation} by {who}").format(
                        workstation=lease.workstation, who=f"{lease.full_name} ({lease.username})"
                    )
                ),
                f"{s.updated_by_name} ({s.updated_by})",
                clock_time(s.updated_at, self._tz),
                s.workstation,
                s.short_id,
            ]
            try:
                draft = drafting.correction_in_progress(self._store, s)
            except StorageError:  # the row still says what it is; who saved it last is not known then
                draft = None
                values[3] = self.tr("Correction of the record, not sealed")
            if draft is not None:  # who saved the correction, when and where, not the sealing's
                values[3:7] = [
                    self.tr("Correction {number} of the record, not sealed").format(number=draft.number),
                    f"{draft.updated_by_name} ({draft.updated_by})",
                    clock_time(draft.updated_at, self._tz),
                    draft.workstation,
                ]
            for column, text in enumerate(values):
                self.table.setItem(row, column, cell(text, s.id))
        has_rows = bool(self.summaries)
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if has_rows:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> PreparationSummary | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.summaries[row] if 0 <= row < len(self.summaries) else None

    def select(self, prep_id: str) -> None:
        for row, s in enumerate(self.summaries):
            if s.id == prep_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        summary = self.selected()
        chosen = summary is not None
        self.resume_button.setEnabled(chosen)
        may_void = summary is not None and drafting.may_void(summary)
        self.void_button.setEnabled(may_void)
        self.reason.setEnabled(may_void)
        self.void_password.setEnabled(may_void)
        self.void_button.setToolTip(
            ""
            if may_void or not chosen
            else self.tr(
                "A sealed preparation's correction is discarded on its own screen: resume it, then use Discard."
            )
        )

    # --- actions ---------------------------------------------------------------------------------------
    def resume_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.message.clear_message()
            self.resume_requested.emit(chosen.id)

    def void_selected(self) -> bool:
        chosen, user = self.selected(), self._user()
        if chosen is None or user is None or not drafting.may_void(chosen):
            return False
        password = self.void_password.text()
        self.void_password.clear()  # never kept on screen, whatever happens
        try:
            drafting.void(
                self._store,
                chosen,
                self.reason.text(),
                user,
                self._workstation,
                password=password,
                sign_in=self._sign_in,
            )
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            target = self.void_password if self.reason.text().strip() else self.reason
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.reason.clear()
        self.reload()
        self.message.show_message(
            self.tr(
                "Preparation {id} for {patient} was voided. Its record and the reason stay in the History window."
            ).format(id=chosen.short_id, patient=chosen.patient_name),
            "ok",
        )
        return True

    def show_problem(self, sentence: str) -> None:
        self.message.show_message(sentence, "error")
