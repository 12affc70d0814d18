"""Corrections of a sealed record (domain/amendment.py) and the "Amended by" signature rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.amendment import (
    AUTHORIZATION,
    CHECK_PREFIX,
    PATIENT_MRN,
    PATIENT_NAME,
    FieldChange,
    InvalidCorrection,
    apply_corrections,
    check_field,
    check_reason,
    correctable_fields,
    current_value,
)
from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.domain.errors import BlindCheckMismatch, InvalidInput, SameSignerRefused, VerifierNotPharmacist
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import (
    BlindCheck,
    Meaning,
    blind_check_exhausted,
    check_signatures_complete,
    sign_as_preparer,
    sign_as_verifier,
)
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.security.seal import preparation_sha256
from tests.helpers.preparations import PHARMACIST, SECOND_PHARMACIST, TECHNICIAN, WORKSTATION, complete_preparation

AT = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
CHECKLIST = load_checklist()


def correct(typed: dict[str, str]) -> tuple[Preparation, tuple[FieldChange, ...]]:
    prep = complete_preparation()
    return apply_corrections(prep, typed, username="ppharm", printed_name="Pat Pharmacist", at=AT, checklist=CHECKLIST)


def test_the_fields_that_can_be_corrected_are_documentation_only() -> None:
    keys = [f.key for f in correctable_fields(CHECKLIST)]
    assert keys[:5] == [PATIENT_NAME, PATIENT_MRN, "order.order_number", "order.prescriber", AUTHORIZATION]
    assert CHECK_PREFIX + "diluent_lot" in keys
    assert CHECK_PREFIX + "diluent_expiry" in keys
    assert CHECK_PREFIX + "final_volume_ml" in keys
    assert CHECK_PREFIX + "engineering_control" in keys  # a choice with no stop
    # what was done at the cabinet cannot be corrected
    for item in ("volume_drawn_ml", "visual_inspection", "uv_lamp_off", "aseptic_technique"):
        assert CHECK_PREFIX + item not in keys
    assert not any("identifier" in key or "date_of_birth" in key or "weight" in key for key in keys)


def test_a_correction_changes_a_copy_and_lists_what_changed() -> None:
    original = complete_preparation()
    before = original.to_dict()
    corrected, changes = apply_corrections(
        original,
        {PATIENT_NAME: "Alex J. Example", CHECK_PREFIX + "diluent_lot": "NS24K118", PATIENT_MRN: "MRN-0001234"},
        username="ppharm",
        printed_name="Pat Pharmacist",
        at=AT,
        checklist=CHECKLIST,
    )
    assert original.to_dict() == before  # the original is not touched
    assert [c.to_dict() for c in changes] == [
        {"field": PATIENT_NAME, "label": "Patient name", "before": "Alex Example", "after": "Alex J. Example"},
        {
            "field": CHECK_PREFIX + "diluent_lot",
            "label": "0.9% sodium chloride lot number",
            "before": "NS24K113",
            "after": "NS24K118",
        },
    ]
    assert corrected.order is not None
    assert corrected.order.patient.full_name == "Alex J. Example"
    assert corrected.order.patient.patient_specific_id == "HGX-PSI-7731"
    assert corrected.checks["diluent_lot"] == "NS24K118"
    assert corrected.attributions["diluent_lot"].username == "ppharm"
    assert corrected.attributions["diluent_lot"].at == AT
    assert corrected.id == original.id
    assert preparation_sha256(corrected) != preparation_sha256(original)
    assert FieldChange.from_dict(changes[0].to_dict()) == changes[0]


def test_dates_and_volumes_are_parsed_and_checked() -> None:
    corrected, changes = correct(
        {CHECK_PREFIX + "diluent_expiry": "2027-07-31", CHECK_PREFIX + "final_volume_ml": "400"}
    )
    assert corrected.checks["diluent_expiry"] == date(2027, 7, 31)
    assert corrected.checks["final_volume_ml"] == Decimal("400")
    assert [c.after for c in changes] == ["2027-07-31", "400"]


def test_every_bad_value_is_named_with_its_own_sentence() -> None:
    with pytest.raises(InvalidCorrection) as bad:
        correct(
            {
                PATIENT_NAME: "   ",
                CHECK_PREFIX + "diluent_expiry": "2026-11-01",  # before the preparation date
                CHECK_PREFIX + "final_volume_ml": "100",  # less than the 144 mL dose
                CHECK_PREFIX + "engineering_control": "Kitchen table",
            }
        )
    problems = bad.value.problems
    assert problems[PATIENT_NAME] == "Enter the patient name."
    assert "has passed" in problems[CHECK_PREFIX + "diluent_expiry"]
    assert "less than the dose volume 144 mL" in problems[CHECK_PREFIX + "final_volume_ml"]
    assert problems[CHECK_PREFIX + "engineering_control"].startswith("Choose one of the answers")
    with pytest.raises(InvalidInput, match="not a date"):
        check_field(complete_preparation(), CHECK_PREFIX + "diluent_expiry", "31/07/2027", CHECKLIST)


def test_nothing_changed_and_uncorrectable_fields_are_refused() -> None:
    prep = complete_preparation()
    same = {f.key: current_value(prep, f.key) for f in correctable_fields(CHECKLIST)}
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        correct(same)
    with pytest.raises(InvalidInput, match="cannot be corrected"):
        correct({CHECK_PREFIX + "volume_drawn_ml": "150"})
    with pytest.raises(InvalidInput, match="Enter the reason"):
        check_reason("  ")
    assert check_reason(" Lot typed wrong ") == "Lot typed wrong"


def test_an_amendment_is_signed_amended_by_and_verified_by_someone_else() -> None:
    corrected, _ = correct({CHECK_PREFIX + "diluent_lot": "NS24K118"})
    content = preparation_sha256(corrected)
    amended = sign_as_preparer(
        corrected,
        PHARMACIST,
        workstation=WORKSTATION,
        content_sha256=content,
        at=AT,
        amending=True,
    )
    assert amended.meaning is Meaning.AMENDED_BY
    assert corrected.dose is not None
    blind = BlindCheck(parse_weight("72", "kg"), 15, Decimal("144"))
    with pytest.raises(SameSignerRefused, match="you made this correction"):
        sign_as_verifier(corrected, amended, PHARMACIST, blind, workstation=WORKSTATION, content_sha256=content)
    verified = sign_as_verifier(
        corrected,
        amended,
        SECOND_PHARMACIST,
        blind,
        workstation=WORKSTATION,
        content_sha256=content,
        at=AT,
    )
    check_signatures_complete(corrected, [amended, verified], content, amendment=True)
    with pytest.raises(InvalidInput, match="“Amended by” does not belong"):
        check_signatures_complete(corrected, [amended, verified], content)
    prepared = sign_as_preparer(corrected, TECHNICIAN, workstation=WORKSTATION, content_sha256=content, at=AT)
    with pytest.raises(InvalidInput, match="“Prepared by” does not belong"):
        check_signatures_complete(corrected, [amended, prepared, verified], content, amendment=True)


def test_a_corrections_blind_check_stops_speak_of_the_person_correcting_not_the_preparer() -> None:
    """On a correction the rule excludes the person who made it (check_verifier), not the preparer: the stops say so."""
    corrected, _ = correct({CHECK_PREFIX + "diluent_lot": "NS24K118"})
    content = preparation_sha256(corrected)
    amended = sign_as_preparer(
        corrected, PHARMACIST, workstation=WORKSTATION, content_sha256=content, at=AT, amending=True
    )
    wrong = BlindCheck(parse_weight("72", "kg"), 14, Decimal("144"))
    with pytest.raises(BlindCheckMismatch) as mismatch:
        sign_as_verifier(corrected, amended, SECOND_PHARMACIST, wrong, workstation=WORKSTATION, content_sha256=content)
    assert "another pharmacist who did not make this correction must do the blind check" in mismatch.value.message
    assert "the person who made it must look at the correction and the calculation again" in mismatch.value.message
    assert "preparer" not in mismatch.value.message
    with pytest.raises(VerifierNotPharmacist) as technician:
        sign_as_verifier(corrected, amended, TECHNICIAN, wrong, workstation=WORKSTATION, content_sha256=content)
    assert technician.value.message.endswith(
        "Ask a pharmacist who did not make the correction to do the blind check and sign."
    )
    assert blind_check_exhausted("Quinn Pharmacist", correction=True) == (
        "Quinn Pharmacist, your blind check has not matched the corrected preparation twice. Stop: do not sign. "
        "Another pharmacist who did not make this correction must do the blind check, or the person who made it "
        "must look at the correction and the calculation again (the blind check starts anew once they sign the "
        "correction again)."
    )
    assert "preparer" in blind_check_exhausted("Quinn Pharmacist")  # a first preparation's stop is unchanged
