"""Correcting a sealed record (History → "Correct this record…"): the reason and the corrected values.

The screen shows the record in force (the original, or its newest amendment) and, for every value a correction
may change (:func:`domain.amendment.correctable_fields`), what the record says and a field to correct it. What
cannot be corrected is said in a sentence. "Continue to signatures" checks every field (each bad one gets its
sentence beside it; nothing typed is lost), saves the correction as a draft amendment (the rules are
:class:`hemgenix_desktop.services.corrections.Correction`'s: a correction interrupted by a crash, a lock or a
change of person is found again) and hands the corrected Preparation to the signing flow, which has it signed
"Amended by" and "Verified by" and seals it as a new record naming the one it corrects. The sealed record
itself never changes.

A draft correction can be discarded with a reason. Its reason cannot change once somebody has signed it
(the signatures were given on it): discard it and start again instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from hemgenix_desktop.domain.amendment import NOT_CORRECTABLE, CorrectableField, InvalidCorrection
from hemgenix_desktop.domain.checks import Checklist
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.services.corrections import Correction, ReasonMissing, reason_problem
from hemgenix_desktop.services.shared_types import StorageError, Store, User
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.signing_screens import Screen
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import ChoiceGroup, MessageLabel, PracticeBanner, hint_label, named

FIELD_WIDTH = 360
KEY = "correction"


def _object_name(field: CorrectableField) -> str:
    """``correctionPatientFullName``, ``correctionPrescriber``, ``correctionCheckDiluentLot``: from the field's key."""
    words = field.key.removeprefix("order.").replace(".", "_").split("_")
    return KEY + "".join(word[:1].upper() + word[1:] for word in words if word)


class CorrectionScreen(QWidget):
    """The reason and the corrected values of one sealed preparation's record (see the module's docstring)."""

    ready = Signal(object, object)  # the corrected Preparation, and the Amending the signing flow needs
    cancelled = Signal()

    def __init__(
        self,
        store: Store,
        prep_id: str,
        user: Callable[[], User | None],
        *,
        workstation: str,
        checklist: Checklist,
        now: Callable[[], datetime],
        tz: tzinfo | None = None,
        own_style_sheet: bool = True,
    ) -> None:
        """``user`` gives the person signed in now (the correction is theirs: after a lock another person may
        continue it). Raises ``InvalidInput``/``StorageError`` (with the sentence) when the preparation has no
        sealed record to correct. ``own_style_sheet`` False: shown in the main window's stack, whose style sheet
        applies (its widgets are then polished once, when shown there)."""
        super().__init__()
        self.user = user
        self.now = now
        self.tz = tz
        self.correction = Correction(store, prep_id, workstation=workstation, checklist=checklist)
        record = self.record = self.correction.record
        self.base = self.correction.base
        self.draft = self.correction.draft
        self.edits: dict[str, QLineEdit | ChoiceGroup] = {}
        self.messages: dict[str, MessageLabel] = {}

        named(self, "correctionScreen", self.tr("Correct a sealed record"))
        if own_style_sheet:  # shown on its own (a test): the program's look
            self.setStyleSheet(STYLE_SHEET)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        if self.base.practice:
            outer.addWidget(PracticeBanner("correctionPracticeBanner"))
        self.page = Screen(
            KEY,
            self.tr("Correct record {record_id}").format(record_id=record.record_id),
            self.tr(
                "The sealed record does not change. Your correction becomes a new record, an amendment, that names "
                "this one, says why and lists every value corrected. You sign it (“Amended by”), then a pharmacist "
                "who did not make the correction checks and signs it (“Verified by”)."
            ),
        )
        outer.addWidget(self.page, 1)
        body = self.page.body
        self.record_label = named(QLabel(), "correctionRecordLabel", self.tr("The record corrected"))
        self.record_label.setWordWrap(True)
        self.record_label.setTextFormat(Qt.TextFormat.RichText)
        body.addWidget(self.record_label)
        self._show_record()
        if self.draft is not None:
            draft = self.draft
            self.draft_label = named(
                hint_label(
                    self.tr(
                        "{name} started this correction (amendment {number}) on {when} at {workstation}; it was "
                        "never sealed. Its values are filled in below: check them, then continue."
                    ).format(
                        name=draft.created_by_name,
                        number=draft.number,
                        when=clock_time(draft.created_at, tz),
                        workstation=draft.workstation,
                    )
                ),
                "correctionDraftLabel",
                self.tr("A correction started earlier"),
            )
            self.draft_label.setProperty("role", "value")
            body.addWidget(self.draft_label)

        reason_box = self.page.form(self.tr("Why the record is corrected"), "correctionReasonGroup")
        self.reason = named(QLineEdit(), "correctionReasonEdit", self.tr("Reason for the correction"))
        self.reason.setMaxLength(200)
        self.reason.setMinimumWidth(560)
        self.reason_message = MessageLabel("correctionReasonMessage", self.tr("Reason for the correction"))
        Screen.row(
            reason_box,
            self.tr("Reason"),
            self.reason,
            self.reason_message,
            hint=self.tr("What was wrong in the record and how you know, e.g. “Saline lot misread; checked the bag”."),
        )
        if self.draft is not None:
            self.reason.setText(self.draft.reason)
            if self.correction.draft_signed:
                self.reason.setReadOnly(True)
                self.reason.setToolTip(
                    self.tr(
                        "Signatures were given on this correction with this reason. To give another reason, discard "
                        "the correction and start again."
                    )
                )

        grid = self.page.form(self.tr("Corrected values"), "correctionValuesGroup")
        head_record = QLabel(self.tr("In record {record_id}").format(record_id=record.record_id))
        head_new = QLabel(self.tr("Corrected value (change only what is wrong)"))
        for label in (head_record, head_new):
            label.setProperty("role", "value")
        grid.addWidget(head_record, 0, 1)
        grid.addWidget(head_new, 0, 2)
        for field in self.correction.fields:
            self._add_field(grid, field, self.correction.recorded(field.key), self.correction.start_value(field.key))
        body.addWidget(
            named(hint_label(NOT_CORRECTABLE), "correctionNotCorrectableLabel", self.tr("What cannot be corrected"))
        )

        if self.draft is not None:
            discard = self.page.form(self.tr("Discard this correction"), "correctionDiscardGroup")
            row = QHBoxLayout()
            self.discard_reason = named(QLineEdit(), "correctionDiscardReasonEdit", self.tr("Reason for discarding"))
            self.discard_reason.setMaxLength(200)
            self.discard_button = named(
                QPushButton(self.tr("Discard with this reason")),
                "correctionDiscardButton",
                self.tr("Discard the correction with this reason"),
            )
            self.discard_button.setAutoDefault(False)
            self.discard_button.clicked.connect(self.discard)
            row.addWidget(self.discard_reason, 1)
            row.addWidget(self.discard_button)
            holder = QWidget()
            holder.setLayout(row)
            Screen.row(discard, self.tr("Reason"), holder)
        body.addStretch(1)

        self.cancel_button = self.page.button(
            "correctionCancelButton",
            self.tr("Back, correction kept") if self.draft is not None else self.tr("Cancel"),
            self.tr("Leave without continuing"),
        )
        self.continue_button = self.page.button("correctionContinueButton", self.tr("Continue to signatures"))
        self.continue_button.setDefault(True)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.continue_button.clicked.connect(self.continue_to_signatures)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building ------------------------------------------------------------------------------------------
    def _show_record(self) -> None:
        record, base = self.record, self.base
        order = base.order
        patient = (
            self.tr("{name}, born {born}, MRN {mrn}, identifier {identifier}").format(
                name=order.patient.full_name,
                born=order.patient.date_of_birth.isoformat(),
                mrn=order.patient.mrn,
                identifier=order.patient.patient_specific_id,
            )
            if order is not None
            else ""
        )
        ref = record.amends
        kind = (
            self.tr("amendment of record {record_id}").format(record_id=ref.record_id)
            if ref is not None
            else self.tr("the original record")
        )
        self.record_label.setText(
            "<b>{}</b><br>{}".format(
                escape(
                    self.tr("Record {record_id} ({kind}), sealed {when}").format(
                        record_id=record.record_id, kind=kind, when=clock_time(record.sealed_at, self.tz)
                    )
                ),
                escape(patient),
            )
        )

    def _add_field(self, grid: QGridLayout, field: CorrectableField, was: str, start: str) -> None:
        row = grid.rowCount()
        name = _object_name(field)
        label = QLabel(field.label)
        label.setWordWrap(True)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        shown = named(
            QLabel(was or self.tr("(none)")),
            name + "RecordLabel",
            self.tr("In the record: {label}").format(label=field.label),
        )
        shown.setWordWrap(True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
        editor: QLineEdit | ChoiceGroup
        if field.kind == "choice":
            editor = ChoiceGroup(
                name + "Choice",
                self.tr("Corrected value: {label}").format(label=field.label),
                [(choice, choice, f"{name}Choice{i}") for i, choice in enumerate(field.choices)],
                vertical=True,
            )
            editor.set_value(start if start in field.choices else None)
            editor.changed.connect(lambda key=field.key: self._mark(key))
        else:
            editor = named(
                QLineEdit(start), name + "Edit", self.tr("Corrected value: {label}").format(label=field.label)
            )
            editor.setMaxLength(200)
            editor.setMinimumWidth(FIELD_WIDTH)
            if field.hint:
                editor.setPlaceholderText(field.hint)
            editor.editingFinished.connect(lambda key=field.key: self._check_one(key))
            editor.textChanged.connect(lambda _text, key=field.key: self._mark(key))
        grid.addWidget(editor, row, 2)
        message = MessageLabel(name + "Message", self.tr("What is wrong with: {label}").format(label=field.label))
        grid.addWidget(message, row + 1, 2)
        self.edits[field.key] = editor
        self.messages[field.key] = message
        self._mark(field.key)

    # --- reading -------------------------------------------------------------------------------------------
    def typed(self) -> dict[str, str]:
        """What each field holds now (a choice not made reads as empty)."""
        out: dict[str, str] = {}
        for key, editor in self.edits.items():
            out[key] = (editor.value() or "") if isinstance(editor, ChoiceGroup) else editor.text()
        return out

    def set_value(self, key: str, text: str) -> None:
        editor = self.edits[key]
        if isinstance(editor, ChoiceGroup):
            editor.set_value(text or None)
        else:
            editor.setText(text)

    def changed_keys(self) -> list[str]:
        """The fields whose value now differs from the record's."""
        typed = self.typed()
        return [key for key in self.edits if self.correction.is_changed(key, typed[key])]

    def _mark(self, key: str) -> None:
        """A value that differs from the record's is shown bold on a pale yellow ground, so what the correction
        changes can be seen at a glance."""
        changed = self.correction.is_changed(key, self.typed()[key])
        editor = self.edits[key]
        editor.setProperty("corrected", changed)
        editor.setStyleSheet(
            (
                "QLineEdit { font-weight: bold; background: #fff4c2; }"
                if isinstance(editor, QLineEdit)
                else "QRadioButton:checked { font-weight: bold; }"
            )
            if changed
            else ""
        )

    def _check_one(self, key: str) -> None:
        problem = self.correction.check_one(key, self.typed()[key])
        if problem is None:
            self.messages[key].clear_message()
        else:
            self.messages[key].show_message(problem)

    # --- acting --------------------------------------------------------------------------------------------
    def continue_to_signatures(self) -> bool:
        """Check the reason and every value; save the correction (a draft amendment); hand it to the signatures.
        False (with the sentences shown, every value kept) when something is wrong."""
        page = self.page
        page.clear_messages()
        for message in self.messages.values():
            message.clear_message()
        self.reason_message.clear_message()
        reason_wrong = reason_problem(self.reason.text())
        if reason_wrong is not None:
            self.reason_message.show_message(reason_wrong)
        user = self.user()
        if user is None:
            page.show_status(self.tr("Nobody is signed in, so the correction cannot be saved. Sign in again."))
            return False
        try:
            corrected, amending = self.correction.save(self.reason.text(), self.typed(), user, self.now())
        except InvalidCorrection as exc:  # every bad value gets its sentence, the reason's too
            for key, sentence in exc.problems.items():
                self.messages[key].show_message(sentence)
            first = next(iter(exc.problems))
            (self.reason if reason_wrong is not None else self.edits[first]).setFocus(Qt.FocusReason.OtherFocusReason)
            page.show_status(self.tr("Correct what is marked above, then continue."))
            return False
        except ReasonMissing:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            page.show_status(self.tr("Enter the reason for the correction, then continue."))
            return False
        except (DomainError, StorageError) as exc:
            page.show_status(exc.message)
            return False
        self.draft = self.correction.draft
        self.ready.emit(corrected, amending)
        return True

    def discard(self) -> bool:
        """Void the draft correction with the reason typed; then leave the screen."""
        user = self.user()
        if self.correction.draft is None or user is None:
            return False
        try:
            self.correction.discard(self.discard_reason.text(), user)
        except (DomainError, StorageError) as exc:
            self.page.show_status(exc.message)
            return False
        self.cancelled.emit()
        return True


__all__ = ["CorrectionScreen"]
