"""After Review: the signatures, the sealed record and its two PDFs (issue 5), drawn.

``SigningFlow(preparation, workstation, session)`` is one widget whose screens follow the signing process
(:class:`hemgenix_desktop.services.signing.SigningProcess`): the rules, the order of the steps (21 CFR 11.10(f)),
the refusals and their audit events, and sealing (:mod:`hemgenix_desktop.services.sealing`) are there; this
module shows the step the process is at, reads what was typed, calls the process and shows its sentences:

1. **Preparer signs** ("Prepared by"); the username too when the rule of 21 CFR 11.200 asks for it.
2. **Overrides**: each warning the wizard let through needs a reason and a pharmacist's "Override approved".
3. **Verifier signs in**: a pharmacist who did not prepare the dose (on a correction: who did not make it).
4. **Blind check**: the verifier's own figures; the preparer's are not on that screen. Any difference stops, naming
   no figure (the audit trail has both). Then "Verified by".
5. **Sealing**: sealed and kept (all or nothing); the record PDF and the bag label are built and saved.
6. **Done**: Print record, Print label, Save PDFs… (:class:`~hemgenix_desktop.ui.record_actions.RecordActions`).
   The label exists only here: it is withheld until the record is sealed.

A flow opened again for the same preparation continues where it stopped: the signatures given on this content are
read back from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from hemgenix_desktop.domain.dose import format_gc
from hemgenix_desktop.domain.errors import ClinicalStop, DomainError
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning, Signature, blind_check_instruction
from hemgenix_desktop.records.outputs import PdfSaveError, RecordOutputs
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.services.sealing import Amending, MadeOutputs, record_outputs, save_record_outputs
from hemgenix_desktop.services.shared_types import StorageError, User
from hemgenix_desktop.services.signing import (
    BlindEntryInvalid,
    NotThePersonSignedIn,
    PagesNotAttributed,
    SigningProcess,
    SigningSession,
    Step,
    Stopped,
    read_blind_check,
)
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.ui.background import BusyState, Outcome, run_busy
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.printing import PrinterBackend, SystemPrinters
from hemgenix_desktop.ui.record_actions import RecordActions
from hemgenix_desktop.ui.signing_screens import (
    BLIND,
    DONE,
    OVERRIDE,
    PREPARER,
    SEAL,
    VERIFIER,
    SigningScreens,
    table_html,
)


class SigningFlow(SigningScreens):
    """The signatures after Review, the sealing, and the Done screen (see the module's docstring)."""

    sealed = Signal(str)  # the record ID, once the record is sealed and kept
    closed = Signal()  # Close on the Done screen

    def __init__(
        self,
        preparation: Preparation,
        services: Workstation,
        session: SigningSession,
        parent: QWidget | None = None,
        *,
        amending: Amending | None = None,
        printer: PrinterBackend | None = None,
        own_style_sheet: bool = True,
    ) -> None:
        """``own_style_sheet`` False: shown in the main window's stack, whose style sheet applies (see
        :class:`SigningScreens`)."""
        self.services = services
        self.process = SigningProcess(preparation, services, session, amending)
        self.printer = printer if printer is not None else SystemPrinters()
        self.override_subject = ""
        self.outputs: RecordOutputs | None = None
        self.saved: tuple[Path, Path] | None = None
        self.record_actions: RecordActions | None = None
        self._announced = False  # ``sealed`` was emitted
        super().__init__(preparation, amending, parent, own_style_sheet=own_style_sheet)
        self.preparer_button.clicked.connect(self.sign_as_preparer)
        self.override_button.clicked.connect(self.approve_override)
        self.verifier_button.clicked.connect(self.verifier_continue)
        self.blind_back_button.clicked.connect(self.another_verifier)
        self.blind_button.clicked.connect(self.blind_sign)
        self.seal_retry_button.clicked.connect(self.advance)
        self.done_close_button.clicked.connect(self.closed.emit)
        checking = self.tr("Checking password…")
        self.busy_texts = {PREPARER: checking, OVERRIDE: checking, VERIFIER: checking}
        self.busy = {  # the slow calls run off the GUI thread (ui/background.py); meanwhile these say so
            PREPARER: BusyState([self.preparer_button], self.preparer_button),
            OVERRIDE: BusyState([self.override_button], self.override_button),
            VERIFIER: BusyState([self.verifier_button], self.verifier_button),
            BLIND: BusyState([self.blind_button, self.blind_back_button], self.blind_button),
            SEAL: BusyState([self.seal_retry_button]),
        }
        self.resize(1180, 760)
        self.advance()

    # --- what the process holds ------------------------------------------------------------------------
    @property
    def session(self) -> SigningSession:
        return self.process.session

    @property
    def verifier(self) -> User | None:
        return self.process.verifier

    @property
    def record(self) -> SealedRecord | None:
        return self.process.record

    def _show(self, key: str) -> None:
        self._go(key, self.process.signatures)

    def set_session(self, session: SigningSession) -> None:
        """The main window's session changed (the screen locked and someone unlocked it): a verifier who had
        signed in must sign in again, and the preparer's screen asks for what the new session needs."""
        self.process.set_session(session)
        if self.current_key() in (PREPARER, BLIND):
            self.advance()

    def advance(self) -> None:
        """Show the first step not yet done, from what the store holds."""
        try:
            step = self.process.next_step()
        except (DomainError, StorageError) as exc:
            self._seal_problem(exc.message)
            return
        if step is Step.DISCARDED:
            self._seal_problem(
                self.tr(
                    "This correction was discarded, so it cannot be signed or sealed. Open the History window to "
                    "correct the record again."
                )
            )
        elif step is Step.VOIDED:
            self._seal_problem(
                self.tr("This preparation was voided, so it cannot be signed or sealed. Start a new preparation.")
            )
        elif step is Step.PREPARER:
            self._open_preparer()
        elif step is Step.OVERRIDE:
            self._open_override()
        elif step in (Step.VERIFIER, Step.BLIND):
            self._show(step.value)
        else:
            self.seal_now()

    # --- 1. the preparer ---------------------------------------------------------------------------------
    def _open_preparer(self) -> None:
        prep, tz, user = self.prep, self.services.tz, self.session.user
        rows: list[tuple[str, str]] = []
        if self.amending is not None:
            rows += [
                (self.tr("Corrects record"), self.amending.corrects.record_id),
                (self.tr("Reason"), self.amending.amendment.reason),
            ]
            rows += [
                (change.label, self.tr("“{before}” → “{after}”").format(before=change.before, after=change.after))
                for change in self.amending.changes()
            ]
        dose, carton = prep.dose, prep.carton
        if dose is not None:
            rows += [
                (self.tr("Weight used"), dose.weight.describe()),
                (
                    self.tr("Dose"),
                    self.tr("{ml} mL ({gc} genome copies)").format(ml=dose.dose_ml, gc=format_gc(dose.dose_gc)),
                ),
                (
                    self.tr("Vials"),
                    self.tr("{vials} (kit NDC {ndc})").format(vials=dose.vials, ndc=dose.kit_choice.kit.ndc11),
                ),
            ]
        if carton is not None:
            rows.append(
                (self.tr("Kit lot, expiry, serial"), f"{carton.lot}, {carton.expiry.isoformat()}, {carton.serial}")
            )
        if prep.prepared_at is not None and prep.complete_by is not None:
            rows += [
                (self.tr("Prepared at"), clock_time(prep.prepared_at, tz)),
                (self.tr("Complete the infusion by"), clock_time(prep.complete_by, tz)),
            ]
        self.preparer_summary.setText(table_html(rows))
        self.preparer_signer.setText(
            escape(
                self.tr("You sign as {name} ({username}), {role}. Meaning of this signature: {meaning}.").format(
                    name=user.full_name,
                    username=user.username,
                    role=user.role.value,
                    meaning=(Meaning.AMENDED_BY if self.amending is not None else Meaning.PREPARED_BY).value,
                )
            )
        )
        needs_id = self.session.needs_user_id()
        self.preparer_username.setReadOnly(not needs_id)
        if needs_id:
            if self.preparer_username.isReadOnly() or self.preparer_username.text() == user.username:
                self.preparer_username.clear()
            self.preparer_username_hint.setText(
                self.tr(
                    "The first signature of a session takes your username and your password (21 CFR 11.200)."
                    if self.session.continuous
                    else "The session was interrupted, so this signature takes your username and your password "
                    "(21 CFR 11.200)."
                )
            )
            self.screens[PREPARER].first_focus = self.preparer_username
        else:
            self.preparer_username.setText(user.username)
            self.preparer_username_hint.setText(
                self.tr("You signed earlier in this session without a break, so your password is enough.")
            )
            self.screens[PREPARER].first_focus = self.preparer_password
        self._show(PREPARER)
        missing = self.process.unattributed()
        if missing:
            self.screens[PREPARER].show_status(self._unattributed_sentence(missing))

    def _unattributed_sentence(self, missing: Sequence[str]) -> str:
        titles = {
            "identity": self.tr("Patient identity"),
            "preparation": self.tr("Preparation checks"),
            "administration": self.tr("Administration constraints"),
        }
        sections = {item.id: item.section.value for item in self.services.checklist.items}
        pages = list(dict.fromkeys(titles[sections.get(step, "identity")] for step in missing))
        named_pages = pages[0] if len(pages) == 1 else ", ".join(pages[:-1]) + self.tr(" and ") + pages[-1]
        return self.tr(
            "The record cannot say who completed {pages}: no one was signed in when those pages were completed. "
            "Open the preparation again while signed in, press Next on those pages, then sign."
        ).format(pages=named_pages)

    def sign_as_preparer(self) -> None:
        username, password = self.preparer_username.text(), self.preparer_password.text()
        process = self.process
        if run_busy(
            self,
            self.busy[PREPARER],
            self.busy_texts[PREPARER],
            lambda: process.sign_as_preparer(username, password),
            self._preparer_signed,
        ):
            self.preparer_password.clear()

    def _preparer_signed(self, outcome: Outcome[Signature]) -> None:
        s = self.screens[PREPARER]
        try:
            outcome.get()
        except NotThePersonSignedIn as exc:
            s.show_status(
                self.tr(
                    "You are signed in as {name} ({username}), and the preparer signs as the person signed in. Type "
                    "your own username, or sign in as yourself first."
                ).format(name=exc.user.full_name, username=exc.user.username)
            )
            return
        except PagesNotAttributed as exc:
            s.show_status(self._unattributed_sentence(exc.missing))
            return
        except Stopped as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.advance()

    # --- 2. overrides ------------------------------------------------------------------------------------
    def _open_override(self) -> None:
        self.override_subject = self.process.pending_overrides()[0]
        number, total = self.process.override_progress()
        self.override_count.setText(
            escape(
                self.tr("Override {number} of {total}. Only a pharmacist may approve it.").format(
                    number=number, total=total
                )
            )
        )
        self.override_warning.show_text(self.override_subject)
        self.override_reason.clear()
        self.screens[OVERRIDE].first_focus = self.override_reason
        self._show(OVERRIDE)

    def approve_override(self) -> None:
        username, password = self.override_username.text(), self.override_password.text()
        subject, reason, process = self.override_subject, self.override_reason.text(), self.process
        if run_busy(
            self,
            self.busy[OVERRIDE],
            self.busy_texts[OVERRIDE],
            lambda: process.approve_override(subject, reason, username, password),
            self._override_approved,
        ):
            self.override_password.clear()

    def _override_approved(self, outcome: Outcome[Signature]) -> None:
        s = self.screens[OVERRIDE]
        try:
            outcome.get()
        except Stopped as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.override_username.clear()
        self.advance()

    # --- 3. the verifier signs in --------------------------------------------------------------------------
    def verifier_continue(self) -> None:
        username, password = self.verifier_username.text(), self.verifier_password.text()
        if self.process.preparer_signature() is None:  # pragma: no cover - the screen is shown after the preparer
            self.verifier_password.clear()
            self.advance()
            return
        process = self.process
        if run_busy(
            self,
            self.busy[VERIFIER],
            self.busy_texts[VERIFIER],
            lambda: process.verifier_signs_in(username, password),
            self._verifier_checked,
        ):
            self.verifier_password.clear()

    def _verifier_checked(self, outcome: Outcome[User]) -> None:
        s = self.screens[VERIFIER]
        try:
            confirmed = outcome.get()
        except Stopped as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.verifier_username.clear()
        for edit in (self.blind_weight, self.blind_vials, self.blind_dose):
            edit.clear()
        self.blind_unit.set_value(None)
        for message in (self.blind_weight_message, self.blind_vials_message, self.blind_dose_message):
            message.clear_message()
        self.blind_verifier.setText(
            escape(
                self.tr("Blind check by {name} ({username}), {role}. Your signature: Verified by.").format(
                    name=confirmed.full_name, username=confirmed.username, role=confirmed.role.value
                )
                + " "
                + blind_check_instruction(self.process.prep)
            )
        )
        self._show(BLIND)

    def another_verifier(self) -> None:
        self.process.another_verifier()
        self._show(VERIFIER)

    # --- 4. the blind check ------------------------------------------------------------------------------
    def blind_sign(self) -> None:
        s = self.screens[BLIND]
        if self.process.preparer_signature() is None or self.verifier is None:  # pragma: no cover - shown after both
            self.advance()
            return
        messages = {
            "weight": self.blind_weight_message,
            "vials": self.blind_vials_message,
            "dose": self.blind_dose_message,
        }
        try:
            entry = read_blind_check(
                self.blind_weight.text(), self.blind_unit.value(), self.blind_vials.text(), self.blind_dose.text()
            )
        except BlindEntryInvalid as exc:
            for what, message in messages.items():
                if what in exc.problems:
                    message.show_message(exc.problems[what])
                else:
                    message.clear_message()
            s.show_status(self.tr("Correct the figures marked above, then sign."))
            return
        for message in messages.values():
            message.clear_message()
        process = self.process
        run_busy(
            self,
            self.busy[BLIND],
            self.tr("Comparing and signing…"),
            lambda: process.blind_check(entry),
            self._blind_signed,
        )

    def _blind_signed(self, outcome: Outcome[Signature]) -> None:
        s = self.screens[BLIND]
        try:
            outcome.get()
        except Stopped as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.advance()

    # --- 5. sealing --------------------------------------------------------------------------------------
    def _seal_problem(self, sentence: str) -> None:
        self.seal_retry_button.setVisible(True)
        self._show(SEAL)
        self.screens[SEAL].show_stop(sentence)

    def seal_now(self) -> None:
        """Seal and keep (one transaction), build and save both PDFs, then the Done screen; ``sealed`` is emitted
        once, when the record is kept. Both run off the GUI thread, the screen saying so meanwhile."""
        self._show(SEAL)
        text = self.tr("Sealing and signing the record…")
        if run_busy(self, self.busy[SEAL], text, self.process.seal, self._sealed):
            self.screens[SEAL].status.show_message(text, "status")

    def _seal_stopped(self, sentence: str) -> None:
        """A clinical stop as the record was to be sealed (a guard asked again found another preparation holding the
        patient, the person or the carton: ``Store.seal_preparation``): nothing was sealed, and sealing again cannot
        change that, so no button offers it; Back to the preparations leaves the flow."""
        self.seal_retry_button.setVisible(False)
        self._show(SEAL)
        self.screens[SEAL].show_stop(self.tr("The record was not sealed. {reason}").format(reason=sentence))

    def _sealed(self, outcome: Outcome[SealedRecord]) -> None:
        try:
            record = outcome.get()
        except ClinicalStop as exc:
            self._seal_stopped(exc.message)
            return
        except (DomainError, StorageError) as exc:
            self._seal_problem(
                self.tr("The record could not be sealed: {reason} Nothing is lost: press Try sealing again.").format(
                    reason=exc.message
                )
            )
            return
        if not self._announced:
            self._announced = True
            self.sealed.emit(record.record_id)
        services, user, prep_id = self.services, self.session.user, self.prep.id

        def make() -> tuple[MadeOutputs, tuple[Path, Path] | None, str]:
            made = record_outputs(services, record)
            try:
                record_path, label_path, saved_text = save_record_outputs(services, made.outputs, user, prep_id)
            except PdfSaveError as exc:
                return made, None, exc.message
            return made, (record_path, label_path), saved_text

        text = self.tr("Signing the record PDF and saving the record and the bag label…")
        if run_busy(self, self.busy[SEAL], text, make, lambda made: self._made(record, made)):
            self.screens[SEAL].status.show_message(text, "status")

    def _made(self, record: SealedRecord, outcome: Outcome[tuple[MadeOutputs, tuple[Path, Path] | None, str]]) -> None:
        try:
            made, saved, saved_text = outcome.get()
        except (DomainError, StorageError) as exc:
            self._seal_problem(
                self.tr(
                    "The record {record_id} is sealed and kept, but its PDFs could not be made: {reason} Press "
                    "Try sealing again to make them."
                ).format(record_id=record.record_id, reason=exc.message)
            )
            return
        self.outputs = made.outputs
        if saved is not None:
            self.saved = saved
        self.seal_retry_button.setVisible(False)
        self.screens[SEAL].status.clear_message()
        self._open_done(made.fingerprint, saved_text)

    # --- 6. done -----------------------------------------------------------------------------------------
    def _open_done(self, fingerprint: str, save_problem: str) -> None:
        record, outputs = self.record, self.outputs
        assert record is not None
        assert outputs is not None
        sha = record.sha256
        amends = (
            [
                (
                    self.tr("Amendment {number} of record").format(number=self.amending.number),
                    self.amending.corrects.record_id,
                )
            ]
            if self.amending is not None
            else []
        )
        self.done_record.setText(
            table_html(
                [
                    (self.tr("Record ID"), record.record_id),
                    *amends,
                    (self.tr("Record SHA-256"), " ".join(sha[i : i + 8] for i in range(0, len(sha), 8))),
                    (self.tr("Sealed at"), clock_time(record.sealed_at, self.services.tz)),
                    (self.tr("Signed with the site certificate"), fingerprint[:23] + "…"),
                ]
            )
        )
        if self.saved is not None:
            record_path, label_path = self.saved
            self.done_files.show_message(
                self.tr("Both PDFs are saved in the folder {folder}:\n• {record}\n• {label}").format(
                    folder=record_path.parent, record=record_path.name, label=label_path.name
                )
                + save_problem,  # "" or: the saving could not be written to the audit trail
                "ok" if not save_problem else "error",
            )
        else:
            self.done_files.show_message(save_problem, "error")
        if self.record_actions is not None:
            self.record_actions.setParent(None)
            self.record_actions.deleteLater()
        self.record_actions = RecordActions(
            outputs,
            prep_id=self.prep.id,
            store=self.services.store,
            user=self.session.user,
            workstation=self.services.workstation,
            printer=self.printer,
            folder=self.services.records_dir,
            saved=self.saved,
        )
        self.done_actions_holder.addWidget(self.record_actions)
        self.screens[DONE].first_focus = self.record_actions.print_record_button
        self._show(DONE)
        if self.process.sealed_elsewhere is not None:  # the slower of two workstations: whose record this is
            self.screens[DONE].show_status(self.process.sealed_elsewhere)


__all__ = ["SigningFlow"]
