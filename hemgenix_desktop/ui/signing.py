"""After Review: the signatures, the sealed record and its two PDFs (issue 5).

``SigningFlow(preparation, services, session)`` is one widget whose screens follow the permitted order of
steps (21 CFR 11.10(f)); a later step is never offered before an earlier one is done:

1. **Preparer signs** ("Prepared by"): the person signed in, with the password; the username too when the
   rule of 21 CFR 11.200 asks for it (the first signing of a continuous session, or after it was broken).
2. **Overrides**: each warning the wizard let through (a weight below the policy's kit table, a weight-drift
   notice) needs a reason and a pharmacist's signature ("Override approved").
3. **Verifier signs in**: a different person with the pharmacist role, username and password. The preparer
   or a technician is refused with the domain's sentence.
4. **Blind check**: the verifier types the weight read from the order and the vial count and dose volume
   they computed; the preparer's figures are not on that screen. Any difference stops and shows both
   values. Then "Verified by".
5. **Sealing**: sealed (canonical JSON and its SHA-256), then in one transaction marked signed, the sealed
   record kept in the audit trail and marked sealed (all or nothing); the record PDF (signed with the site
   certificate, created on first use) and the bag label are built and saved in the records folder.
6. **Done**: Print record, Print label, Save PDFs….  The label exists only here: it is withheld until the
   record is sealed.

Signatures are stored with ``Store.add_signature`` (which audits them); refused signers and blind-check
mismatches (intercepted errors) go to the audit trail with ``Store.record_event``. Nothing here changes the
Preparation, so the content hash each signature carries stays true. A flow opened again for the same
preparation continues where it stopped: the signatures given on this content are read back from the store.

:func:`reprint` is the History window's copy of a sealed record: both PDFs marked "COPY — reprinted <when>
by <who>", audited. :class:`RecordActions` (print, save) serves the Done screen and a reprint alike.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.checks import Checklist, load_checklist
from hemgenix_desktop.domain.dose import format_gc
from hemgenix_desktop.domain.errors import BlindCheckMismatch, ClinicalStop, DomainError, SignerRefused
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import (
    FIRST_SIGNATURES,
    BlindCheck,
    Meaning,
    Signature,
    check_verifier,
    overrides_required,
    parse_blind_dose_ml,
    parse_blind_vials,
    same_person,
    sign_as_preparer,
    sign_as_verifier,
    signature_needs_user_id,
    unattributed_steps,
)
from hemgenix_desktop.domain.signing import approve_override as approve_override_signature
from hemgenix_desktop.domain.weight import Weight, parse_weight
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.records.common import Reprint
from hemgenix_desktop.records.label_pdf import DEFAULT_LABEL_SIZE, LabelSize
from hemgenix_desktop.records.outputs import PdfSaveError, RecordOutputs, build_outputs, save_outputs
from hemgenix_desktop.security.seal import RecordFormatError, SealedRecord, amend, preparation_sha256, seal
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.security.site_keys import ensure_site_certificate
from hemgenix_desktop.storage import (
    AmendmentStatus,
    AmendmentSummary,
    PreparationStatus,
    StorageError,
    Store,
    User,
    short_id,
)
from hemgenix_desktop.storage.store import RECORD_SEALED as STORE_RECORD_SEALED
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.printing import PrinterBackend, PrintOutcome, SystemPrinters, start_print
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import (
    Banner,
    ChoiceGroup,
    MessageLabel,
    PracticeBanner,
    field_label,
    hint_label,
    named,
    stop_banner,
    warning_banner,
)

RECORD_SEALED = STORE_RECORD_SEALED  # the audit action that keeps the sealed record's canonical bytes
RECORD_REPRINTED = "record_reprinted"
FIELD_WIDTH = 320
NUMBER_WIDTH = 140
SIDE_WIDTH = 400  # the "Signatures given" column

PREPARER, OVERRIDE, VERIFIER, BLIND, SEAL, DONE = (
    "signPreparer",
    "signOverride",
    "signVerifier",
    "blindCheck",
    "seal",
    "done",
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --- what the flow needs from the program -----------------------------------------------------------------
@dataclass
class SigningServices:
    """The store, the password check, and the workstation's settings the flow works with."""

    store: Store
    sign_in: SignInService
    workstation: str
    site: str
    data_dir: Path  # the site certificate lives in <data_dir>/site-signing
    records_dir: Path  # both PDFs are saved here as soon as the record is sealed
    printer: PrinterBackend = field(default_factory=SystemPrinters)
    now: Callable[[], datetime] = _utc_now
    tz: tzinfo | None = None  # the zone times are shown in; None = this computer's
    checklist: Checklist = field(default_factory=load_checklist)
    label_size: LabelSize = DEFAULT_LABEL_SIZE

    @classmethod
    def from_config(
        cls,
        store: Store,
        sign_in: SignInService | None = None,
        *,
        data_dir: Path | None = None,
        printer: PrinterBackend | None = None,
    ) -> SigningServices:
        """This workstation's settings: name (``HEMGENIX_WORKSTATION``), site (``HEMGENIX_SITE``), the user's
        data folder; records are saved in ``<data folder>/records`` (a practice store's in a temporary folder,
        so practice records never reach the pharmacy's)."""
        from hemgenix_desktop import config

        folder = data_dir if data_dir is not None else config.data_dir()
        records = Path(tempfile.mkdtemp(prefix="hemgenix-practice-records-")) if store.practice else folder / "records"
        return cls(
            store=store,
            sign_in=sign_in or SignInService(store),
            workstation=config.workstation_name(),
            site=config.site_name(),
            data_dir=folder,
            records_dir=records,
            printer=printer or SystemPrinters(),
        )


@dataclass
class SigningSession:
    """The signed-in person's session, as the main window knows it (21 CFR 11.200).

    ``continuous`` is False once the session was broken (the screen locked, another person took over);
    the main window then starts a new SigningSession. ``signatures_given`` counts this person's signatures
    in this continuous session: the first one needs the username and the password, later ones the password.
    """

    user: User
    continuous: bool = True
    signatures_given: int = 0

    def needs_user_id(self) -> bool:
        return signature_needs_user_id(self.continuous, self.signatures_given > 0)


@dataclass(frozen=True)
class Amending:
    """What makes a signing flow a correction's: the amendment as stored (a draft, its number, reason and
    changes) and the sealed record it corrects (the original, or the newest earlier amendment)."""

    amendment: AmendmentSummary
    corrects: SealedRecord

    @property
    def number(self) -> int:
        return self.amendment.number

    def changes(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange.from_dict(change) for change in self.amendment.changes)


# --- the sealed record, kept in the audit trail (Store.seal_preparation) -------------------------------------
def _amendment_number(record: SealedRecord) -> int:
    ref = record.data["amends"]
    return int(ref.get("number", 0)) if isinstance(ref, dict) else 0


def stored_record(
    store: Store, prep_id: str, content_sha256: str | None = None, *, amendment: int | None = None
) -> SealedRecord | None:
    """The latest sealed record kept for a preparation, or None. With ``content_sha256``: given on that content;
    with ``amendment``: the original record (0) or amendment N's. Without either: the newest record, the one in
    force (the latest amendment when the record was corrected)."""
    for event in reversed(store.audit_trail(prep_id)):
        if event.action != RECORD_SEALED:
            continue
        try:
            record = SealedRecord.from_canonical(str(event.after["record"]).encode("utf-8"))
        except (KeyError, RecordFormatError):
            continue
        if record.sha256 != event.after.get("sha256"):
            continue
        if amendment is not None and _amendment_number(record) != amendment:
            continue
        if content_sha256 is None or record.data["content_sha256"] == content_sha256:
            return record
    return None


def record_in_force(store: Store, prep_id: str, verb: str, done: str) -> SealedRecord:
    """The sealed preparation's record in force (its newest amendment, or the original) for a reprint or a
    correction (``verb`` "reprint", ``done`` "reprinted"). Raises ``InvalidInput`` with the sentence when the
    preparation is not sealed or its record is not in the database."""
    from hemgenix_desktop.domain.errors import InvalidInput

    if store.summary(prep_id).status is not PreparationStatus.SEALED:
        raise InvalidInput(
            f"Preparation {short_id(prep_id)} is not sealed, so it has no record to {verb}. Finish its signatures "
            "first."
        )
    record = stored_record(store, prep_id)
    if record is None:
        raise InvalidInput(
            f"The sealed record of preparation {short_id(prep_id)} is not in the database, so it cannot be {done}. "
            "Call the pharmacist in charge."
        )
    return record


def reprint(
    store: Store,
    prep_id: str,
    user: User,
    *,
    data_dir: Path | None = None,
    workstation: str | None = None,
    site: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    label_size: LabelSize = DEFAULT_LABEL_SIZE,
) -> RecordOutputs:
    """A copy of a sealed record for the History window: both PDFs marked "COPY — reprinted <when> by <who>"
    on every page, and an audit event. Raises ``InvalidInput`` (not sealed, no record) with the sentence."""
    from hemgenix_desktop import config

    record = record_in_force(store, prep_id, "reprint", "reprinted")
    station = workstation or config.workstation_name()
    site_cert = ensure_site_certificate(
        data_dir if data_dir is not None else config.data_dir(), site or config.site_name()
    )
    marking = Reprint(at=(now or datetime.now(UTC)), by=user.full_name, tz=tz)
    outputs = build_outputs(record, site_cert, label_size=label_size, reprint=marking)
    store.record_event(
        user,
        station,
        RECORD_REPRINTED,
        f"Record {record.record_id} was reprinted as a copy by {user.full_name} ({marking.marking()}).",
        preparation_id=prep_id,
        after={"record_id": record.record_id, "sha256": record.sha256, "marking": marking.marking()},
    )
    return outputs


# --- how a signature is shown ----------------------------------------------------------------------------
def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"UTC{text[:3]}:{text[3:]}" if text else "UTC"


def signature_html(signature: Signature, *, blind: bool = False) -> str:
    """Printed name, username, role, meaning, date and time (local with zone, and UTC), workstation; for an
    override, what was overridden and why, except during the blind check (``blind``): the warnings name the
    weight and the vial count, which the verifier must work out without seeing them."""
    local, utc = signature.local_time, signature.signed_at.astimezone(UTC)
    lines = [
        f"<b>{escape(signature.meaning.value)}</b>",
        escape(f"{signature.printed_name} ({signature.username}), {signature.role}"),
        escape(f"{local:%Y-%m-%d %H:%M:%S} {signature.zone} ({_offset(local)})"),
        escape(f"{utc:%Y-%m-%d %H:%M:%S} UTC"),
        escape(f"Workstation {signature.workstation}"),
    ]
    if signature.subject and blind:
        lines.append(escape("What was overridden is shown after the blind check."))
    elif signature.subject:
        lines.append(escape(f"Override of: {signature.subject}"))
        lines.append(escape(f"Reason: {signature.reason}"))
    return "<br>".join(lines)


def _table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:14px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows
    )
    return f"<table cellpadding='2'>{cells}</table>"


def _password_edit(name: str, accessible: str) -> QLineEdit:
    edit = named(QLineEdit(), name, accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    edit.setFixedWidth(FIELD_WIDTH)
    return edit


def _line_edit(name: str, accessible: str, width: int = FIELD_WIDTH) -> QLineEdit:
    edit = named(QLineEdit(), name, accessible)
    edit.setMaxLength(200)
    edit.setFixedWidth(width)
    return edit


def _value_label(name: str, accessible: str) -> QLabel:
    label = named(QLabel(), name, accessible)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# --- screens ---------------------------------------------------------------------------------------------
class Screen(QWidget):
    """One step of the flow: heading, an explanation, a form, the STOP banner, a status line, buttons."""

    def __init__(self, key: str, heading: str, intro: str) -> None:
        super().__init__()
        self.key = key
        named(self, f"{key}Page", heading)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        title = named(QLabel(heading), f"{key}Heading", heading)
        title.setProperty("role", "heading")
        title.setWordWrap(True)
        outer.addWidget(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(2, 2, 14, 2)
        self.body.setSpacing(8)
        if intro:
            self.intro = hint_label(intro)
            self.body.addWidget(self.intro)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.stop: Banner = stop_banner(f"{key}Stop")
        outer.addWidget(self.stop)
        self.status = MessageLabel(f"{key}StatusMessage", self.tr("What went wrong or is still needed"), "error")
        outer.addWidget(self.status)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        outer.addLayout(self.buttons)
        self.first_focus: QWidget | None = None

    def form(self, title: str, name: str) -> QGridLayout:
        box = QGroupBox(title)
        box.setObjectName(name)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, 230)
        grid.setColumnStretch(2, 1)
        self.body.addWidget(box)
        return grid

    @staticmethod
    def row(
        grid: QGridLayout, label: str, widget: QWidget, message: MessageLabel | None = None, hint: str = ""
    ) -> None:
        r = grid.rowCount()
        grid.addWidget(field_label(label, widget), r, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(widget, r, 1)
        if hint:
            r += 1
            grid.addWidget(hint_label(hint), r, 1, 1, 2)
        if message is not None:
            grid.addWidget(message, r + 1, 1, 1, 2)

    def button(self, name: str, text: str, accessible: str = "") -> QPushButton:
        button = named(QPushButton(text), name, accessible or text)
        button.setAutoDefault(False)
        self.buttons.addWidget(button)
        return button

    def show_stop(self, text: str) -> None:
        self.stop.show_text(text)
        self.status.clear_message()

    def show_status(self, text: str) -> None:
        self.stop.clear_text()
        self.status.show_message(text)

    def clear_messages(self) -> None:
        self.stop.clear_text()
        self.status.clear_message()


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
        self.last_outcome: PrintOutcome | None = None

    def _audit(self, action: str, summary: str, after: dict[str, object]) -> str:
        """Record an event; returns "" or the sentence saying the audit trail could not be written."""
        try:
            self.store.record_event(
                self.user, self.workstation, action, summary, preparation_id=self.prep_id, after=dict(after)
            )
        except (StorageError, DomainError) as exc:
            return " " + exc.message
        return ""

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
        start_print(self, path, kind, self.printer, lambda outcome: self._printed(kind, path, outcome))

    def _printed(self, kind: str, path: Path, outcome: PrintOutcome) -> None:
        self.last_outcome = outcome
        action = f"{kind}_printed" if outcome.printed else f"{kind}_print_failed"
        problem = self._audit(
            action,
            outcome.message,
            {
                "record_id": self.outputs.record_id,
                "file": path.name,
                "printer": outcome.printer,
                "copies": outcome.copies,
                "pages": outcome.pages,
                "copy": self.outputs.reprint is not None,
            },
        )
        self.message.show_message(outcome.message + problem, "ok" if outcome.printed and not problem else "error")

    def ask_folder(self) -> None:
        msgbox.choose_folder(self, self.tr("Save the record and the label"), str(self.folder), self._folder_chosen)

    def _folder_chosen(self, folder: str) -> None:
        self.save_to(folder)

    def save_to(self, folder: str) -> tuple[Path, Path] | None:
        """Save both PDFs into ``folder`` and say so (or why not)."""
        try:
            record_path, label_path = save_outputs(self.outputs, Path(folder))
        except PdfSaveError as exc:
            self.message.show_message(exc.message, "error")
            return None
        problem = self._audit(
            "pdfs_saved",
            f"The PDFs of record {self.outputs.record_id} were saved in {record_path.parent}.",
            {"record_id": self.outputs.record_id, "files": [str(record_path), str(label_path)]},
        )
        self.message.show_message(
            self.tr("Saved {record} and {label} in {folder}.").format(
                record=record_path.name, label=label_path.name, folder=record_path.parent
            )
            + problem,
            "ok" if not problem else "error",
        )
        return record_path, label_path


class SigningFlow(QWidget):
    """The signatures after Review, the sealing, and the Done screen (see the module's docstring)."""

    sealed = Signal(str)  # the record ID, once the record is sealed and kept
    closed = Signal()  # Close on the Done screen

    def __init__(
        self,
        preparation: Preparation,
        services: SigningServices,
        session: SigningSession,
        parent: QWidget | None = None,
        *,
        amending: Amending | None = None,
    ) -> None:
        super().__init__(parent)
        self.prep = preparation
        self.services = services
        self.session = session
        self.amending = amending
        self.amendment_number = amending.number if amending is not None else 0
        self.content = preparation_sha256(preparation)
        self.signatures: list[Signature] = []
        self.verifier: User | None = None
        self.override_subject = ""
        self.record: SealedRecord | None = None
        self.outputs: RecordOutputs | None = None
        self.saved: tuple[Path, Path] | None = None
        self.record_actions: RecordActions | None = None
        self._announced = False  # ``sealed`` was emitted

        named(self, "signingFlow", self.tr("Signatures and the sealed record"))
        title = (
            self.tr("Hemgenix Prep: signatures and record")
            if amending is None
            else self.tr("Hemgenix Prep: correction of record {record_id}").format(
                record_id=amending.corrects.record_id
            )
        )
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if preparation.practice else title)
        self.setStyleSheet(STYLE_SHEET)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        if preparation.practice:
            layout.addWidget(PracticeBanner("signFlowPracticeBanner"))
        self.patient_label = _value_label("signFlowPatientLabel", self.tr("The patient this preparation is for"))
        layout.addWidget(self.patient_label)
        self.steps_label = _value_label("signFlowStepsLabel", self.tr("The steps of signing, and where you are"))
        layout.addWidget(self.steps_label)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        layout.addLayout(columns, 1)
        self.stack = QStackedWidget()
        columns.addWidget(self.stack, 1)
        box = QGroupBox(self.tr("Signatures given"))
        box.setObjectName("signFlowSignaturesGroup")
        box.setFixedWidth(SIDE_WIDTH)
        box_layout = QVBoxLayout(box)
        side = QScrollArea()
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.signatures_label = _value_label("signFlowSignaturesLabel", self.tr("Signatures given"))
        self.signatures_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side.setWidget(self.signatures_label)
        box_layout.addWidget(side)
        columns.addWidget(box)

        self.screens: dict[str, Screen] = {}
        self._build_preparer()
        self._build_override()
        self._build_verifier()
        self._build_blind()
        self._build_seal()
        self._build_done()
        self._show_patient()
        self.resize(1180, 760)
        self.advance()

    # --- screens ---------------------------------------------------------------------------------------
    def _add(self, screen: Screen) -> Screen:
        self.screens[screen.key] = screen
        self.stack.addWidget(screen)
        return screen

    def _build_preparer(self) -> None:
        amending = self.amending is not None
        s = self._add(
            Screen(
                PREPARER,
                self.tr("Sign the correction") if amending else self.tr("Sign as preparer"),
                self.tr(
                    "Read what you sign. Your signature means: you made this correction, for the reason given, and "
                    "the corrected values are right. The record it corrects stays as it is."
                )
                if amending
                else self.tr(
                    "Read what you sign. Your signature means: you prepared this dose as recorded. It is linked to "
                    "this record and cannot be moved to another."
                ),
            )
        )
        self.preparer_summary = _value_label("signPreparerSummaryLabel", self.tr("What you sign"))
        s.body.addWidget(self.preparer_summary)
        grid = s.form(
            self.tr("Your signature: Amended by") if amending else self.tr("Your signature: Prepared by"),
            "signPreparerGroup",
        )
        self.preparer_signer = _value_label("signPreparerSignerLabel", self.tr("Who signs, and the meaning"))
        grid.addWidget(self.preparer_signer, 0, 0, 1, 3)
        self.preparer_username = _line_edit("signPreparerUsernameEdit", self.tr("Your username"))
        self.preparer_username_hint = named(hint_label(""), "signPreparerUsernameHint", self.tr("Why the username"))
        Screen.row(grid, self.tr("Username"), self.preparer_username)
        grid.addWidget(self.preparer_username_hint, grid.rowCount(), 1, 1, 2)
        self.preparer_password = _password_edit("signPreparerPasswordEdit", self.tr("Your password"))
        Screen.row(grid, self.tr("Password"), self.preparer_password)
        s.body.addStretch(1)
        self.preparer_button = s.button(
            "signPreparerSignButton", self.tr("Sign the correction") if amending else self.tr("Sign as preparer")
        )
        self.preparer_button.clicked.connect(self.sign_as_preparer)
        self.preparer_password.returnPressed.connect(self.preparer_button.click)

    def _build_override(self) -> None:
        s = self._add(
            Screen(
                OVERRIDE,
                self.tr("Approve an override"),
                self.tr(
                    "The wizard let this warning through. A pharmacist approves it with a reason before the dose "
                    "is verified; the reason is printed on the record."
                ),
            )
        )
        self.override_count = _value_label("signOverrideCountLabel", self.tr("Which override this is"))
        s.body.addWidget(self.override_count)
        self.override_warning = warning_banner("signOverrideWarning", self.tr("The warning to approve"))
        s.body.addWidget(self.override_warning)
        grid = s.form(self.tr("Pharmacist's signature: Override approved"), "signOverrideGroup")
        self.override_reason = _line_edit("signOverrideReasonEdit", self.tr("Reason for the override"), 560)
        self.override_reason.setMaxLength(500)
        Screen.row(
            grid,
            self.tr("Reason"),
            self.override_reason,
            hint=self.tr("In a few words, why this dose may go ahead, for example who confirmed what."),
        )
        self.override_username = _line_edit("signOverrideUsernameEdit", self.tr("Pharmacist's username"))
        Screen.row(grid, self.tr("Pharmacist's username"), self.override_username)
        self.override_password = _password_edit("signOverridePasswordEdit", self.tr("Pharmacist's password"))
        Screen.row(grid, self.tr("Password"), self.override_password)
        s.body.addStretch(1)
        self.override_button = s.button("signOverrideApproveButton", self.tr("Approve override"))
        self.override_button.clicked.connect(self.approve_override)
        self.override_password.returnPressed.connect(self.override_button.click)

    def _build_verifier(self) -> None:
        s = self._add(
            Screen(
                VERIFIER,
                self.tr("Independent verification: pharmacist signs in"),
                self.tr(
                    "A pharmacist who did not prepare this dose verifies it. Enter your own username and password. "
                    "Next you work out the dose yourself (a blind check): the preparer's figures are not shown."
                ),
            )
        )
        grid = s.form(self.tr("Verifying pharmacist"), "signVerifierGroup")
        self.verifier_username = _line_edit("signVerifierUsernameEdit", self.tr("Verifier's username"))
        Screen.row(grid, self.tr("Username"), self.verifier_username)
        self.verifier_password = _password_edit("signVerifierPasswordEdit", self.tr("Verifier's password"))
        Screen.row(grid, self.tr("Password"), self.verifier_password)
        s.body.addStretch(1)
        self.verifier_button = s.button("signVerifierContinueButton", self.tr("Continue to the blind check"))
        self.verifier_button.clicked.connect(self.verifier_continue)
        self.verifier_password.returnPressed.connect(self.verifier_button.click)
        s.first_focus = self.verifier_username

    def _build_blind(self) -> None:
        s = self._add(
            Screen(
                BLIND,
                self.tr("Blind check"),
                self.tr(
                    "Read the weight from the order or today's weight record, then work out the vial count and the "
                    "dose volume yourself (2 mL per kg; vials = dose ÷ 10 mL, rounded up). The preparer's figures "
                    "are not shown on this screen; they are compared when you sign."
                ),
            )
        )
        self.blind_verifier = _value_label("blindCheckVerifierLabel", self.tr("Who does the blind check"))
        s.body.addWidget(self.blind_verifier)
        grid = s.form(self.tr("Your own figures"), "blindCheckGroup")
        self.blind_weight = _line_edit("blindCheckWeightEdit", self.tr("Weight the dose is based on"), NUMBER_WIDTH)
        self.blind_unit = ChoiceGroup(
            "blindCheckWeightUnit",
            self.tr("Unit of the weight"),
            [("kg", self.tr("kg"), "blindCheckWeightUnitKg"), ("lb", self.tr("lb"), "blindCheckWeightUnitLb")],
        )
        weight_row = QWidget()
        weight_layout = QHBoxLayout(weight_row)
        weight_layout.setContentsMargins(0, 0, 0, 0)
        weight_layout.addWidget(self.blind_weight)
        weight_layout.addWidget(self.blind_unit, 1)
        self.blind_weight_message = MessageLabel("blindCheckWeightMessage", self.tr("Weight the dose is based on"))
        Screen.row(grid, self.tr("Weight the dose is based on"), weight_row, self.blind_weight_message)
        self.blind_vials = _line_edit("blindCheckVialsEdit", self.tr("Vials you computed"), NUMBER_WIDTH)
        self.blind_vials_message = MessageLabel("blindCheckVialsMessage", self.tr("Vials you computed"))
        Screen.row(grid, self.tr("Vials you computed"), self.blind_vials, self.blind_vials_message)
        self.blind_dose = _line_edit("blindCheckDoseEdit", self.tr("Dose volume you computed, mL"), NUMBER_WIDTH)
        dose_row = QWidget()
        dose_layout = QHBoxLayout(dose_row)
        dose_layout.setContentsMargins(0, 0, 0, 0)
        dose_layout.addWidget(self.blind_dose)
        dose_layout.addWidget(QLabel(self.tr("mL")))
        dose_layout.addStretch(1)
        self.blind_dose_message = MessageLabel("blindCheckDoseMessage", self.tr("Dose volume you computed, mL"))
        Screen.row(grid, self.tr("Dose volume you computed"), dose_row, self.blind_dose_message)
        s.body.addStretch(1)
        self.blind_back_button = s.button("blindCheckAnotherVerifierButton", self.tr("Another pharmacist verifies"))
        self.blind_button = s.button("blindCheckSignButton", self.tr("Compare and sign as verifier"))
        self.blind_back_button.clicked.connect(self.another_verifier)
        self.blind_button.clicked.connect(self.blind_sign)
        self.blind_dose.returnPressed.connect(self.blind_button.click)
        s.first_focus = self.blind_weight

    def _build_seal(self) -> None:
        s = self._add(Screen(SEAL, self.tr("Sealing the record"), ""))
        self.seal_label = _value_label("sealProgressLabel", self.tr("What sealing does"))
        self.seal_label.setText(
            escape(
                self.tr(
                    "Both signatures are given. The preparation is now sealed into a record that cannot change, the "
                    "record PDF is signed with the site certificate, and the record and the bag label are saved."
                )
            )
        )
        s.body.addWidget(self.seal_label)
        s.body.addStretch(1)
        self.seal_retry_button = s.button("sealRetryButton", self.tr("Try sealing again"))
        self.seal_retry_button.clicked.connect(self.advance)
        self.seal_retry_button.setVisible(False)

    def _build_done(self) -> None:
        amending = self.amending
        s = self._add(
            Screen(
                DONE,
                self.tr("Amendment sealed") if amending is not None else self.tr("Record sealed"),
                self.tr(
                    "The correction is sealed as amendment {number}; record {record_id} is unchanged and the "
                    "amendment names it. Print the amended record and its bag label; if the bag is still in the "
                    "pharmacy, replace its label."
                ).format(number=amending.number, record_id=amending.corrects.record_id)
                if amending is not None
                else self.tr(
                    "The preparation is signed and sealed; it can no longer be changed (a correction is a new "
                    "amendment record). Print the record and the bag label, and put the label on the bag."
                ),
            )
        )
        self.done_record = _value_label("doneRecordLabel", self.tr("The sealed record"))
        s.body.addWidget(self.done_record)
        self.done_files = MessageLabel("doneFilesLabel", self.tr("Where the PDFs are saved"), "status")
        s.body.addWidget(self.done_files)
        self.done_actions_holder = QVBoxLayout()
        s.body.addLayout(self.done_actions_holder)
        s.body.addStretch(1)
        self.done_close_button = s.button("doneCloseButton", self.tr("Close"), self.tr("Close the record"))
        self.done_close_button.clicked.connect(self.closed.emit)

    # --- the header --------------------------------------------------------------------------------------
    def _show_patient(self) -> None:
        order = self.prep.order
        if order is None:
            self.patient_label.setText("")
            return
        p = order.patient
        text = escape(
            self.tr("{name}, born {born}, MRN {mrn}, identifier {identifier}, order {order}").format(
                name=p.full_name,
                born=p.date_of_birth.isoformat(),
                mrn=p.mrn,
                identifier=p.patient_specific_id,
                order=order.order_number,
            )
        )
        if self.amending is not None:
            text = "<b>{}</b><br>{}".format(
                escape(
                    self.tr("Correction: amendment {number} of record {record_id}").format(
                        number=self.amending.number, record_id=self.amending.corrects.record_id
                    )
                ),
                text,
            )
        self.patient_label.setText(text)
        self.patient_label.setProperty("role", "value")

    def _show_steps(self, current: str) -> None:
        overrides = (
            self.tr("2 Overrides approved")
            if overrides_required(self.prep)
            else self.tr("2 Overrides approved (none needed)")
        )
        steps = [
            (PREPARER, self.tr("1 Person correcting signs") if self.amending else self.tr("1 Preparer signs")),
            (OVERRIDE, overrides),
            (VERIFIER, self.tr("3 Pharmacist verifies (blind check)")),
            (SEAL, self.tr("4 Record sealed")),
            (DONE, self.tr("5 Print record and label")),
        ]
        where = {PREPARER: 0, OVERRIDE: 1, VERIFIER: 2, BLIND: 2, SEAL: 3, DONE: 4}[current]
        parts = []
        for index, (_key, text) in enumerate(steps):
            if index < where:
                parts.append(f"<span style='color:#1b5e20'>✓ {escape(text)}</span>")
            elif index == where:
                parts.append(f"<b>▶ {escape(text)}</b>")
            else:
                parts.append(f"<span style='color:#3c3c3c'>{escape(text)}</span>")
        self.steps_label.setText(" &nbsp;&nbsp;·&nbsp;&nbsp; ".join(parts))

    def _show_signatures(self, blind: bool) -> None:
        if not self.signatures:
            self.signatures_label.setText(escape(self.tr("None yet.")))
            return
        self.signatures_label.setText("<br><br>".join(signature_html(s, blind=blind) for s in self.signatures))
        self.signatures_label.adjustSize()

    def _go(self, key: str) -> None:
        screen = self.screens[key]
        self._show_steps(key)
        self._show_signatures(blind=key == BLIND)
        if self.stack.currentWidget() is not screen:
            screen.clear_messages()
            self.stack.setCurrentWidget(screen)
        if screen.first_focus is not None:
            screen.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_session(self, session: SigningSession) -> None:
        """The main window's session changed (the screen locked and someone unlocked it): a verifier who had
        signed in must sign in again, and the preparer's screen asks for what the new session needs."""
        self.session = session
        self.verifier = None
        if self.current_key() in (PREPARER, BLIND):
            self.advance()

    def current_key(self) -> str:
        widget = self.stack.currentWidget()
        return widget.key if isinstance(widget, Screen) else ""

    # --- where the flow stands ---------------------------------------------------------------------------
    def _preparer_signature(self) -> Signature | None:
        return next((s for s in self.signatures if s.meaning in FIRST_SIGNATURES), None)

    def _pending_overrides(self) -> list[str]:
        approved = {s.subject for s in self.signatures if s.meaning is Meaning.OVERRIDE_APPROVED}
        return [subject for subject in overrides_required(self.prep) if subject not in approved]

    def _status(self) -> PreparationStatus:
        """Where the thing being signed stands: the preparation, or (correcting) the amendment, whose draft /
        sealed / voided read as the preparation's would."""
        store = self.services.store
        if self.amending is None:
            return store.summary(self.prep.id).status
        return PreparationStatus(store.amendment(self.amending.amendment.id).status.value)

    def advance(self) -> None:
        """Show the first step not yet done, from what the store holds."""
        store = self.services.store
        try:
            status = self._status()
            self.signatures = store.signatures(self.prep.id, self.content, amendment=self.amendment_number)
        except (DomainError, StorageError) as exc:
            self._seal_problem(exc.message)
            return
        if status is PreparationStatus.VOIDED and self.amending is not None:
            self._seal_problem(
                self.tr(
                    "This correction was discarded, so it cannot be signed or sealed. Open the History window to "
                    "correct the record again."
                )
            )
            return
        if status is PreparationStatus.VOIDED:
            self._seal_problem(
                self.tr("This preparation was voided, so it cannot be signed or sealed. Start a new preparation.")
            )
            return
        if status is not PreparationStatus.DRAFT:
            self.seal_now()
            return
        if self._preparer_signature() is None:
            self._open_preparer()
        elif self._pending_overrides():
            self._open_override()
        elif not any(s.meaning is Meaning.VERIFIED_BY for s in self.signatures):
            self._go(BLIND if self.verifier is not None else VERIFIER)
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
        self.preparer_summary.setText(_table(rows))
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
        self._go(PREPARER)
        missing = unattributed_steps(prep, self.services.checklist)
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
        s = self.screens[PREPARER]
        user = self.session.user
        username = self.preparer_username.text() if self.session.needs_user_id() else user.username
        password = self.preparer_password.text()
        self.preparer_password.clear()
        if username.strip() and not same_person(username, user.username):
            s.show_status(
                self.tr(
                    "You are signed in as {name} ({username}), and the preparer signs as the person signed in. Type "
                    "your own username, or sign in as yourself first."
                ).format(name=user.full_name, username=user.username)
            )
            return
        missing = unattributed_steps(self.prep, self.services.checklist)
        if missing:
            s.show_status(self._unattributed_sentence(missing))
            return
        sv = self.services
        try:
            confirmed = sv.sign_in.confirm_for_signature(username, password, sv.workstation)
            signature = sign_as_preparer(
                self.prep,
                confirmed.signer(),
                workstation=sv.workstation,
                content_sha256=self.content,
                checklist=sv.checklist,
                at=sv.now(),
                tz=sv.tz,
                amending=self.amending is not None,
            )
            sv.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except ClinicalStop as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.session.signatures_given += 1
        self.advance()

    # --- 2. overrides ------------------------------------------------------------------------------------
    def _open_override(self) -> None:
        pending = self._pending_overrides()
        total = len(overrides_required(self.prep))
        self.override_subject = pending[0]
        self.override_count.setText(
            escape(
                self.tr("Override {number} of {total}. Only a pharmacist may approve it.").format(
                    number=total - len(pending) + 1, total=total
                )
            )
        )
        self.override_warning.show_text(self.override_subject)
        self.override_reason.clear()
        self.screens[OVERRIDE].first_focus = self.override_reason
        self._go(OVERRIDE)

    def approve_override(self) -> None:
        s = self.screens[OVERRIDE]
        sv = self.services
        username, password = self.override_username.text(), self.override_password.text()
        self.override_password.clear()
        try:
            confirmed = sv.sign_in.confirm_for_signature(username, password, sv.workstation)
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        try:
            signature = approve_override_signature(
                self.prep,
                self.override_subject,
                self.override_reason.text(),
                confirmed.signer(),
                workstation=sv.workstation,
                content_sha256=self.content,
                at=sv.now(),
                tz=sv.tz,
            )
            sv.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except SignerRefused as exc:
            s.show_stop(exc.message + self._audit_refusal(confirmed, Meaning.OVERRIDE_APPROVED, exc.message))
            return
        except ClinicalStop as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.override_username.clear()
        self.advance()

    def _audit_refusal(self, who: User, meaning: Meaning, sentence: str) -> str:
        """Record a refused signer; returns "" or the sentence saying the audit trail could not be written."""
        try:
            self.services.store.record_event(
                who,
                self.services.workstation,
                "signature_refused",
                f"{who.full_name} ({who.username}, {who.role.value}) was refused as “{meaning.value}” on preparation "
                f"{short_id(self.prep.id)}: {sentence}",
                preparation_id=self.prep.id,
                after={"meaning": meaning.value, "username": who.username, "role": who.role.value},
            )
        except (DomainError, StorageError) as exc:
            return " " + exc.message
        return ""

    # --- 3. the verifier signs in --------------------------------------------------------------------------
    def verifier_continue(self) -> None:
        s = self.screens[VERIFIER]
        sv = self.services
        preparer = self._preparer_signature()
        username, password = self.verifier_username.text(), self.verifier_password.text()
        self.verifier_password.clear()
        if preparer is None:  # pragma: no cover - the flow never shows this screen before the preparer signed
            self.advance()
            return
        try:
            confirmed = sv.sign_in.confirm_for_signature(username, password, sv.workstation)
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        try:
            check_verifier(preparer, confirmed.signer())
        except SignerRefused as exc:
            s.show_stop(exc.message + self._audit_refusal(confirmed, Meaning.VERIFIED_BY, exc.message))
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.verifier = confirmed
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
            )
        )
        self._go(BLIND)

    def another_verifier(self) -> None:
        self.verifier = None
        self._go(VERIFIER)

    # --- 4. the blind check ------------------------------------------------------------------------------
    def _read_blind(self) -> BlindCheck | None:
        weight: Weight | None = None
        vials: int | None = None
        try:
            weight = parse_weight(self.blind_weight.text(), self.blind_unit.value())
            self.blind_weight_message.clear_message()
        except DomainError as exc:
            self.blind_weight_message.show_message(exc.message)
        try:
            vials = parse_blind_vials(self.blind_vials.text())
            self.blind_vials_message.clear_message()
        except DomainError as exc:
            self.blind_vials_message.show_message(exc.message)
        try:
            dose = parse_blind_dose_ml(self.blind_dose.text())
            self.blind_dose_message.clear_message()
        except DomainError as exc:
            self.blind_dose_message.show_message(exc.message)
            return None
        if weight is None or vials is None:
            return None
        return BlindCheck(weight, vials, dose)

    def blind_sign(self) -> None:
        s = self.screens[BLIND]
        sv = self.services
        preparer, verifier = self._preparer_signature(), self.verifier
        if preparer is None or verifier is None:  # pragma: no cover - the screen is shown only after both
            self.advance()
            return
        entry = self._read_blind()
        if entry is None:
            s.show_status(self.tr("Correct the figures marked above, then sign."))
            return
        try:
            signature = sign_as_verifier(
                self.prep,
                preparer,
                verifier.signer(),
                entry,
                workstation=sv.workstation,
                content_sha256=self.content,
                at=sv.now(),
                tz=sv.tz,
            )
            sv.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except BlindCheckMismatch as exc:
            s.show_stop(exc.message + self._audit_mismatch(verifier, exc))
            return
        except SignerRefused as exc:
            s.show_stop(exc.message + self._audit_refusal(verifier, Meaning.VERIFIED_BY, exc.message))
            return
        except ClinicalStop as exc:
            s.show_stop(exc.message)
            return
        except (DomainError, StorageError) as exc:
            s.show_status(exc.message)
            return
        self.verifier = None
        self.advance()

    def _audit_mismatch(self, verifier: User, exc: BlindCheckMismatch) -> str:
        """A blind check that caught a difference is an intercepted error: it goes to the audit trail."""
        try:
            self.services.store.record_event(
                verifier,
                self.services.workstation,
                "blind_check_mismatch",
                f"The blind check by {verifier.full_name} ({verifier.username}) did not match preparation "
                f"{short_id(self.prep.id)}: {exc.message}",
                preparation_id=self.prep.id,
                after={
                    "differences": [
                        {"what": what, "verifier": yours, "preparation": theirs}
                        for what, yours, theirs in exc.differences
                    ]
                },
            )
        except (DomainError, StorageError) as problem:
            return " " + problem.message
        return ""

    # --- 5. sealing --------------------------------------------------------------------------------------
    def _seal_problem(self, sentence: str) -> None:
        self.seal_retry_button.setVisible(True)
        self._go(SEAL)
        self.screens[SEAL].show_stop(sentence)

    def seal_now(self) -> None:
        """Seal; mark signed, keep the record and mark sealed (one transaction); build and save both PDFs; then
        the Done screen."""
        sv = self.services
        self._go(SEAL)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                record = self._seal_and_keep()
            except (DomainError, StorageError) as exc:
                self._seal_problem(
                    self.tr(
                        "The record could not be sealed: {reason} Nothing is lost: press Try sealing again."
                    ).format(reason=exc.message)
                )
                return
            try:
                site_cert = ensure_site_certificate(sv.data_dir, sv.site)
                self.outputs = build_outputs(record, site_cert, label_size=sv.label_size)
            except (DomainError, StorageError) as exc:
                self._seal_problem(
                    self.tr(
                        "The record {record_id} is sealed and kept, but its PDFs could not be made: {reason} Press "
                        "Try sealing again to make them."
                    ).format(record_id=record.record_id, reason=exc.message)
                )
                return
        finally:
            QGuiApplication.restoreOverrideCursor()
        saved_text = ""
        try:
            self.saved = save_outputs(self.outputs, sv.records_dir)
        except PdfSaveError as exc:
            saved_text = exc.message
        self.seal_retry_button.setVisible(False)
        self._open_done(site_cert.fingerprint, saved_text)

    def _seal_and_keep(self) -> SealedRecord:
        """The sealed record of this preparation: the one already kept, or sealed now. Marking it signed,
        keeping the record and marking it sealed are one transaction (``Store.seal_preparation``), so a crash
        leaves it wholly sealed or still unsealed. ``sealed`` is emitted once, when the record is kept."""
        record = self._seal_amendment(self.amending) if self.amending is not None else self._seal_original()
        self.record = record
        self.signatures = list(record.signatures)
        if not self._announced:
            self._announced = True
            self.sealed.emit(record.record_id)
        return record

    def _seal_amendment(self, amending: Amending) -> SealedRecord:
        """The amendment's record: kept already, or sealed now (``amend``: it names the record it corrects, the
        reason and what changed) and kept with the amendment marked sealed, in one transaction
        (``Store.seal_amendment``). The record it corrects is not touched."""
        sv, store, user = self.services, self.services.store, self.session.user
        number = amending.number
        record = stored_record(store, self.prep.id, self.content, amendment=number)
        kept = record is not None
        if record is None:
            record = amend(
                amending.corrects,
                self.prep,
                store.signatures(self.prep.id, self.content, amendment=number),
                self.prep.attributions,
                reason=amending.amendment.reason,
                changes=amending.changes(),
                number=number,
                site=sv.site,
                workstation=sv.workstation,
                checklist=sv.checklist,
                sealed_at=sv.now(),
                tz=sv.tz,
            )
        if store.amendment(amending.amendment.id).status is not AmendmentStatus.SEALED:
            store.seal_amendment(
                amending.amendment.id,
                user,
                sv.workstation,
                record_id=record.record_id,
                record_sha256=record.sha256,
                canonical=None if kept else record.canonical.decode("utf-8"),
            )
        return record

    def _seal_original(self) -> SealedRecord:
        sv, store, user = self.services, self.services.store, self.session.user
        record = stored_record(store, self.prep.id, self.content, amendment=0)
        kept = record is not None
        if record is None:
            record = seal(
                self.prep,
                store.signatures(self.prep.id, self.content),
                self.prep.attributions,
                site=sv.site,
                workstation=sv.workstation,
                checklist=sv.checklist,
                sealed_at=sv.now(),
                tz=sv.tz,
            )
        if store.summary(self.prep.id).status is not PreparationStatus.SEALED:
            store.seal_preparation(
                self.prep,
                user,
                sv.workstation,
                record_id=record.record_id,
                record_sha256=record.sha256,
                canonical=None if kept else record.canonical.decode("utf-8"),
            )
        return record

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
            _table(
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
                ),
                "ok",
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
            printer=self.services.printer,
            folder=self.services.records_dir,
            saved=self.saved,
        )
        self.done_actions_holder.addWidget(self.record_actions)
        self.screens[DONE].first_focus = self.record_actions.print_record_button
        self._go(DONE)
