"""Dose, vials and withdrawal plan for a weight; weight drift between prescription and today.

A weight typed in kg has at most two decimals, so its dose (mL per kg of ``product.toml``) is exact to 0.01 mL. A weight typed in lb is
converted exactly (``domain/weight.py``); its dose volume is rounded **up** to 0.01 mL (:data:`DOSE_ML_STEP`), so
that it is never less than the exact dose and needs the same vials, and the formula says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

from hemgenix_desktop.domain.errors import WeightDrift
from hemgenix_desktop.domain.kits import (
    OVERRIDE_AT_SIGNING,
    Kit,
    KitCatalogue,
    KitChoice,
    choose_kit,
    kit_catalogue,
    vials_for_ml,
)
from hemgenix_desktop.domain.product import ProductFacts, product_facts
from hemgenix_desktop.domain.weight import Weight, WeightUnit, shown_kg

DOSE_ML_STEP = Decimal("0.01")  # the dose volume of a weight in lb is rounded up to this, and printed to it
BAND_EDGE_KG = Decimal("0.1")  # a weight this close to where the vial count changes gets a notice naming both kits
DRIFT_NOTICE_PERCENT = Decimal(5)  # default of the site's setting `drift_notice_pct` (setting_table.py)
UNIT_SLIP_PERCENT = Decimal(10)  # a number read in the other unit this close to the other weight: "Was it in lb?"


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
    lb_to_kg: Decimal = Decimal(0)
    exact_ml: Decimal = Decimal(0)  # before rounding up to 0.01 mL (a weight in lb); the blind check compares with it
    notices: tuple[str, ...] = ()  # a weight near a band edge: both kits named (not an override)

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.kit_choice.warnings

    def formula(self) -> str:
        """The calculation with the numbers filled in, as shown on screen and printed on the record."""
        per = self.withdrawal.extractable_ml_per_vial
        vials = f"vials = {self.dose_ml} mL ÷ {per} mL, rounded up = {self.vials}"
        if self.weight.unit is WeightUnit.LB:
            gc_per_ml = self.gc_per_kg / self.ml_per_kg
            cut = self.exact_ml.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
            exact = f"{cut}…" if cut != self.exact_ml else str(self.exact_ml)
            return (
                f"Dose = {self.weight.value} lb × {self.lb_to_kg} kg/lb × {self.ml_per_kg} mL/kg "
                f"= {exact} mL, rounded up to {DOSE_ML_STEP} mL: {self.dose_ml} mL ({self.weight.describe()}; "
                f"{self.dose_ml} mL × {format_gc(gc_per_ml)} gc/mL = {format_gc(self.dose_gc)} gc); {vials}"
            )
        kg = self.weight.kg
        return (
            f"Dose = {kg} kg × {self.ml_per_kg} mL/kg = {self.dose_ml} mL "
            f"({kg} kg × {format_gc(self.gc_per_kg)} gc/kg = {format_gc(self.dose_gc)} gc); {vials}"
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
    exact_ml = weight.kg * facts.ml_per_kg
    dose_ml = exact_ml if weight.unit is WeightUnit.KG else exact_ml.quantize(DOSE_ML_STEP, rounding=ROUND_CEILING)
    dose_gc = dose_ml * facts.gc_per_ml
    vials = vials_for_ml(exact_ml, facts)  # from the exact dose (rounding up to 0.01 mL never changes it)
    # The kg its sentences name: as shown, unless rounding it to 0.01 kg would hide why the vials are what they are.
    named_kg = weight.kg_shown if vials_for_ml(weight.kg_shown * facts.ml_per_kg, facts) == vials else weight.kg
    kit_choice = choose_kit(vials, named_kg, catalogue)
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
        lb_to_kg=facts.lb_to_kg,
        exact_ml=exact_ml,
        notices=band_edge_notices(weight, vials, facts, catalogue),
    )


def _band(kit: Kit) -> str:
    return f"the {kit.vials}-vial kit ({kit.weight_low_kg}–{kit.weight_high_kg} kg, NDC {kit.ndc11})"


def band_edge_notices(
    weight: Weight, vials: int, facts: ProductFacts | None = None, catalogue: KitCatalogue | None = None
) -> tuple[str, ...]:
    """A notice when the weight is within :data:`BAND_EDGE_KG` of a weight where the vial count changes, naming
    the kits on both sides (issue 21): a slightly different reading of the scale would need the other kit."""
    facts = facts or product_facts()
    catalogue = catalogue or kit_catalogue()
    for lower in catalogue:
        upper = catalogue.by_vials(lower.vials + 1)
        edge = Decimal(lower.weight_high_kg)
        if upper is None or abs(weight.kg - edge) > BAND_EDGE_KG:
            continue
        needed = upper if vials > lower.vials else lower
        return (
            f"The weight {weight.describe()} is within {BAND_EDGE_KG} kg of {edge} kg, where the vial count "
            f"changes: up to {edge} kg needs {_band(lower)}; over {edge} kg needs {_band(upper)}. This weight needs "
            f"the {needed.vials}-vial kit. Check the weight and its unit before choosing the kit.",
        )
    return ()


@dataclass(frozen=True)
class DriftNotice:
    prescription_kg: Decimal
    today_kg: Decimal
    change_kg: Decimal
    change_percent: Decimal
    message: str
    needs_override: bool = False  # more than the site's percentage: a pharmacist's override at signing


def _near(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= b * UNIT_SLIP_PERCENT / 100


def unit_slip_question(prescription: Weight, today: Weight) -> str:
    """ "Was the weight in lb?" when one of the two weights, read in the other unit, is close to the other (a weight
    about 2.2 times, or 1/2.2 of, the order's); empty otherwise."""
    other = today.other_unit()
    if other is not None and _near(other.kg, prescription.kg):
        return (
            f"Today's weight {today.describe()} is about {_ratio(today.kg, prescription.kg)} the prescription "
            f"weight {prescription.describe()}. Was today's weight in {other.unit.value} ({other.describe()})? "
            f"If so, choose {other.unit.value} and type it again. "
        )
    other = prescription.other_unit()
    if other is not None and _near(other.kg, today.kg):
        return (
            f"The prescription weight {prescription.describe()} is about {_ratio(prescription.kg, today.kg)} "
            f"today's weight {today.describe()}. Was the prescription weight in {other.unit.value} "
            f"({other.describe()})? If so, the order must be corrected. "
        )
    return ""


def _ratio(a: Decimal, b: Decimal) -> str:
    """``2.2 times`` or ``1/2.2 of``: how ``a`` compares with ``b``, to one decimal."""
    ratio = a / b
    tenth = Decimal("0.1")
    if ratio >= 1:
        return f"{ratio.quantize(tenth, rounding=ROUND_HALF_UP)} times"
    return f"1/{(1 / ratio).quantize(tenth, rounding=ROUND_HALF_UP)} of"


def assess_weight_drift(
    prescription: DoseCalculation, today: DoseCalculation, notice_percent: Decimal = DRIFT_NOTICE_PERCENT
) -> DriftNotice | None:
    """Compare today's weight with the prescription weight the kit was ordered on.

    A different vial count is a clinical stop (first asking "Was the weight in lb?" when the number read in the
    other unit fits). The same vial count: a notice; a change of more than ``notice_percent`` (the site's setting)
    needs a pharmacist's override at signing, and the notice says so at once. No change returns None.
    """
    before, now = prescription.weight.kg, today.weight.kg
    if before == now:
        return None
    change = now - before
    percent = (change / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    shown_change = shown_kg(change)
    signed = f"{'+' if change > 0 else ''}{shown_change}"
    now_text, before_text = f"{shown_kg(now)} kg", f"{shown_kg(before)} kg"
    if prescription.vials != today.vials:
        raise WeightDrift(
            unit_slip_question(prescription.weight, today.weight)
            + f"Today's weight {now_text} needs {today.vials} vials, but the kit was ordered on the prescription "
            f"weight {before_text}, which needs {prescription.vials}. Stop: ask the prescriber for a new order."
        )
    needs_override = abs(change) * 100 > before * notice_percent
    limit = f"more than the site's {notice_percent}%" if needs_override else f"within the site's {notice_percent}%"
    message = (
        f"Today's weight {now_text} differs from the prescription weight {before_text} by {signed} kg "
        f"({'+' if percent > 0 else ''}{percent}%, {limit}). The vial count stays {today.vials}; the dose is "
        "calculated on today's weight."
    )
    if needs_override:
        message += " " + OVERRIDE_AT_SIGNING
    return DriftNotice(before, now, change, percent, message, needs_override)
