"""Dose, vials and withdrawal plan for a weight; weight drift between prescription and today."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hemgenix_desktop.domain.errors import WeightDrift
from hemgenix_desktop.domain.kits import KitCatalogue, KitChoice, choose_kit, vials_for_ml
from hemgenix_desktop.domain.product import ProductFacts, product_facts
from hemgenix_desktop.domain.weight import Weight


@dataclass(frozen=True)
class WithdrawalPlan:
    full_vials: int
    last_vial_ml: Decimal  # 0 when the dose is a whole number of vials
    extractable_ml_per_vial: Decimal

    def describe(self) -> str:
        per = self.extractable_ml_per_vial
        full = f"{self.full_vials} full vial{'s' if self.full_vials != 1 else ''} × {per} mL"
        if self.last_vial_ml == 0:
            return full
        return f"{full}, then {self.last_vial_ml} mL from 1 more vial"


@dataclass(frozen=True)
class DoseCalculation:
    weight: Weight
    ml_per_kg: Decimal
    gc_per_kg: Decimal
    dose_ml: Decimal
    dose_gc: Decimal
    vials: int
    supplied_ml: Decimal
    surplus_ml: Decimal
    withdrawal: WithdrawalPlan
    kit_choice: KitChoice

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.kit_choice.warnings

    def formula(self) -> str:
        """The calculation with the numbers filled in, as shown on screen and printed on the record."""
        kg = self.weight.kg
        per = self.withdrawal.extractable_ml_per_vial
        return (
            f"Dose = {kg} kg × {self.ml_per_kg} mL/kg = {self.dose_ml} mL "
            f"({kg} kg × {format_gc(self.gc_per_kg)} gc/kg = {format_gc(self.dose_gc)} gc); "
            f"vials = {self.dose_ml} mL ÷ {per} mL, rounded up = {self.vials}"
        )


def format_gc(value: Decimal) -> str:
    """Genome copies in scientific notation a pharmacist reads: ``1.44×10^15``."""
    sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa_digits = "".join(str(d) for d in digits)
    power = len(digits) - 1 + exponent
    mantissa = mantissa_digits[0] + ("." + mantissa_digits[1:] if len(mantissa_digits) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}×10^{power}"


def calculate_dose(
    weight: Weight, facts: ProductFacts | None = None, catalogue: KitCatalogue | None = None
) -> DoseCalculation:
    """Dose for a weight. Raises :class:`NoKitForDose` when no kit holds it."""
    facts = facts or product_facts()
    dose_ml = weight.kg * facts.ml_per_kg
    dose_gc = weight.kg * facts.gc_per_kg
    vials = vials_for_ml(dose_ml, facts)
    kit_choice = choose_kit(vials, weight.kg, catalogue)
    per = facts.extractable_ml_per_vial
    supplied = kit_choice.kit.vials * per
    full = int(dose_ml // per)
    last = dose_ml - full * per
    return DoseCalculation(
        weight=weight,
        ml_per_kg=facts.ml_per_kg,
        gc_per_kg=facts.gc_per_kg,
        dose_ml=dose_ml,
        dose_gc=dose_gc,
        vials=vials,
        supplied_ml=supplied,
        surplus_ml=supplied - dose_ml,
        withdrawal=WithdrawalPlan(full, last, per),
        kit_choice=kit_choice,
    )


@dataclass(frozen=True)
class DriftNotice:
    prescription_kg: Decimal
    today_kg: Decimal
    change_kg: Decimal
    change_percent: Decimal
    message: str


def assess_weight_drift(prescription: DoseCalculation, today: DoseCalculation) -> DriftNotice | None:
    """Compare today's weight with the prescription weight the kit was ordered on.

    A different vial count is a clinical stop. A smaller change returns a notice; no change returns None.
    """
    before, now = prescription.weight.kg, today.weight.kg
    if before == now:
        return None
    change = now - before
    percent = (change / before * 100).quantize(Decimal("0.1"))
    signed = f"{'+' if change > 0 else ''}{change}"
    if prescription.vials != today.vials:
        raise WeightDrift(
            f"Today's weight {now} kg needs {today.vials} vials, but the kit was ordered on the prescription "
            f"weight {before} kg, which needs {prescription.vials}. Stop: ask the prescriber for a new order."
        )
    return DriftNotice(
        before,
        now,
        change,
        percent,
        f"Today's weight {now} kg differs from the prescription weight {before} kg by {signed} kg "
        f"({'+' if percent > 0 else ''}{percent}%). The vial count stays {today.vials}; the dose is calculated on "
        "today's weight.",
    )
