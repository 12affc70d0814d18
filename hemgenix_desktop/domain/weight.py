"""Body weight as a person types it: ``72``, ``72.5 kg``, ``160 lb``, ``160lbs``, ``160 pounds``.

A weight in lb is converted to kg exactly (the factor of ``product.toml``): the dose and the vials come from that
exact weight, never from a rounded one (issue 21: 110.3 lb is 50.03 kg, in the 11-vial band, where a weight
rounded to 0.1 kg, 50.0 kg, would have had 10). Only what is shown is rounded: the kg to 0.01 kg
(:data:`SHOWN_KG`), and the rule says so on screen and on the record (:data:`LB_RULE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.parsing import plain_decimal
from hemgenix_desktop.domain.product import ProductFacts, product_facts


class WeightUnit(StrEnum):
    KG = "kg"
    LB = "lb"


_UNIT_WORDS: dict[str, WeightUnit] = {
    "kg": WeightUnit.KG,
    "kgs": WeightUnit.KG,
    "kilo": WeightUnit.KG,
    "kilos": WeightUnit.KG,
    "kilogram": WeightUnit.KG,
    "kilograms": WeightUnit.KG,
    "lb": WeightUnit.LB,
    "lbs": WeightUnit.LB,
    "pound": WeightUnit.LB,
    "pounds": WeightUnit.LB,
}

_SPLIT = re.compile(r"^(?P<number>[^A-Za-z]*?)\s*(?P<unit>[A-Za-z]+)?$")
_MAX_DECIMALS = 2
_ABSURD = Decimal(100_000)
SHOWN_KG = Decimal("0.01")  # a converted weight is shown to 0.01 kg; the calculation uses it exactly


def shown_kg(kg: Decimal) -> Decimal:
    """``kg`` as it is shown and printed: unchanged when it has at most two decimals (every weight typed in kg),
    else rounded half-up to 0.01 kg (a weight converted from lb)."""
    exponent = kg.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= 2:
        return kg
    return kg.quantize(SHOWN_KG, rounding=ROUND_HALF_UP)


def _shown_outside(kg: Decimal, facts: ProductFacts) -> Decimal:
    """A converted weight outside the limits, shown so that it is seen to be outside: to 0.01 kg, or with as many
    more decimals as it takes ("44.09 lb = 20.00 kg is outside 20–400 kg" was shown for 19.9989 kg)."""
    places = SHOWN_KG
    while True:
        shown = kg.quantize(places, rounding=ROUND_HALF_UP)
        if shown == kg or not facts.min_weight_kg <= shown <= facts.max_weight_kg:
            return shown
        places = places / 10


def lb_rule(facts: ProductFacts | None = None) -> str:
    """The conversion rule for a weight in lb, shown beside it on screen and printed on the record."""
    facts = facts or product_facts()
    return (
        f"1 lb = {facts.lb_to_kg} kg. The dose and the vials are calculated from the exact converted weight; "
        "the kg is shown rounded to 0.01 kg."
    )


@dataclass(frozen=True)
class Weight:
    """A weight as entered and as used. ``kg`` is what every calculation uses."""

    entered: str
    value: Decimal
    unit: WeightUnit
    kg: Decimal

    @property
    def kg_shown(self) -> Decimal:
        """The kg as shown and printed (:func:`shown_kg`)."""
        return shown_kg(self.kg)

    def describe(self) -> str:
        """``72.5 kg`` or ``160 lb = 72.57 kg``: the entry and, when converted, the lb→kg step."""
        if self.unit is WeightUnit.KG:
            return f"{self.value} kg"
        return f"{self.value} lb = {self.kg_shown} kg"

    def other_unit(self) -> Weight | None:
        """The same number read in the other unit (``158.7 kg`` → ``158.7 lb``), for the question "Was the weight
        in lb?"; None when that reading is outside the weight limits."""
        other = WeightUnit.LB if self.unit is WeightUnit.KG else WeightUnit.KG
        try:
            return parse_weight(f"{self.value} {other.value}")
        except InvalidInput:
            return None


def _is_number(text: str) -> bool:
    """Written as a number (a minus sign allowed, so that it is refused as not more than zero)."""
    return plain_decimal(text.removeprefix("-")) is not None


def _sentence_example() -> str:
    """How a weight is typed, without a value: an example weight could be copied into a blind entry (issue 21)."""
    return "in digits with a decimal point if needed, then kg or lb"


def parse_weight(text: str, unit: WeightUnit | str | None = None, facts: ProductFacts | None = None) -> Weight:
    """Parse a typed weight. ``unit`` is the unit chosen by the caller when the text carries none.

    Raises :class:`InvalidInput` with a sentence that says what is wrong and what to do.
    """
    facts = facts or product_facts()
    chosen = WeightUnit(unit) if unit is not None else None
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter the weight, {_sentence_example()}.")
    if len(stripped) > 40:
        raise InvalidInput(f"That is too long to be a weight. Type a number and its unit, {_sentence_example()}.")
    match = _SPLIT.match(stripped)
    if match is None:
        raise InvalidInput(f"“{stripped}” is not a number. Type the weight {_sentence_example()}.")
    number_text = match.group("number").strip()
    unit_text = match.group("unit")
    if unit_text is not None:
        text_unit = _UNIT_WORDS.get(unit_text.lower())
        if text_unit is None:
            if not _is_number(number_text):
                raise InvalidInput(f"“{stripped}” is not a number. Type the weight {_sentence_example()}.")
            raise InvalidInput(f"“{unit_text}” is not a weight unit. Use kg or lb.")
        if chosen is not None and text_unit is not chosen:
            raise InvalidInput(
                f"The weight says {text_unit.value} but the unit chosen is {chosen.value}. "
                "Choose the unit the scale shows."
            )
        chosen = text_unit
    if not number_text:
        raise InvalidInput(f"Enter the weight as a number, {_sentence_example()}.")
    if "," in number_text:
        raise InvalidInput("The weight has a comma. Use a decimal point (a full stop) instead.")
    if number_text.count(".") > 1:
        raise InvalidInput("The weight has more than one decimal point. Type it with one decimal point only.")
    value = plain_decimal(number_text)
    if value is None and not _is_number(number_text):
        raise InvalidInput(f"“{number_text}” is not a number. Type the weight {_sentence_example()}.")
    if value is None or value <= 0:  # a negative number, or zero
        raise InvalidInput("The weight must be more than zero. Check the weight and type it again.")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_DECIMALS:
        raise InvalidInput("Give the weight with at most two decimal places, as the scale shows it.")
    if chosen is None:
        raise InvalidInput("Choose the unit of the weight: kg or lb.")
    if value >= _ABSURD:  # far outside any limit: say so before any arithmetic on it
        raise InvalidInput(
            f"{number_text} {chosen.value} is outside {facts.min_weight_kg}–{facts.max_weight_kg} kg. "
            "Check the weight and its unit."
        )
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    kg = value if chosen is WeightUnit.KG else value * facts.lb_to_kg  # exact: no rounding before dosing
    if kg < facts.min_weight_kg or kg > facts.max_weight_kg:
        shown = f"{value} kg" if chosen is WeightUnit.KG else f"{value} lb = {_shown_outside(kg, facts)} kg"
        raise InvalidInput(
            f"{shown} is outside {facts.min_weight_kg}–{facts.max_weight_kg} kg. Check the weight and its unit."
        )
    return Weight(entered=stripped, value=value, unit=chosen, kg=kg)
