from decimal import Decimal

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.weight import WeightUnit, lb_rule, parse_weight


@pytest.mark.parametrize(
    ("text", "unit", "value", "expected_unit", "kg"),
    [
        ("72", "kg", "72", WeightUnit.KG, "72"),
        ("72.5", "kg", "72.5", WeightUnit.KG, "72.5"),
        ("72.5 kg", None, "72.5", WeightUnit.KG, "72.5"),
        ("72.5kg", None, "72.5", WeightUnit.KG, "72.5"),
        ("  72.5 KG ", None, "72.5", WeightUnit.KG, "72.5"),
        ("160 lb", None, "160", WeightUnit.LB, "72.5747792"),
        ("160lbs", None, "160", WeightUnit.LB, "72.5747792"),
        ("160 pounds", None, "160", WeightUnit.LB, "72.5747792"),
        ("160", "lb", "160", WeightUnit.LB, "72.5747792"),
        ("100 lb", None, "100", WeightUnit.LB, "45.359237"),  # exact: never rounded before dosing
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


@pytest.mark.parametrize(
    ("text", "exact", "shown", "described"),
    [
        # Issue 21: a weight in lb is converted exactly; only what is shown is rounded, half-up to 0.01 kg.
        ("110.3 lb", "50.031238411", "50.03", "110.3 lb = 50.03 kg"),
        ("158.7 lb", "71.985109119", "71.99", "158.7 lb = 71.99 kg"),
        ("161.2 lb", "73.119090044", "73.12", "161.2 lb = 73.12 kg"),
        ("160 lb", "72.5747792", "72.57", "160 lb = 72.57 kg"),
        ("110.24 lb", "50.0040228688", "50.00", "110.24 lb = 50.00 kg"),
        ("72.5 kg", "72.5", "72.5", "72.5 kg"),  # a weight in kg is shown as typed
        ("72.55 kg", "72.55", "72.55", "72.55 kg"),
    ],
)
def test_pounds_are_converted_exactly_and_shown_to_a_hundredth(
    text: str, exact: str, shown: str, described: str
) -> None:
    weight = parse_weight(text)
    assert weight.kg == Decimal(exact)
    assert str(weight.kg_shown) == shown
    assert weight.describe() == described


def test_the_lb_rule_is_said() -> None:
    assert lb_rule() == (
        "1 lb = 0.45359237 kg. The dose and the vials are calculated from the exact converted weight; the kg is "
        "shown rounded to 0.01 kg."
    )


@pytest.mark.parametrize(
    ("text", "other"),
    [("158.7 kg", "158.7 lb = 71.99 kg"), ("72 lb", "72 kg"), ("500 lb", None), ("40 kg", None)],
)
def test_the_same_number_in_the_other_unit(text: str, other: str | None) -> None:
    read = parse_weight(text).other_unit()
    assert (read.describe() if read is not None else None) == other


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", "kg", "Enter the weight, in digits with a decimal point if needed, then kg or lb."),
        ("   ", "kg", "Enter the weight, in digits with a decimal point if needed, then kg or lb."),
        (
            "abc",
            "kg",
            "“abc” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb.",
        ),
        (
            "7a2",
            "kg",
            "“7a2” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb.",
        ),
        (
            "１２",
            "kg",
            "“１２” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb.",
        ),
        ("0", "kg", "The weight must be more than zero. Check the weight and type it again."),
        ("-72", "kg", "The weight must be more than zero. Check the weight and type it again."),
        ("72.5.1", "kg", "The weight has more than one decimal point. Type it with one decimal point only."),
        ("72,5", "kg", "The weight has a comma. Use a decimal point (a full stop) instead."),
        ("19.9", "kg", "19.9 kg is outside 20–400 kg. Check the weight and its unit."),
        ("401", "kg", "401 kg is outside 20–400 kg. Check the weight and its unit."),
        ("72000", "kg", "72000 kg is outside 20–400 kg. Check the weight and its unit."),
        ("900 lb", None, "900 lb = 408.23 kg is outside 20–400 kg. Check the weight and its unit."),
        ("72", None, "Choose the unit of the weight: kg or lb."),
        ("72 lb", "kg", "The weight says lb but the unit chosen is kg. Choose the unit the scale shows."),
        ("72 st", "kg", "“st” is not a weight unit. Use kg or lb."),
        ("kg", None, "Enter the weight as a number, in digits with a decimal point if needed, then kg or lb."),
        ("72.123", "kg", "Give the weight with at most two decimal places, as the scale shows it."),
    ],
)
def test_rejects_with_its_own_sentence(text: str, unit: str | None, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_weight(text, unit)
    assert caught.value.message == message
