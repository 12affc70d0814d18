"""The screens of the signing flow (:mod:`ui.signing`): how a step, a signature and the flow's header are drawn.

:class:`SigningScreens` lays out the header (patient, steps, the signatures given) and one :class:`Screen` per step
of :class:`~hemgenix_desktop.services.signing.Step`; :class:`~hemgenix_desktop.ui.signing.SigningFlow` adds what
each button does, calling the signing process.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
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

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.signing import Signature, overrides_required
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.services.sealing import Amending
from hemgenix_desktop.services.signing import Step
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import (
    Banner,
    ChoiceGroup,
    MessageLabel,
    PracticeBanner,
    enter_moves_to,
    field_label,
    hint_label,
    named,
    stop_banner,
    warning_banner,
)

FIELD_WIDTH = 320
NUMBER_WIDTH = 140
SIDE_WIDTH = 400  # the "Signatures given" column

PREPARER, OVERRIDE, VERIFIER, BLIND, SEAL, DONE = (
    Step.PREPARER.value,
    Step.OVERRIDE.value,
    Step.VERIFIER.value,
    Step.BLIND.value,
    Step.SEAL.value,
    Step.DONE.value,
)


# --- how a signature is shown ----------------------------------------------------------------------------
def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"UTC{text[:3]}:{text[3:]}" if text else "UTC"


def signature_html(signature: Signature, *, blind: bool = False) -> str:
    """Printed name, username, role, meaning, date and time (once: local with zone and offset), workstation; for an
    override, what was overridden and why, except during the blind check (``blind``): the warnings name the
    weight and the vial count, which the verifier must work out without seeing them."""
    local = signature.local_time
    offset = _offset(local)
    when = f"{local:%Y-%m-%d %H:%M:%S} {signature.zone}"
    lines = [
        f"<b>{escape(signature.meaning.value)}</b>",
        escape(f"{signature.printed_name} ({signature.username}), {signature.role}"),
        escape(when if signature.zone in ("UTC", offset) else f"{when} ({offset})"),  # each time once (issue 21)
        escape(f"Workstation {signature.workstation}"),
    ]
    if signature.subject and blind:
        lines.append(escape("What was overridden is shown after the blind check."))
    elif signature.subject:
        lines.append(escape(f"Override of: {signature.subject}"))
        lines.append(escape(f"Reason: {signature.reason}"))
    return "<br>".join(lines)


def table_html(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:14px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows
    )
    return f"<table cellpadding='2'>{cells}</table>"


def password_edit(name: str, accessible: str) -> QLineEdit:
    edit = named(QLineEdit(), name, accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    edit.setFixedWidth(FIELD_WIDTH)
    return edit


def line_edit(name: str, accessible: str, width: int = FIELD_WIDTH) -> QLineEdit:
    edit = named(QLineEdit(), name, accessible)
    edit.setMaxLength(200)
    edit.setFixedWidth(width)
    return edit


def value_label(name: str, accessible: str) -> QLabel:
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


class SigningScreens(QWidget):
    """The flow's header and its screens, one per step (the buttons are wired by the flow)."""

    def __init__(
        self,
        preparation: Preparation,
        amending: Amending | None,
        parent: QWidget | None = None,
        *,
        own_style_sheet: bool = True,
    ) -> None:
        """``own_style_sheet`` False: shown inside a window whose style sheet it inherits (the main window's
        stack); built without a sheet of its own, its screens are polished once, when shown there."""
        super().__init__(parent)
        self.prep = preparation
        self.amending = amending

        named(self, "signingFlow", self.tr("Signatures and the sealed record"))
        title = (
            self.tr("Hemgenix Prep: signatures and record")
            if amending is None
            else self.tr("Hemgenix Prep: correction of record {record_id}").format(
                record_id=amending.corrects.record_id
            )
        )
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if preparation.practice else title)
        if own_style_sheet:  # shown on its own (a test, the smoke test): the program's look
            self.setStyleSheet(STYLE_SHEET)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        if preparation.practice:
            layout.addWidget(PracticeBanner("signFlowPracticeBanner"))
        self.patient_label = value_label("signFlowPatientLabel", self.tr("The patient this preparation is for"))
        layout.addWidget(self.patient_label)
        self.steps_label = value_label("signFlowStepsLabel", self.tr("The steps of signing, and where you are"))
        layout.addWidget(self.steps_label)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        layout.addLayout(columns, 1)
        self.stack = QStackedWidget()
        columns.addWidget(self.stack, 3)
        box = QGroupBox(self.tr("Signatures given"))
        box.setObjectName("signFlowSignaturesGroup")
        box.setMinimumWidth(SIDE_WIDTH // 2)  # narrower on a small screen (1280×720 at 150 %), never wider
        box.setMaximumWidth(SIDE_WIDTH)
        box_layout = QVBoxLayout(box)
        side = QScrollArea()
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.signatures_label = value_label("signFlowSignaturesLabel", self.tr("Signatures given"))
        self.signatures_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side.setWidget(self.signatures_label)
        box_layout.addWidget(side)
        columns.addWidget(box, 2)

        self.screens: dict[str, Screen] = {}
        self._build_preparer()
        self._build_override()
        self._build_verifier()
        self._build_blind()
        self._build_seal()
        self._build_done()
        self._show_patient()

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
        self.preparer_summary = value_label("signPreparerSummaryLabel", self.tr("What you sign"))
        s.body.addWidget(self.preparer_summary)
        grid = s.form(
            self.tr("Your signature: Amended by") if amending else self.tr("Your signature: Prepared by"),
            "signPreparerGroup",
        )
        self.preparer_signer = value_label("signPreparerSignerLabel", self.tr("Who signs, and the meaning"))
        grid.addWidget(self.preparer_signer, 0, 0, 1, 3)
        self.preparer_username = line_edit("signPreparerUsernameEdit", self.tr("Your username"))
        self.preparer_username_hint = named(hint_label(""), "signPreparerUsernameHint", self.tr("Why the username"))
        Screen.row(grid, self.tr("Username"), self.preparer_username)
        grid.addWidget(self.preparer_username_hint, grid.rowCount(), 1, 1, 2)
        self.preparer_password = password_edit("signPreparerPasswordEdit", self.tr("Your password"))
        Screen.row(grid, self.tr("Password"), self.preparer_password)
        s.body.addStretch(1)
        self.preparer_button = s.button(
            "signPreparerSignButton", self.tr("Sign the correction") if amending else self.tr("Sign as preparer")
        )
        self.preparer_password.returnPressed.connect(self.preparer_button.click)
        enter_moves_to(self.preparer_username, self.preparer_password)

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
        self.override_count = value_label("signOverrideCountLabel", self.tr("Which override this is"))
        s.body.addWidget(self.override_count)
        self.override_warning = warning_banner("signOverrideWarning", self.tr("The warning to approve"))
        s.body.addWidget(self.override_warning)
        grid = s.form(self.tr("Pharmacist's signature: Override approved"), "signOverrideGroup")
        self.override_reason = line_edit("signOverrideReasonEdit", self.tr("Reason for the override"), 560)
        self.override_reason.setMaxLength(500)
        Screen.row(
            grid,
            self.tr("Reason"),
            self.override_reason,
            hint=self.tr("In a few words, why this dose may go ahead, for example who confirmed what."),
        )
        self.override_username = line_edit("signOverrideUsernameEdit", self.tr("Pharmacist's username"))
        Screen.row(grid, self.tr("Pharmacist's username"), self.override_username)
        self.override_password = password_edit("signOverridePasswordEdit", self.tr("Pharmacist's password"))
        Screen.row(grid, self.tr("Password"), self.override_password)
        s.body.addStretch(1)
        self.override_button = s.button("signOverrideApproveButton", self.tr("Approve override"))
        self.override_password.returnPressed.connect(self.override_button.click)
        enter_moves_to(self.override_reason, self.override_username)
        enter_moves_to(self.override_username, self.override_password)

    def _build_verifier(self) -> None:
        s = self._add(
            Screen(
                VERIFIER,
                self.tr("Independent verification: pharmacist signs in"),
                self.tr(
                    "A pharmacist who did not make this correction verifies it. Enter your own username and "
                    "password. Next you work out the dose yourself (a blind check): the figures of the person "
                    "correcting are not shown."
                )
                if self.amending is not None
                else self.tr(
                    "A pharmacist who did not prepare this dose verifies it. Enter your own username and password. "
                    "Next you work out the dose yourself (a blind check): the preparer's figures are not shown."
                ),
            )
        )
        grid = s.form(self.tr("Verifying pharmacist"), "signVerifierGroup")
        self.verifier_username = line_edit("signVerifierUsernameEdit", self.tr("Verifier's username"))
        Screen.row(grid, self.tr("Username"), self.verifier_username)
        self.verifier_password = password_edit("signVerifierPasswordEdit", self.tr("Verifier's password"))
        Screen.row(grid, self.tr("Password"), self.verifier_password)
        s.body.addStretch(1)
        self.verifier_button = s.button("signVerifierContinueButton", self.tr("Continue to the blind check"))
        self.verifier_password.returnPressed.connect(self.verifier_button.click)
        enter_moves_to(self.verifier_username, self.verifier_password)
        s.first_focus = self.verifier_username

    def _build_blind(self) -> None:
        facts = product_facts()
        s = self._add(
            Screen(
                BLIND,
                self.tr("Blind check"),
                (
                    self.tr(
                        "Read the weight the dose is based on from the record named below (the weight is not shown "
                        "on this screen), and work out the vial count and the dose volume yourself from it ({per_kg} "
                        "mL per kg; vials = dose ÷ {per_vial} mL, rounded up). The figures of the person correcting "
                        "are not shown either; they are compared when you sign."
                    )
                    if self.amending is not None
                    else self.tr(
                        "Read the weight the dose is based on from the record named below (the weight is not shown on "
                        "this screen), and work out the vial count and the dose volume yourself from it ({per_kg} mL "
                        "per kg; vials = dose ÷ {per_vial} mL, rounded up). The preparer's figures are not shown "
                        "either; they are compared when you sign."
                    )
                ).format(
                    per_kg=format(facts.ml_per_kg.normalize(), "f"),
                    per_vial=format(facts.extractable_ml_per_vial.normalize(), "f"),
                ),
            )
        )
        self.blind_verifier = value_label("blindCheckVerifierLabel", self.tr("Who does the blind check"))
        s.body.addWidget(self.blind_verifier)
        grid = s.form(self.tr("Your own figures"), "blindCheckGroup")
        self.blind_weight = line_edit("blindCheckWeightEdit", self.tr("Weight the dose is based on"), NUMBER_WIDTH)
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
        self.blind_vials = line_edit("blindCheckVialsEdit", self.tr("Vials you computed"), NUMBER_WIDTH)
        self.blind_vials_message = MessageLabel("blindCheckVialsMessage", self.tr("Vials you computed"))
        Screen.row(grid, self.tr("Vials you computed"), self.blind_vials, self.blind_vials_message)
        self.blind_dose = line_edit("blindCheckDoseEdit", self.tr("Dose volume you computed, mL"), NUMBER_WIDTH)
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
        self.blind_dose.returnPressed.connect(self.blind_button.click)
        s.first_focus = self.blind_weight

    def _build_seal(self) -> None:
        s = self._add(Screen(SEAL, self.tr("Sealing the record"), ""))
        self.seal_label = value_label("sealProgressLabel", self.tr("What sealing does"))
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
        self.done_record = value_label("doneRecordLabel", self.tr("The sealed record"))
        s.body.addWidget(self.done_record)
        self.done_files = MessageLabel("doneFilesLabel", self.tr("Where the PDFs are saved"), "status")
        s.body.addWidget(self.done_files)
        self.done_actions_holder = QVBoxLayout()
        s.body.addLayout(self.done_actions_holder)
        s.body.addStretch(1)
        self.done_close_button = s.button("doneCloseButton", self.tr("Close"), self.tr("Close the record"))

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

    def _show_signatures(self, signatures: Sequence[Signature], blind: bool) -> None:
        if not signatures:
            self.signatures_label.setText(escape(self.tr("None yet.")))
            return
        self.signatures_label.setText("<br><br>".join(signature_html(s, blind=blind) for s in signatures))
        self.signatures_label.adjustSize()

    def _go(self, key: str, signatures: Sequence[Signature]) -> None:
        screen = self.screens[key]
        self._show_steps(key)
        # Nothing of the preparer's figures (an override's warning names the weight and the vial count) shows to
        # the verifier, from signing in until the blind entries match (issue 21).
        self._show_signatures(signatures, blind=key in (VERIFIER, BLIND))
        if self.stack.currentWidget() is not screen:
            screen.clear_messages()
            self.stack.setCurrentWidget(screen)
        if screen.first_focus is not None:
            screen.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown (opened in the main window's stack, or on its own): the cursor in the screen's first field, unless it
        is in the flow already (then it stays where the person left it)."""
        super().showEvent(event)
        screen, where = self.stack.currentWidget(), QApplication.focusWidget()
        if isinstance(screen, Screen) and screen.first_focus is not None and not self._holds(where):
            screen.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _holds(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self or self.isAncestorOf(widget))

    def current_key(self) -> str:
        widget = self.stack.currentWidget()
        return widget.key if isinstance(widget, Screen) else ""


__all__ = ["BLIND", "DONE", "OVERRIDE", "PREPARER", "SEAL", "VERIFIER", "Screen", "SigningScreens", "signature_html"]
