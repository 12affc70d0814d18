from decimal import Decimal

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.weight import WeightUnit, parse_weight


@pytest.mark.parametrize(
    ("text", "unit", "value", "expected_unit", "kg"),
    [
        ("72", "kg", "72", WeightUnit.KG, "72"),
        ("72.5", "kg", "72.5", WeightUnit.KG, "72.5"),
        ("72.5 kg", None, "72.5", WeightUnit.KG, "72.5"),
        ("72.5kg", None, "72.5", WeightUnit.KG, "72.5"),
        ("  72.5 KG ", None, "72.5", WeightUnit.KG, "72.5"),
        ("160 lb", None, "160", WeightUnit.LB, "72.6"),
        ("160lbs", None, "160", WeightUnit.LB, "72.6"),
        ("160 pounds", None, "160", WeightUnit.LB, "72.6"),
        ("160", "lb", "160", WeightUnit.LB, "72.6"),
        ("100 lb", None, "100", WeightUnit.LB, "45.4"),  # 45.359237 rounds half-up to 45.4
        ("72.0", "kg", "72", WeightUnit.KG, "72"),
        ("72.", "kg", "72", WeightUnit.KG, "72"),
        ("20", "kg", "20", WeightUnit.KG, "20"),
        ("400", "kg", "400", WeightUnit.KG, "400"),
    ],
)
def test_accepts_what_people_type(text: str, unit: str | None, value: str, expected_unit: WeightUnit, kg: str) -> None:
    weight = parse_weight(text, unit)
    assert weight.entered == text.strip()
    assert weight.value == Decimal(value)
    assert weight.unit is expected_unit
    assert weight.kg == Decimal(kg)


def test_pounds_round_half_up_to_a_tenth() -> None:
    # 0.45359237 × 161.2 = 73.119090... → 73.1; 0.45359237 × 110.1 = 49.94052... → 49.9
    assert parse_weight("161.2 lb").kg == Decimal("73.1")
    assert parse_weight("110.1 lb").kg == Decimal("49.9")


def test_keeps_both_entry_and_kg() -> None:
    weight = parse_weight("160 lb")
    assert weight.describe() == "160 lb (72.6 kg)"
    assert parse_weight("72.5", "kg").describe() == "72.5 kg"


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", "kg", "Enter the weight, for example 72.5 kg or 160 lb."),
        ("   ", "kg", "Enter the weight, for example 72.5 kg or 160 lb."),
        ("abc", "kg", "“abc” is not a number. Type the weight in digits, for example 72.5 kg or 160 lb."),
        ("7a2", "kg", "“7a2” is not a number. Type the weight in digits, for example 72.5 kg or 160 lb."),
        ("１２", "kg", "“１２” is not a number. Type the weight in digits, for example 72.5 kg or 160 lb."),
        ("0", "kg", "The weight must be more than zero. Check the weight and type it again."),
        ("-72", "kg", "The weight must be more than zero. Check the weight and type it again."),
        ("72.5.1", "kg", "The weight has more than one decimal point. Type it with one, for example 72.5."),
        ("72,5", "kg", "The weight has a comma. Use a decimal point, for example 72.5."),
        ("19.9", "kg", "19.9 kg is outside 20–400 kg. Check the weight and its unit."),
        ("401", "kg", "401 kg is outside 20–400 kg. Check the weight and its unit."),
        ("72000", "kg", "72000 kg is outside 20–400 kg. Check the weight and its unit."),
        ("900 lb", None, "900 lb (408.2 kg) is outside 20–400 kg. Check the weight and its unit."),
        ("72", None, "Choose the unit of the weight: kg or lb."),
        ("72 lb", "kg", "The weight says lb but the unit chosen is kg. Choose the unit the scale shows."),
        ("72 st", "kg", "“st” is not a weight unit. Use kg or lb, for example 72.5 kg or 160 lb."),
        ("kg", None, "Enter the weight as a number, for example 72.5 kg or 160 lb."),
        ("72.123", "kg", "Give the weight with at most two decimal places, as the scale shows it."),
    ],
)
def test_rejects_with_its_own_sentence(text: str, unit: str | None, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_weight(text, unit)
    assert caught.value.message == message
