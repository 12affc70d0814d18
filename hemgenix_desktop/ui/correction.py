"""Correcting a sealed record (History → "Correct this record…"): the reason and the corrected values.

The screen shows the record in force (the original, or its newest amendment) and, for every value a correction
may change (:func:`domain.amendment.correctable_fields`), what the record says and a field to correct it. What
cannot be corrected is said in a sentence. "Continue to signatures" checks every field (each bad one gets its
sentence beside it; nothing typed is lost), saves the correction as a draft amendment (``Store.start_amendment``,
or ``update_amendment`` when one was started before, so a correction interrupted by a crash, a lock or a
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

from hemgenix_desktop.domain.amendment import (
    NOT_CORRECTABLE,
    CorrectableField,
    InvalidCorrection,
    apply_corrections,
    check_field,
    check_reason,
    correctable_fields,
    current_value,
)
from hemgenix_desktop.domain.checks import Checklist
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.security.seal import SealedRecord, preparation_sha256
from hemgenix_desktop.services.records import record_in_force
from hemgenix_desktop.services.sealing import Amending
from hemgenix_desktop.storage import AmendmentSummary, StorageError, Store, User
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
    ) -> None:
        """``user`` gives the person signed in now (the correction is theirs: after a lock another person may
        continue it). Raises ``InvalidInput``/``StorageError`` (with the sentence) when the preparation has no
        sealed record to correct."""
        super().__init__()
        self.store = store
        self.user = user
        self.workstation = workstation
        self.checklist = checklist
        self.now = now
        self.tz = tz
        record = record_in_force(store, prep_id, "correct", "corrected")
        self.record: SealedRecord = record
        self.base: Preparation = record.preparation()
        self.draft: AmendmentSummary | None = store.open_amendment(prep_id)
        self.draft_prep: Preparation | None = store.load_amendment(self.draft.id) if self.draft is not None else None
        self.draft_signed = bool(
            self.draft is not None
            and self.draft_prep is not None
            and store.signatures(prep_id, amendment=self.draft.number)
        )
        self.fields = correctable_fields(checklist)
        self.edits: dict[str, QLineEdit | ChoiceGroup] = {}
        self.messages: dict[str, MessageLabel] = {}

        named(self, "correctionScreen", self.tr("Correct a sealed record"))
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
            if self.draft_signed:
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
        start = self.draft_prep if self.draft_prep is not None else self.base
        for field in self.fields:
            self._add_field(grid, field, current_value(self.base, field.key), current_value(start, field.key))
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
        return [key for key in self.edits if typed[key].strip() != current_value(self.base, key).strip()]

    def _mark(self, key: str) -> None:
        """A value that differs from the record's is shown bold on a pale yellow ground, so what the correction
        changes can be seen at a glance."""
        changed = self.typed()[key].strip() != current_value(self.base, key).strip()
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
        text = self.typed()[key]
        if text.strip() == current_value(self.base, key).strip():
            self.messages[key].clear_message()
            return
        try:
            check_field(self.base, key, text, self.checklist)
        except DomainError as exc:
            self.messages[key].show_message(exc.message)
            return
        self.messages[key].clear_message()

    # --- acting --------------------------------------------------------------------------------------------
    def continue_to_signatures(self) -> bool:
        """Check the reason and every value; save the correction (a draft amendment); hand it to the signatures.
        False (with the sentences shown, every value kept) when something is wrong."""
        page = self.page
        page.clear_messages()
        for message in self.messages.values():
            message.clear_message()
        self.reason_message.clear_message()
        reason: str | None = None
        try:
            reason = check_reason(self.reason.text())
        except DomainError as exc:
            self.reason_message.show_message(exc.message)
        user = self.user()
        if user is None:
            page.show_status(self.tr("Nobody is signed in, so the correction cannot be saved. Sign in again."))
            return False
        try:
            corrected, changes = apply_corrections(
                self.base,
                self.typed(),
                username=user.username,
                printed_name=user.full_name,
                at=self.now(),
                checklist=self.checklist,
            )
        except InvalidCorrection as exc:  # every bad value gets its sentence, the reason's too
            for key, sentence in exc.problems.items():
                self.messages[key].show_message(sentence)
            first = next(iter(exc.problems))
            (self.reason if reason is None else self.edits[first]).setFocus(Qt.FocusReason.OtherFocusReason)
            page.show_status(self.tr("Correct what is marked above, then continue."))
            return False
        except DomainError as exc:
            page.show_status(exc.message)
            return False
        if reason is None:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            page.show_status(self.tr("Enter the reason for the correction, then continue."))
            return False
        self._keep_earlier_attributions(corrected)
        as_dicts = [change.to_dict() for change in changes]
        try:
            if self.draft is None:
                amendment = self.store.start_amendment(
                    corrected,
                    reason=reason,
                    changes=as_dicts,
                    amends_record_id=self.record.record_id,
                    amends_sha256=self.record.sha256,
                    user=user,
                    workstation=self.workstation,
                )
            elif (
                self.draft_prep is not None
                and preparation_sha256(corrected) == preparation_sha256(self.draft_prep)
                and reason == self.draft.reason
            ):
                amendment = self.draft
            else:
                amendment = self.store.update_amendment(
                    self.draft.id,
                    corrected,
                    reason=reason,
                    changes=as_dicts,
                    user=user,
                    workstation=self.workstation,
                )
        except (DomainError, StorageError) as exc:
            page.show_status(exc.message)
            return False
        self.draft, self.draft_prep = amendment, corrected
        self.ready.emit(corrected, Amending(amendment=amendment, corrects=self.record))
        return True

    def _keep_earlier_attributions(self, corrected: Preparation) -> None:
        """A value corrected to the same as in the saved draft keeps the draft's attribution (who corrected it,
        when), so continuing a draft without changing anything keeps the signatures given on it valid."""
        draft = self.draft_prep
        if draft is None:
            return
        for key, answer in corrected.checks.items():
            earlier = draft.attributions.get(key)
            if earlier is not None and draft.checks.get(key) == answer and self.base.checks.get(key) != answer:
                corrected.attributions[key] = earlier

    def discard(self) -> bool:
        """Void the draft correction with the reason typed; then leave the screen."""
        draft, user = self.draft, self.user()
        if draft is None or user is None:
            return False
        try:
            self.store.void_amendment(draft.id, self.discard_reason.text(), user, self.workstation)
        except (DomainError, StorageError) as exc:
            self.page.show_status(exc.message)
            return False
        self.cancelled.emit()
        return True


__all__ = ["CorrectionScreen"]
