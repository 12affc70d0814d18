"""Page 4, Weight and dose: today's weight with its unit, when and how it was measured, and the dose.

The page shows the calculation with the numbers filled in. What today's weight means is worked out on a
scratch copy of the Preparation (``set_weight_today`` and ``drift()``), so the real Preparation changes only
when the operator presses Next; then a changed weight clears the kit check and the drawn and final volumes, and the
pages concerned say so.
"""

from __future__ import annotations

import copy
from datetime import datetime
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from hemgenix_desktop.domain.dose import DoseCalculation, DriftNotice, format_gc
from hemgenix_desktop.domain.entry import WEIGHT_METHODS, check_measured_again, check_weight_method
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.domain.parsing import parse_measured_at
from hemgenix_desktop.domain.preparation import EventKind, Preparation
from hemgenix_desktop.domain.weight import Weight, WeightUnit, lb_rule, parse_weight
from hemgenix_desktop.ui.formatting import local_minute
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.widgets import ChoiceGroup, MessageLabel, named, notice_banner, warning_banner


class _Reading:
    """What the page's widgets say, worked out by the domain."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}
        self.weight: Weight | None = None
        self.measured_at: datetime | None = None
        self.method = ""
        self.dose: DoseCalculation | None = None
        self.drift: DriftNotice | None = None
        self.stop: ClinicalStop | None = None
        self.clears: list[str] = []


class WeightPage(PreparationPage):
    key = "weight"

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Weight and dose"),
            self.tr(
                "Weigh the patient today. Type the weight exactly as the scale shows it and choose its unit; "
                "say when and on which scale it was measured."
            ),
        )
        self._synced: tuple[Weight | None, datetime | None, str] | None = None
        self._ack_for: Weight | None = None

        self.prescription = named(QLabel(), "weightPrescriptionLabel", self.tr("Prescription weight"))
        self.prescription.setWordWrap(True)
        self.body.insertWidget(self.body.count(), self.prescription)

        grid = self.group(self.tr("Today's weight"), "weightTodayGroup")
        self.weight_edit = named(QLineEdit(), "weightEdit", self.tr("Today's weight"))
        self.weight_edit.setPlaceholderText(self.tr("As the scale shows it"))  # the full sentence: the hint below
        self.first_focus = self.weight_edit
        self.unit = ChoiceGroup(
            "weightUnit",
            self.tr("Unit of today's weight"),
            [("kg", self.tr("kg"), "weightUnitKg"), ("lb", self.tr("lb"), "weightUnitLb")],
        )
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.weight_edit, 1)
        row_layout.addWidget(self.unit, 1)
        self.weight_message = MessageLabel("weightMessage", self.tr("Message about today's weight"))
        self.add_row(
            grid, self.tr("Weight"), row, self.weight_message, hint=self.tr("The weight read from the scale today.")
        )
        self.conversion = named(QLabel(), "weightConversionLabel", self.tr("The weight in lb converted to kg"))
        self.conversion.setWordWrap(True)
        self.conversion.setVisible(False)
        grid.addWidget(self.conversion, grid.rowCount(), 1, 1, 2)

        self.measured_edit = named(
            QLineEdit(), "weightMeasuredAtEdit", self.tr("When the weight was measured, YYYY-MM-DD HH:MM")
        )
        self.measured_edit.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM"))
        self.now_button = named(QPushButton(self.tr("Now")), "weightMeasuredNowButton", self.tr("Use the time now"))
        self.now_button.setAutoDefault(False)
        measured_row = QWidget()
        measured_layout = QHBoxLayout(measured_row)
        measured_layout.setContentsMargins(0, 0, 0, 0)
        measured_layout.addWidget(self.measured_edit, 1)
        measured_layout.addWidget(self.now_button, 0)
        self.measured_message = MessageLabel("weightMeasuredAtMessage", self.tr("Message about when it was measured"))
        self.add_row(grid, self.tr("Measured at"), measured_row, self.measured_message)

        self.method = named(QComboBox(), "weightMethodCombo", self.tr("How the weight was measured"))
        self.method.setPlaceholderText(self.tr("Choose the scale used"))
        for method in WEIGHT_METHODS:
            self.method.addItem(QCoreApplication.translate("WeightMethod", method), method)
        self.method.setCurrentIndex(-1)
        self.method_message = MessageLabel("weightMethodMessage", self.tr("Message about how it was measured"))
        self.add_row(grid, self.tr("Measured on"), self.method, self.method_message)

        dose = self.group(self.tr("Dose for today's weight"), "weightDoseGroup")
        self.formula = named(QLabel(), "weightFormulaLabel", self.tr("The dose calculation with its numbers"))
        self.formula.setProperty("role", "formula")
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dose.addWidget(self.formula, 0, 0, 1, 3)
        self.details = named(QLabel(), "weightDoseLabel", self.tr("Dose, vials, kit and withdrawal plan"))
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        dose.addWidget(self.details, 1, 0, 1, 3)

        self.band_edge = notice_banner("weightBandEdge", self.tr("Weight near the edge between two kits"))
        self.body.addWidget(self.band_edge)
        self.drift_notice = notice_banner("weightDrift", self.tr("Change from the prescription weight"))
        self.body.addWidget(self.drift_notice)
        self.drift_warning = warning_banner(
            "weightDriftOverride", self.tr("Change from the prescription weight that needs an override")
        )
        self.body.addWidget(self.drift_warning)
        self.below_table = warning_banner("weightBelowTable", self.tr("Weight below the policy's kit table"))
        self.body.addWidget(self.below_table)
        # Words the person at the keyboard, technician or pharmacist, can truthfully confirm: the pharmacist's
        # decision is the override signed at signing by a pharmacist other than the preparer (issue 21).
        self.ack = named(
            QCheckBox(
                self.tr(
                    "I have read the warning above. A pharmacist other than the preparer approves it, with a "
                    "reason, at signing."
                )
            ),
            "weightBelowTableAck",
            self.tr("Acknowledge the below-table warning"),
        )
        self.ack.setVisible(False)
        self.body.addWidget(self.ack)
        self.change_notice = notice_banner("weightChange", self.tr("What a new weight clears"))
        self.body.addWidget(self.change_notice)
        self.body.addStretch(1)

        self.watch_text("weight", self.weight_edit)
        self.unit.changed.connect(self._unit_changed)
        self.watch_text("measured", self.measured_edit)
        self.watch_choice("method", self.method, "currentIndexChanged")
        self.ack.toggled.connect(lambda _checked: self.refresh())
        self.now_button.clicked.connect(self._fill_now)

    # --- reading -----------------------------------------------------------------------------------
    def _unit_changed(self) -> None:
        self.refresh()  # a unit chosen is not yet acted on: the stop is recorded on Next, Enter or leaving

    def _fill_now(self) -> None:
        self.measured_edit.setText(local_minute(self.ctx.now(), self.ctx.tz))
        self.touch("measured")
        self.refresh()

    def _read(self) -> _Reading:
        r = _Reading()
        try:
            r.weight = parse_weight(self.weight_edit.text(), self.unit.value())
        except InvalidInput as exc:
            r.problems["weight"] = exc.message
        try:
            r.measured_at = parse_measured_at(self.measured_edit.text(), self.ctx.now(), self.ctx.tz)
        except InvalidInput as exc:
            r.problems["measured"] = exc.message
        if r.weight is not None and r.measured_at is not None:
            try:
                check_measured_again(self.prep, r.weight, r.measured_at)
            except InvalidInput as exc:
                r.problems["measured"] = exc.message
        try:
            r.method = check_weight_method(self.method.currentData())
        except InvalidInput as exc:
            r.problems["method"] = exc.message
        if r.weight is not None:
            preview: Preparation = copy.deepcopy(self.prep)
            preview.events = []
            r.clears = preview.set_weight_today(r.weight)
            try:
                r.dose = preview.dose
                r.drift = preview.drift()
            except ClinicalStop as exc:
                r.stop = exc
        return r

    def refresh(self) -> None:
        order = self.prep.order
        if order is not None:
            self.prescription.setText(
                self.tr("Prescription weight: {weight}, weighed on {date}. The kit was ordered on this weight.").format(
                    weight=order.prescription_weight.describe(), date=order.prescription_weight_date.isoformat()
                )
            )
        r = self._read()
        self.weight_message.show_message(r.problems.get("weight", "") if self.shows_message("weight") else "")
        self.measured_message.show_message(r.problems.get("measured", "") if self.shows_message("measured") else "")
        self.method_message.show_message(r.problems.get("method", "") if self.shows_message("method") else "")
        self._show_dose(r.dose)
        self._show_conversion(r.weight)
        stop = r.stop.message if r.stop is not None else ""
        drift = r.drift if not stop else None
        self.drift_notice.show_text(drift.message if drift is not None and not drift.needs_override else "")
        self.drift_warning.show_text(drift.message if drift is not None and drift.needs_override else "")
        self.band_edge.show_text(" ".join(r.dose.notices) if r.dose is not None and not stop else "")
        warnings = r.dose.warnings if r.dose is not None and not stop else ()
        self.below_table.show_text(" ".join(warnings))
        if self._ack_for is not None and (r.weight is None or r.weight.kg != self._ack_for.kg):
            self.ack.setChecked(False)  # an acknowledgement belongs to one weight
            self._ack_for = None
        if self.ack.isChecked() and r.weight is not None:
            self._ack_for = r.weight
        self.ack.setVisible(bool(warnings))
        clears = r.clears if not stop else []
        self.change_notice.show_text(
            self.tr("When you press Next with this weight: {sentences}").format(sentences=" ".join(clears))
            if clears
            else ""
        )
        status = next(iter(r.problems.values()), "")
        if not status and warnings and not self.ack.isChecked():
            status = self.tr("Acknowledge the below-table warning to continue.")
        complete = not r.problems and not stop and (not warnings or self.ack.isChecked())
        self.set_state(complete, stop=stop, status=status)

    def _show_conversion(self, weight: Weight | None) -> None:
        """The lb→kg step, as the command line shows it, with the rule (the dose uses the exact weight)."""
        if weight is None or weight.unit is not WeightUnit.LB:
            self.conversion.setVisible(False)
            self.conversion.setText("")
            return
        self.conversion.setText(self.tr("{step}. {rule}").format(step=weight.describe(), rule=lb_rule()))
        self.conversion.setVisible(True)

    def _show_dose(self, dose: DoseCalculation | None) -> None:
        if dose is None:
            self.formula.setText(self.tr("The dose is calculated when today's weight is entered."))
            self.details.setText("")
            return
        kit = dose.kit_choice.kit
        rows = [
            (self.tr("Dose volume"), self.tr("{ml} mL").format(ml=dose.dose_ml)),
            (self.tr("Genome copies"), self.tr("{gc} gc").format(gc=format_gc(dose.dose_gc))),
            (self.tr("Vials needed"), str(dose.vials)),
            (self.tr("Withdrawal plan"), dose.withdrawal.describe()),
            (
                self.tr("Kit"),
                self.tr("{vials} vials, NDC {ndc} (for {low}–{high} kg)").format(
                    vials=kit.vials, ndc=kit.ndc11, low=kit.weight_low_kg, high=kit.weight_high_kg
                ),
            ),
            (
                self.tr("Supplied"),
                self.tr("{supplied} mL; surplus {surplus} mL is discarded").format(
                    supplied=dose.supplied_ml, surplus=dose.surplus_ml
                ),
            ),
        ]
        self.formula.setText(dose.formula())
        self.details.setText(
            "<table cellpadding='3'>"
            + "".join(f"<tr><td>{escape(k)}:</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows)
            + "</table>"
        )

    # --- Preparation ↔ widgets -----------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        prep = self.prep
        state = (prep.weight_today, prep.weight_measured_at, prep.weight_method)
        if prep.weight_today is None or state == self._synced:
            return
        weight = prep.weight_today
        self.weight_edit.setText(weight.entered)
        self.unit.set_value(weight.unit.value)
        if prep.weight_measured_at is not None:
            self.measured_edit.setText(local_minute(prep.weight_measured_at, self.ctx.tz))
        index = self.method.findData(prep.weight_method)
        self.method.setCurrentIndex(index)
        self.ack.setChecked(prep.below_table_acknowledged)
        self._ack_for = weight if prep.below_table_acknowledged else None
        self._synced = state

    def commit(self) -> None:
        r = self._read()
        if r.stop is not None:
            raise r.stop
        if r.problems or r.weight is None or r.measured_at is None:
            raise InvalidInput(next(iter(r.problems.values()), ""))
        prep = self.prep
        had_kit = prep.carton is not None or prep.vials_counted is not None
        had_volume = any(prep.checks.get(item) is not None for item in ("volume_drawn_ml", "final_volume_ml"))
        cleared = prep.set_weight_today(r.weight)
        drift = prep.drift()  # raises WeightDrift: the page cannot get here with one, but the domain decides
        dose = prep.dose
        assert dose is not None
        prep.weight_measured_at = r.measured_at
        prep.weight_method = r.method
        if dose.warnings:
            prep.below_table_acknowledged = True
            for warning in dose.warnings:
                self.record_once(EventKind.WARNING, warning)
                self.record_once(
                    EventKind.ACKNOWLEDGED,
                    self.tr("The below-table warning for {weight} was acknowledged.").format(
                        weight=r.weight.describe()
                    ),
                )
        if drift is not None:
            self.record_once(EventKind.WARNING if drift.needs_override else EventKind.NOTICE, drift.message)
        for notice in dose.notices:
            self.record_once(EventKind.NOTICE, notice)
        if cleared and had_kit:
            self.ctx.cleared["kit"] = cleared
        if cleared and had_volume:
            self.ctx.cleared["preparation"] = cleared
        self._synced = (prep.weight_today, prep.weight_measured_at, prep.weight_method)
        self._ack_for = r.weight if dose.warnings else None
