"""The final volume checklist item, who committed each step (attributions), the 21 CFR 11.200 rule for the
username, and the verifier's typed blind-check figures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.checks import (
    CheckContext,
    InputKind,
    parse_final_volume_ml,
    problem_with,
    standard_checklist,
)
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.preparation import Attribution, Preparation
from hemgenix_desktop.domain.signing import (
    IDENTITY_STEP,
    Signer,
    attribute_page,
    parse_blind_dose_ml,
    parse_blind_vials,
    signature_needs_user_id,
    unattributed_steps,
)
from tests.helpers.preparations import complete_preparation

FINAL = standard_checklist().get("final_volume_ml")
CONTEXT = CheckContext(Decimal(144), date(2026, 12, 1))
WHO = Signer("ttech", "Tara Technician", "technician")
AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


# --- the final volume ---------------------------------------------------------------------------------------
def test_the_final_volume_is_a_site_item_right_after_the_volume_drawn_up() -> None:
    ids = [item.id for item in standard_checklist().items]
    assert ids[ids.index("volume_drawn_ml") + 1] == "final_volume_ml"
    assert FINAL.input is InputKind.FINAL_VOLUME
    assert FINAL.text == "Final volume in the infusion bag (mL)"
    assert FINAL.source.value == "site"
    assert "Site SOP" in FINAL.source_ref


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (None, "Enter the final volume in the infusion bag (mL)."),
        (
            Decimal(100),
            "The final volume, 100 mL, is less than the dose volume 144 mL that the bag holds. Read the volume in the "
            "bag again and enter it in mL.",
        ),
        (Decimal(144), None),
        (Decimal("394.5"), None),
    ],
)
def test_the_final_volume_is_at_least_the_dose(answer: Decimal | None, problem: str | None) -> None:
    assert problem_with(FINAL, answer, CONTEXT) == problem


def test_the_final_volume_needs_the_dose_first() -> None:
    assert problem_with(FINAL, Decimal(394), CheckContext(None, date(2026, 12, 1))) == (
        "Enter today's weight first: the dose volume is not known yet."
    )


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Enter the final volume in the infusion bag in mL, as a number."),
        ("about 400", "“about 400” is not a volume. Type the final volume in the bag as a number of mL."),
        ("394,5", "The final volume has a comma. Use a decimal point (.) instead."),
        ("0", "The final volume must be a number of mL greater than zero."),
        ("-5", "The final volume must be a number of mL greater than zero."),
    ],
)
def test_a_final_volume_that_is_not_a_number_says_so(text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_final_volume_ml(text)
    assert caught.value.message == sentence


def test_a_new_weight_clears_the_final_volume_too() -> None:
    from hemgenix_desktop.domain.weight import parse_weight

    prep = complete_preparation()
    assert prep.checks["final_volume_ml"] == Decimal(394)
    cleared = prep.set_weight_today(parse_weight("73", "kg"))
    assert "final_volume_ml" not in prep.checks
    assert cleared[-1] == "The weight changed, so the final volume in the bag was cleared: enter it again."


def test_a_final_volume_may_carry_its_unit() -> None:
    assert parse_final_volume_ml(" 394 mL ") == Decimal(394)


# --- attributions -------------------------------------------------------------------------------------------
def test_attributions_round_trip_through_json() -> None:
    prep = complete_preparation()
    attribute_page(prep, "identity", WHO, AT)
    attribute_page(prep, "preparation", Signer("ppharm", "Pat Pharmacist", "pharmacist"), AT)
    again = Preparation.from_dict(json.loads(json.dumps(prep.to_dict())))
    assert again.attributions == prep.attributions
    assert again.to_dict() == prep.to_dict()
    assert again.attributions["final_volume_ml"] == Attribution("ppharm", "Pat Pharmacist", AT)


def test_a_saved_preparation_from_before_attributions_reads_back_without_them() -> None:
    data = complete_preparation().to_dict()
    del data["attributions"]
    assert Preparation.from_dict(data).attributions == {}


def test_a_checklist_page_attributes_each_of_its_items_and_itself() -> None:
    prep = Preparation()
    attribute_page(prep, "administration", WHO, AT)
    admin = [item.id for item in standard_checklist().items if item.section.value == "administration"]
    assert sorted(prep.attributions) == sorted(["administration", *admin])
    attribute_page(prep, "weight", WHO, AT)
    assert "weight" in prep.attributions


def test_attribution_times_carry_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        attribute_page(Preparation(), "order", WHO, datetime(2026, 12, 1, 9, 0))


def test_unattributed_steps_name_what_the_record_needs() -> None:
    prep = complete_preparation()
    everything = [IDENTITY_STEP, *(item.id for item in standard_checklist().items)]
    assert unattributed_steps(prep) == everything
    for page in ("identity", "preparation", "administration"):
        attribute_page(prep, page, WHO, AT)
    assert unattributed_steps(prep) == []


# --- 21 CFR 11.200 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("continuous", "signed_before", "needs_user_id"),
    [(True, False, True), (True, True, False), (False, True, True), (False, False, True)],
)
def test_the_username_is_asked_unless_signing_again_in_a_continuous_session(
    continuous: bool, signed_before: bool, needs_user_id: bool
) -> None:
    assert signature_needs_user_id(continuous, signed_before) is needs_user_id


# --- the verifier's own figures ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Enter the number of vials you computed from the weight, in digits."),
        ("15.5", "“15.5” is not a number of vials. Type the vial count you computed, in digits."),
        ("0", "The vial count must be a whole number greater than zero. Compute it again."),
    ],
)
def test_a_vial_count_that_cannot_be_read_says_so(text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_blind_vials(text)
    assert caught.value.message == sentence


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Enter the dose volume you computed, as a number of mL."),
        ("144,5", "The dose volume has a comma. Use a decimal point (.) instead."),
        ("lots", "“lots” is not a volume. Type the dose volume you computed as a number of mL."),
        ("0", "The dose volume must be a number of mL greater than zero."),
    ],
)
def test_a_dose_volume_that_cannot_be_read_says_so(text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_blind_dose_ml(text)
    assert caught.value.message == sentence


def test_the_verifiers_figures_read_as_typed() -> None:
    assert parse_blind_vials(" 15 ") == 15
    assert parse_blind_dose_ml("147 mL") == Decimal(147)
