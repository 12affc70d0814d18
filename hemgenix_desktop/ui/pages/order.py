"""Page 1, Order: the patient and the prescription, typed from the order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QWidget

from hemgenix_desktop.domain.dose import calculate_dose
from hemgenix_desktop.domain.entry import (
    change_order,
    check_date_of_birth,
    check_infusion_date,
    check_prescription_weight_date,
)
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput, SamePersonHasPreparation
from hemgenix_desktop.domain.parsing import parse_date, require_text
from hemgenix_desktop.domain.patient import Patient
from hemgenix_desktop.domain.preparation import Order
from hemgenix_desktop.domain.weight import Weight, WeightUnit, parse_weight
from hemgenix_desktop.practice import demo_order
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.person_check import DifferentPersonPanel
from hemgenix_desktop.ui.widgets import ChoiceGroup, DateField, MessageLabel, named


@dataclass
class _Field:
    name: str
    edit: QLineEdit
    message: MessageLabel


class OrderPage(PreparationPage):
    key = "order"

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Order"),
            self.tr(
                "PRACTICE: the demo patient's order is filled in for you, so that you can rehearse the later pages. "
                "With a real patient nothing is filled in: you type the order exactly as it appears. Dates are "
                "YYYY-MM-DD."
            )
            if ctx.practice
            else self.tr(
                "Type the patient and the prescription exactly as they appear on the order. Dates are "
                "YYYY-MM-DD. Nothing is filled in for you."
            ),
        )
        self._fields: dict[str, _Field] = {}
        self._synced: Order | None = None
        self._prefilled = False

        patient = self.group(self.tr("Patient"), "orderPatientGroup")
        self._text("name", patient, "orderPatientName", self.tr("Full name"))
        self.first_focus = self._fields["name"].edit
        self._text("dob", patient, "orderDateOfBirth", self.tr("Date of birth"), date_field=True)
        self._text("mrn", patient, "orderMrn", self.tr("Medical record number (MRN)"))
        self._text(
            "psi",
            patient,
            "orderPatientId",
            self.tr("Patient-specific identifier"),
            hint=self.tr("The identifier on the order that the outer carton must also carry."),
        )

        order = self.group(self.tr("Prescription"), "orderPrescriptionGroup")
        self._text("number", order, "orderNumber", self.tr("Order number"))
        self._text("prescriber", order, "orderPrescriber", self.tr("Prescriber"))
        self._text("authorization", order, "orderAuthorization", self.tr("Prior-authorization number"))

        self.weight_edit = named(QLineEdit(), "orderWeightEdit", self.tr("Prescription weight"))
        self.weight_edit.setPlaceholderText(self.tr("The weight written on the order"))
        self.weight_unit = ChoiceGroup(
            "orderWeightUnit",
            self.tr("Unit of the prescription weight"),
            [("kg", self.tr("kg"), "orderWeightUnitKg"), ("lb", self.tr("lb"), "orderWeightUnitLb")],
        )
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.weight_edit, 1)
        row_layout.addWidget(self.weight_unit, 1)
        weight_message = MessageLabel("orderWeightMessage", self.tr("Message about the prescription weight"))
        self.add_row(order, self.tr("Prescription weight"), row, weight_message)
        self._fields["weight"] = _Field("weight", self.weight_edit, weight_message)
        self.watch_text("weight", self.weight_edit)
        self.weight_unit.changed.connect(self.refresh)

        self._text("weight_date", order, "orderWeightDate", self.tr("Date of the prescription weight"), date_field=True)
        self._text("infusion_date", order, "orderInfusionDate", self.tr("Infusion date"), date_field=True)
        self.person_panel = DifferentPersonPanel(ctx.different_person)
        self.person_panel.approved.connect(self._different_person_approved)
        self.body.addWidget(self.person_panel)
        self.body.addStretch(1)

    def _text(
        self, name: str, grid: QGridLayout, base: str, label: str, *, date_field: bool = False, hint: str = ""
    ) -> None:
        edit: QLineEdit = DateField() if date_field else QLineEdit()
        named(edit, f"{base}Edit", label)
        message = MessageLabel(f"{base}Message", self.tr("Message about: {field}").format(field=label))
        self.add_row(grid, label, edit, message, hint)
        self._fields[name] = _Field(name, edit, message)
        self.watch_text(name, edit)

    def text(self, name: str) -> str:
        return self._fields[name].edit.text()

    # --- reading -----------------------------------------------------------------------------------
    def _read(self) -> tuple[dict[str, str], Order | None, ClinicalStop | None]:
        """Each field's problem sentence, the Order when every field is right, and a clinical stop."""
        today = self.ctx.today()
        problems: dict[str, str] = {}
        values: dict[str, object] = {}

        def check(name: str, reader: Callable[[], object]) -> None:
            try:
                values[name] = reader()
            except InvalidInput as exc:
                problems[name] = exc.message

        def dob() -> date:
            born = parse_date(self.text("dob"), self.tr("date of birth"), example="1980-05-31")
            check_date_of_birth(born, today)
            return born

        def weight_date() -> date:
            weighed = parse_date(self.text("weight_date"), self.tr("date of the prescription weight"))
            check_prescription_weight_date(weighed, today)
            return weighed

        def infusion() -> date:
            day = parse_date(self.text("infusion_date"), self.tr("infusion date"))
            check_infusion_date(day, today)
            return day

        check("name", lambda: require_text(self.text("name"), self.tr("patient's full name")))
        check("dob", dob)
        check("mrn", lambda: require_text(self.text("mrn"), self.tr("medical record number (MRN)")))
        check("psi", lambda: require_text(self.text("psi"), self.tr("patient-specific identifier from the order")))
        check("number", lambda: require_text(self.text("number"), self.tr("order number")))
        check("prescriber", lambda: require_text(self.text("prescriber"), self.tr("prescriber's name")))
        check("authorization", lambda: require_text(self.text("authorization"), self.tr("prior-authorization number")))
        check("weight", lambda: parse_weight(self.text("weight"), self.weight_unit.value()))
        check("weight_date", weight_date)
        check("infusion_date", infusion)

        stop: ClinicalStop | None = None
        weight = values.get("weight")
        if isinstance(weight, Weight):
            try:
                calculate_dose(weight)
            except ClinicalStop as exc:
                stop = exc
        if problems:
            return problems, None, stop
        prescription_weight = values["weight"]
        assert isinstance(prescription_weight, Weight)
        order = Order(
            patient=Patient(str(values["name"]), _as_date(values["dob"]), str(values["mrn"]), str(values["psi"])),
            order_number=str(values["number"]),
            prescriber=str(values["prescriber"]),
            authorization_number=str(values["authorization"]),
            prescription_weight=prescription_weight,
            prescription_weight_date=_as_date(values["weight_date"]),
            infusion_date=_as_date(values["infusion_date"]),
        )
        return problems, order, stop

    def stopped(self, stop: ClinicalStop) -> None:
        if isinstance(stop, SamePersonHasPreparation):
            self.person_panel.ask(stop)
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.person_panel))

    def _different_person_approved(self) -> None:
        self.refresh()
        self.status.show_message(
            self.tr("A pharmacist recorded that the earlier patient is a different person. Press Next to continue.")
        )

    def refresh(self) -> None:
        problems, order, stop = self._read()
        for name, f in self._fields.items():
            f.message.show_message(problems.get(name, "") if self.shows_message(name) else "")
        first = next((problems[f] for f in self._fields if f in problems), "")
        self.set_state(order is not None, stop=stop.message if stop else "", status=first)

    # --- Preparation ↔ widgets -----------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        order = self.prep.order
        if order is None:
            if self.ctx.practice and not self._prefilled:
                self._prefill_practice()
            return
        if order == self._synced:
            return
        p = order.patient
        values = {
            "name": p.full_name,
            "dob": p.date_of_birth.isoformat(),
            "mrn": p.mrn,
            "psi": p.patient_specific_id,
            "number": order.order_number,
            "prescriber": order.prescriber,
            "authorization": order.authorization_number,
            "weight": order.prescription_weight.entered,
            "weight_date": order.prescription_weight_date.isoformat(),
            "infusion_date": order.infusion_date.isoformat(),
        }
        for name, value in values.items():
            self._fields[name].edit.setText(value)
        self.weight_unit.set_value(order.prescription_weight.unit.value)
        self._synced = order

    def _prefill_practice(self) -> None:
        """Practice mode only: the demo order (never an eligibility answer, never a check)."""
        demo = demo_order(self.ctx.today())
        values = {
            "name": demo.full_name,
            "dob": demo.date_of_birth.isoformat(),
            "mrn": demo.mrn,
            "psi": demo.patient_specific_id,
            "number": demo.order_number,
            "prescriber": demo.prescriber,
            "authorization": demo.authorization_number,
            "weight": demo.prescription_weight,
            "weight_date": demo.prescription_weight_date.isoformat(),
            "infusion_date": demo.infusion_date.isoformat(),
        }
        for name, value in values.items():
            self._fields[name].edit.setText(value)
        self.weight_unit.set_value(WeightUnit(demo.prescription_weight_unit).value)
        self._prefilled = True

    def commit(self) -> None:
        problems, order, stop = self._read()
        if stop is not None:
            raise stop
        if order is None:
            raise InvalidInput(next(iter(problems.values())))
        cleared = change_order(self.prep, order)
        if cleared:
            self.ctx.cleared["identity"] = cleared
        self._synced = order


def _as_date(value: object) -> date:
    assert isinstance(value, date)
    return value
