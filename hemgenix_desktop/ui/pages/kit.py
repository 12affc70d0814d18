"""Page 5, Kit: scan the carton's DataMatrix, then count the vials in it without being told the number.

The count is blind (issue 21): what it is compared with (the kit's vial count, and the NDC and GTIN, whose codes
carry it) stays hidden until the count is entered (Enter, or leaving the field); then the two are compared. A
count that differs is a stop that never names the kit's number; a count that matches shows it. A kit that does not
fit the dose is not counted, and its vial count is not shown beside the count either (the stop says why it does not
fit)."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from hemgenix_desktop.domain.carton import CartonScan, parse_carton
from hemgenix_desktop.domain.entry import parse_vial_count
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.scanfield import ScanField
from hemgenix_desktop.ui.widgets import MessageLabel, named

ScanOutcome = CartonScan | InvalidInput | ClinicalStop


class KitPage(PreparationPage):
    key = "kit"
    can_be_cleared = True

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Kit carton and vial count"),
            self.tr(
                "Scan the DataMatrix on the outer kit carton (not a vial). Without a scanner, type the text "
                "printed under the code, starting with (01), and press Enter."
            ),
        )
        self._outcome: ScanOutcome | None = None
        self._scanned_text: str | None = None
        self._synced: CartonScan | None = None
        self._entered_count: str | None = None  # the count text as last entered (Enter or leaving the field)

        scan = self.group(self.tr("Carton scan"), "kitScanGroup")
        self.scan_field = named(ScanField(), "kitScanField", self.tr("Carton DataMatrix scan"))
        self.scan_field.setPlaceholderText(self.tr("Scan the carton here"))
        self.first_focus = self.scan_field  # a scanner can scan as soon as the page opens
        self.read_button = named(QPushButton(self.tr("Read")), "kitReadButton", self.tr("Read the scan"))
        self.read_button.setAutoDefault(False)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.scan_field, 1)
        row_layout.addWidget(self.read_button, 0)
        self.scan_message = MessageLabel("kitScanMessage", self.tr("Message about the scan"))
        self.add_row(
            scan,
            self.tr("DataMatrix"),
            row,
            self.scan_message,
            hint=self.tr("‖ marks a group separator the scanner sent between two fields."),
        )

        details = self.group(self.tr("What the scan says"), "kitDetailsGroup")
        self.values: dict[str, QLabel] = {}
        for key, label, object_name in (
            ("ndc", self.tr("NDC"), "kitNdcValue"),
            ("vials", self.tr("Kit vials"), "kitVialsValue"),
            ("lot", self.tr("Lot"), "kitLotValue"),
            ("expiry", self.tr("Expiry"), "kitExpiryValue"),
            ("serial", self.tr("Serial"), "kitSerialValue"),
            ("gtin", self.tr("GTIN"), "kitGtinValue"),
        ):
            value = named(QLabel("—"), object_name, label)
            value.setProperty("role", "value")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.add_row(details, label, value)
            self.values[key] = value
        self.scan_result = MessageLabel("kitScanResultMessage", self.tr("Result of the kit check"), "ok")
        details.addWidget(self.scan_result, details.rowCount(), 1)

        count = self.group(self.tr("Blind vial count"), "kitCountGroup")
        self.count_edit = named(QLineEdit(), "kitVialCountEdit", self.tr("Number of vials you counted in the carton"))
        self.count_edit.setPlaceholderText(self.tr("Count the vials and type the number"))
        self.count_edit.setMaxLength(10)
        self.count_message = MessageLabel("kitVialCountMessage", self.tr("Message about the vial count"))
        self.add_row(
            count,
            self.tr("Vials counted"),
            self.count_edit,
            self.count_message,
            hint=self.tr("Open the carton and count the vials yourself; do not copy a number from the screen."),
        )
        self.body.addStretch(1)

        self.scan_field.scanned.connect(self.read_scan)
        self.scan_field.textChanged.connect(lambda _text: self.refresh())
        self.read_button.clicked.connect(self.scan_field.emit_scan)
        self.watch_text("count", self.count_edit)
        self.count_edit.editingFinished.connect(self._count_entered)

    # --- scanning ----------------------------------------------------------------------------------
    def read_scan(self, data: str) -> None:
        """Parse the scan and check the kit against this dose (called on Enter, in the same turn)."""
        outcome: ScanOutcome
        try:
            outcome = parse_carton(data, gs_standin=self.ctx.gs_standin)
        except (InvalidInput, ClinicalStop) as exc:
            outcome = exc
        self._outcome = outcome
        self._scanned_text = data
        self._entered_count = None  # a new scan: its count is compared once entered again
        self.refresh()
        self.settle()
        if self.count_edit.isEnabled() and self.scan_field.hasFocus():  # the right kit: count its vials next
            self.count_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.count_edit.selectAll()
        else:
            self.scan_field.selectAll()  # the next scan replaces this one

    def _scan(self) -> tuple[CartonScan | None, str, str]:
        """The scan the field now holds, the stop it meets, and what is wrong with it otherwise."""
        if self._outcome is None or self._scanned_text != self.scan_field.scan_data():
            return None, "", ""
        outcome = self._outcome
        if isinstance(outcome, InvalidInput):
            return None, "", outcome.message
        if isinstance(outcome, ClinicalStop):
            return None, outcome.message, ""
        try:
            self.prep.check_kit(outcome, self.ctx.today())
        except ClinicalStop as exc:  # a kit that does not fit: its vial count stays off the page beside the count
            self._show_details(outcome, reveal=False, hidden=self.tr("Not shown: this kit is not counted"))
            return None, exc.message, ""
        return outcome, "", ""

    def _count_entered(self) -> None:
        """The count was entered: compare it now, show the kit's count when it matches, record a stop."""
        self._entered_count = self.count_edit.text()
        self.refresh()
        self.settle()

    def count_was_entered(self) -> bool:
        """True when the count now typed was entered (so compared); the kit's count shows only then."""
        return self._entered_count is not None and self._entered_count == self.count_edit.text()

    def _show_details(self, scan: CartonScan | None, *, reveal: bool = True, hidden: str = "") -> None:
        """The scan's details; the vial count and the codes that carry it (NDC, GTIN) only with ``reveal``, else
        ``hidden`` in their place."""
        if scan is None:
            for value in self.values.values():
                value.setText("—")
            return
        if reveal:
            self.values["ndc"].setText(self.tr("{ndc10} (billing {ndc11})").format(ndc10=scan.ndc10, ndc11=scan.ndc11))
            self.values["vials"].setText(str(scan.kit_vials))
            self.values["gtin"].setText(scan.gtin)
        else:
            hidden = hidden or self.tr("Shown once your count matches")
            for key in ("ndc", "vials", "gtin"):
                self.values[key].setText(hidden)
        self.values["lot"].setText(scan.lot)
        self.values["expiry"].setText(scan.expiry.isoformat())
        self.values["serial"].setText(scan.serial)

    def _count(self, scan: CartonScan) -> tuple[int | None, str, str]:
        try:
            counted = parse_vial_count(self.count_edit.text())
        except InvalidInput as exc:
            return None, "", exc.message
        preview = copy.copy(self.prep)
        preview.carton = scan
        try:
            preview.check_vial_count(counted)
        except ClinicalStop as exc:
            return None, exc.message, ""
        return counted, "", ""

    def refresh(self) -> None:
        scan, stop, problem = self._scan()
        self.scan_message.show_message(problem)
        if scan is None and not stop:
            self._show_details(None)
        counted, count_stop, count_problem = (None, "", "") if scan is None else self._count(scan)
        if scan is not None:
            entered = self.count_was_entered()
            self._show_details(scan, reveal=entered and counted is not None)
            if not entered:
                count_stop = ""  # compared once entered (Enter, leaving the field, or Next)
                counted = None if count_problem else counted
        self.scan_result.show_message(
            self.tr("This is the kit for this dose, in date on the infusion date. Now count the vials.")
            if scan is not None
            else ""
        )
        self.count_edit.setEnabled(scan is not None)
        if scan is None:
            self.count_message.clear_message()
            if stop:
                self.set_state(False, stop=stop)
            elif problem:
                self.set_state(False, status=problem)
            else:
                self.set_state(False, status=self.tr("Scan the DataMatrix on the outer kit carton."))
            return
        self.count_message.show_message(count_problem if self.shows_message("count") else "")
        if not count_problem and not self.count_was_entered():
            self.set_state(True)  # a count typed, not yet entered: Next enters it and compares
            return
        self.set_state(counted is not None, stop=count_stop, status=count_problem)

    def set_state(self, complete: bool, stop: str = "", status: str = "") -> None:
        """One verdict per scan: a stop (the kit, the count, or one met at Next, such as a carton already used by
        another preparation) takes the place of the green "This is the kit for this dose" (issue 21)."""
        super().set_state(complete, stop=stop, status=status)
        if stop:
            self.scan_result.clear_message()

    # --- Preparation ↔ widgets -----------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        carton = self.prep.carton
        if carton is None:
            if self._synced is not None:  # cleared because the weight changed: scan and count again
                self.scan_field.clear()
                self.count_edit.clear()
                self._outcome = None
                self._scanned_text = None
                self._synced = None
            return
        if carton == self._synced:
            return
        self.scan_field.set_scan_text(carton.raw)
        self._outcome = carton
        self._scanned_text = self.scan_field.scan_data()
        self.count_edit.setText("" if self.prep.vials_counted is None else str(self.prep.vials_counted))
        self._entered_count = self.count_edit.text() if self.prep.vials_counted is not None else None
        self._synced = carton

    def commit(self) -> None:
        scan, stop, problem = self._scan()
        if scan is None:
            raise InvalidInput(problem or stop)
        counted = parse_vial_count(self.count_edit.text())
        self._entered_count = self.count_edit.text()  # Next enters the count: it is compared now
        self.prep.check_kit(scan, self.ctx.today())
        preview = copy.copy(self.prep)
        preview.carton = scan
        preview.check_vial_count(counted)
        self.prep.carton = scan
        self.prep.vials_counted = counted
        self._synced = scan
