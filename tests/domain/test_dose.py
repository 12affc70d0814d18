from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemgenix_desktop.domain.dose import assess_weight_drift, calculate_dose, format_gc
from hemgenix_desktop.domain.errors import DomainError, NoKitForDose, WeightDrift
from hemgenix_desktop.domain.weight import parse_weight


def dose(text: str, unit: str | None = "kg"):  # type: ignore[no-untyped-def]
    return calculate_dose(parse_weight(text, unit))


def test_label_example_72_kg() -> None:
    calc = dose("72")
    assert calc.dose_ml == Decimal("144")
    assert calc.dose_gc == Decimal("1.44E15")
    assert format_gc(calc.dose_gc) == "1.44×10^15"
    assert calc.vials == 15
    assert calc.supplied_ml == 150
    assert calc.surplus_ml == 6
    assert calc.withdrawal.full_vials == 14
    assert calc.withdrawal.last_vial_ml == 4
    assert calc.withdrawal.describe() == "14 full vials × 10 mL, then 4 mL from 1 more vial"
    assert calc.kit_choice.kit.ndc11 == "00053-0150-15"
    assert calc.formula() == (
        "Dose = 72 kg × 2 mL/kg = 144 mL (72 kg × 2×10^13 gc/kg = 1.44×10^15 gc); "
        "vials = 144 mL ÷ 10 mL, rounded up = 15"
    )


def test_pounds_use_the_converted_kg() -> None:
    calc = dose("160 lb", None)
    assert calc.weight.kg == Decimal("72.6")
    assert calc.dose_ml == Decimal("145.2")
    assert calc.vials == 15


def test_whole_vial_dose_has_no_partial_vial() -> None:
    calc = dose("75")
    assert calc.vials == 15
    assert calc.surplus_ml == 0
    assert calc.withdrawal.describe() == "15 full vials × 10 mL"


def test_over_240_kg_is_a_stop() -> None:
    with pytest.raises(NoKitForDose):
        dose("240.1")
    assert dose("240").vials == 48


def test_below_table_weight_warns() -> None:
    calc = dose("40")
    assert calc.vials == 8
    assert calc.kit_choice.kit.vials == 10
    assert calc.supplied_ml == 100
    assert calc.surplus_ml == 20
    assert len(calc.warnings) == 1


def test_drift_with_same_vials_is_a_notice() -> None:
    notice = assess_weight_drift(dose("72"), dose("73"))
    assert notice is not None
    assert notice.message == (
        "Today's weight 73 kg differs from the prescription weight 72 kg by +1 kg (+1.4%). "
        "The vial count stays 15; the dose is calculated on today's weight."
    )
    assert assess_weight_drift(dose("72"), dose("72.0")) is None


def test_drift_that_changes_vials_is_a_stop() -> None:
    with pytest.raises(WeightDrift) as caught:
        assess_weight_drift(dose("72"), dose("76"))
    assert caught.value.message == (
        "Today's weight 76 kg needs 16 vials, but the kit was ordered on the prescription weight 72 kg, "
        "which needs 15. Stop: ask the prescriber for a new order."
    )


tenths = st.integers(min_value=200, max_value=4000).map(lambda n: Decimal(n) / 10)


@settings(max_examples=400)
@given(tenths)
def test_vials_cover_the_dose_exactly(kg: Decimal) -> None:
    try:
        calc = calculate_dose(parse_weight(str(kg), "kg"))
    except NoKitForDose:
        assert kg > 240
        return
    assert calc.vials * 10 >= calc.dose_ml > (calc.vials - 1) * 10
    assert calc.kit_choice.kit.total_ml >= calc.dose_ml
    assert calc.supplied_ml - calc.surplus_ml == calc.dose_ml
    assert calc.withdrawal.full_vials * 10 + calc.withdrawal.last_vial_ml == calc.dose_ml
    assert calc.dose_gc == calc.dose_ml * Decimal("1e13")


def test_every_tenth_of_a_kilogram_from_20_to_400() -> None:
    # Exhaustive companion of the property test: all 3,801 weights.
    for n in range(200, 4001):
        kg = Decimal(n) / 10
        try:
            calc = calculate_dose(parse_weight(str(kg), "kg"))
        except NoKitForDose:
            assert kg > 240
            continue
        assert calc.vials * 10 >= calc.dose_ml > (calc.vials - 1) * 10
        assert calc.kit_choice.kit.vials >= calc.vials


@settings(max_examples=500)
@given(st.text(max_size=60), st.sampled_from([None, "kg", "lb"]))
def test_weight_parser_raises_only_domain_errors(text: str, unit: str | None) -> None:
    try:
        weight = parse_weight(text, unit)
        calculate_dose(weight)
    except DomainError:
        pass
