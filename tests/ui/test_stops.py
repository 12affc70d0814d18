"""Every clinical stop of the issue, end to end: the exact sentence in the stop banner, Next disabled,
what was entered still there, and the stop recorded in the Preparation's events."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit

from hemgenix_desktop.domain.preparation import EventKind
from hemgenix_desktop.ui.scanfield import ScanField
from hemgenix_desktop.ui.widgets import ChoiceGroup
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import (
    click,
    fill_eligibility,
    fill_identity,
    fill_kit,
    fill_order,
    fill_preparation,
    fill_weight,
    find,
    kit_code,
    next_enabled,
    press_next,
    scan,
    text_of,
    tick,
    type_text,
    walk_to,
)


def assert_stopped(wizard: PreparationWizard, page: str, message: str) -> None:
    """The page shows this stop, will not advance, and the stop is in the record."""
    assert wizard.current_key() == page
    assert text_of(wizard, f"{page}StopMessage") == message
    assert not find(wizard, QFrame, f"{page}StopBanner").isHidden()
    assert not next_enabled(wizard)
    wizard.next()  # forcing Next does not get past a stop either
    assert wizard.current_key() == page
    stops = [e for e in wizard.preparation.events if e.kind is EventKind.STOP]
    assert stops, "the stop was not recorded"
    assert (stops[-1].step, stops[-1].message) == (page, message)


def line(wizard: PreparationWizard, name: str) -> str:
    return find(wizard, QLineEdit, name).text()


# --- identity ------------------------------------------------------------------------------------
def test_wrong_carton_identifier(wizard: PreparationWizard) -> None:
    walk_to(wizard, "identity")
    fill_identity(wizard, identifier="HGX-PSI-7713")
    assert_stopped(
        wizard,
        "identity",
        "The patient-specific identifier typed from the carton, “HGX-PSI-7713”, does not match the order's. Stop: "
        "this kit may belong to another patient. Do not prepare it; call the pharmacist in charge, who compares the "
        "carton with the order.",
    )
    assert line(wizard, "identityCartonIdEdit") == "HGX-PSI-7713"
    assert line(wizard, "identityDateOfBirthEdit") == "1980-03-15"
    comparison = text_of(wizard, "identityComparisonLabel")
    assert "HGX-PSI-7713" in comparison
    assert "differs from the order" in comparison
    # blind after the mismatch too: the order's identifier is nowhere on the page to be typed back in
    assert all("HGX-PSI-7731" not in label.text() for label in wizard.currentPage().findChildren(QLabel))


def test_the_order_identifier_is_not_shown_before_the_comparison(wizard: PreparationWizard) -> None:
    walk_to(wizard, "identity")
    type_text(wizard, "identityCartonIdEdit", "HGX-PSI-77")
    type_text(wizard, "identityDateOfBirthEdit", "1980-03-15")
    assert all("HGX-PSI-7731" not in label.text() for label in wizard.currentPage().findChildren(QLabel))
    assert not next_enabled(wizard)


def test_wrong_date_of_birth(wizard: PreparationWizard) -> None:
    walk_to(wizard, "identity")
    fill_identity(wizard, born="1980-05-13")
    assert_stopped(
        wizard,
        "identity",
        "The date of birth typed from the carton, 1980-05-13, does not match the order's. Stop: do not prepare this "
        "kit; call the pharmacist in charge, who compares the carton with the order.",
    )
    assert all("1980-03-15" not in label.text() for label in wizard.currentPage().findChildren(QLabel))
    assert line(wizard, "identityCartonIdEdit") == "HGX-PSI-7731"
    assert line(wizard, "identityDateOfBirthEdit") == "1980-05-13"


# --- eligibility ---------------------------------------------------------------------------------
def test_age_under_18(wizard: PreparationWizard) -> None:
    fill_order(wizard, orderDateOfBirthEdit="2009-01-15")
    press_next(wizard)
    assert_stopped(
        wizard,
        "eligibility",
        "The patient is 17 years old on 2026-11-29; Hemgenix is for adults (18 or older). Stop: do not prepare.",
    )
    fill_eligibility(wizard)  # answering everything does not lift it
    assert not next_enabled(wizard)
    assert line(wizard, "eligibilityInhibitorEdit") == "0.1"


@pytest.mark.parametrize(
    ("answers", "message", "kept"),
    [
        (
            {"inhibitor": "0.6"},
            "The factor IX inhibitor result “0.6” (2026-11-16, Central Coagulation Laboratory) is positive (0.6 BU "
            "or more); negative is below 0.6 BU. Stop: re-test in about 14 days (around 2026-11-30) and enter the "
            "re-test; if the re-test is positive too, Hemgenix must not be given.",
            ("eligibilityInhibitorEdit", "0.6"),
        ),
        (
            {"inhibitor": "1.2 BU"},
            "The factor IX inhibitor result “1.2 BU” (2026-11-16, Central Coagulation Laboratory) is positive (0.6 "
            "BU or more); negative is below 0.6 BU. Stop: re-test in about 14 days (around 2026-11-30) and enter the "
            "re-test; if the re-test is positive too, Hemgenix must not be given.",
            ("eligibilityInhibitorEdit", "1.2 BU"),
        ),
        (
            {"titre": "1:679", "assay": 7},
            "The anti-AAV5 antibody titre “1:679” on the 7-point assay (2026-11-16, Central Coagulation Laboratory) "
            "is above the 7-point assay's limit of 1:678. Stop: the patient does not meet the policy's criteria.",
            ("eligibilityTitreEdit", "1:679"),
        ),
        (
            {"titre": "1:899", "assay": 9},
            "The anti-AAV5 antibody titre “1:899” on the 9-point assay (2026-11-16, Central Coagulation Laboratory) "
            "is above the 9-point assay's limit of 1:898. Stop: the patient does not meet the policy's criteria.",
            ("eligibilityTitreEdit", "1:899"),
        ),
        (
            {"prior_therapy": True},
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix after "
            "prior hemophilia gene therapy.",
            ("eligibilityTitreEdit", "1:300"),
        ),
        (
            {"authorization": False},
            "No prior authorization is on file for this one dose. Stop: Hemgenix is given once, only with an "
            "authorization for that dose.",
            ("eligibilityInhibitorEdit", "0.1"),
        ),
    ],
    ids=["inhibitor-0.6", "inhibitor-1.2", "titre-7-point", "titre-9-point", "prior-gene-therapy", "no-authorization"],
)
def test_eligibility_stops(
    wizard: PreparationWizard, answers: dict[str, object], message: str, kept: tuple[str, str]
) -> None:
    walk_to(wizard, "eligibility")
    fill_eligibility(wizard, **answers)  # type: ignore[arg-type]
    assert_stopped(wizard, "eligibility", message)
    assert line(wizard, kept[0]) == kept[1]


@pytest.mark.parametrize(
    ("button", "message"),
    [
        (
            "eligibilityAuthorizationNo",
            "No prior authorization is on file for this one dose. Stop: Hemgenix is given once, only with an "
            "authorization for that dose.",
        ),
        (
            "eligibilityPriorGeneTherapyYes",
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix after "
            "prior hemophilia gene therapy.",
        ),
    ],
)
def test_an_answer_that_stops_shows_its_stop_before_the_results_are_typed(
    wizard: PreparationWizard, button: str, message: str
) -> None:
    """Found using the program: the stop waited until every laboratory result was copied from the report."""
    walk_to(wizard, "eligibility")
    click(wizard, button)
    assert line(wizard, "eligibilityInhibitorEdit") == ""
    assert_stopped(wizard, "eligibility", message)


def test_the_titre_limit_itself_is_allowed(wizard: PreparationWizard) -> None:
    walk_to(wizard, "eligibility")
    fill_eligibility(wizard, titre="1:678", assay=7)
    assert next_enabled(wizard)


# --- weight --------------------------------------------------------------------------------------
def test_weight_over_240_kg(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="241")
    assert_stopped(
        wizard,
        "weight",
        "No Hemgenix kit holds this dose: 241 kg needs 49 vials and the largest kit has 48 (for up to 240 kg). "
        "Do not prepare; contact the prescriber.",
    )
    assert line(wizard, "weightEdit") == "241"
    assert line(wizard, "weightMeasuredAtEdit") == "2026-11-29 08:15"


def test_weight_drift_that_changes_the_vial_count(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="76")
    assert_stopped(
        wizard,
        "weight",
        "Today's weight 76 kg needs 16 vials, but the kit was ordered on the prescription weight 72 kg, which "
        "needs 15. Stop: ask the prescriber for a new order.",
    )
    assert line(wizard, "weightEdit") == "76"
    assert text_of(wizard, "weightDriftMessage") == ""
    assert wizard.preparation.weight_today is None  # nothing was written


def test_a_stop_is_recorded_once_while_it_stays_on_screen(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="76")
    edit = find(wizard, QLineEdit, "weightEdit")
    edit.returnPressed.emit()  # Enter acts on the value: the stop is met
    edit.returnPressed.emit()
    fill_weight(wizard, weight="76")
    edit.returnPressed.emit()
    stops = [e for e in wizard.preparation.events if e.kind is EventKind.STOP]
    assert len(stops) == 1


# --- kit -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "]d2" + "0109506000134352" + "17270531" + "10LOT1\x1d21SER1",
            "This carton is not a Hemgenix kit: its code has GTIN 09506000134352, which carries no US NDC. Set it "
            "aside and scan the Hemgenix kit carton.",
        ),
        (
            "(01)00300530099018(17)270531(10)VLOT(21)V1",
            "This is the code of a single Hemgenix vial (NDC 0053-0099-01), not of the kit carton. Scan the "
            "DataMatrix on the outer carton.",
        ),
        (
            kit_code(expiry=date(2026, 11, 28), lot="OLD7"),
            "This kit expired on 2026-11-28 (lot OLD7) and cannot be used on 2026-11-29. Set it aside and use an "
            "in-date kit.",
        ),
        (
            kit_code(vials=14),
            "This kit holds 14 vials, but the dose of 144 mL for today's weight 72 kg needs the 15-vial kit (NDC "
            "00053-0150-15): the dose does not fit this kit. Stop. Re-check both weights, the order's (72 kg) and "
            "today's (72 kg), and their units (kg or lb). If the weights are right, set this kit aside and find the "
            "kit for this dose.",
        ),
        (
            kit_code(vials=16),
            "This kit holds 16 vials, but the dose of 144 mL for today's weight 72 kg needs the 15-vial kit (NDC "
            "00053-0150-15): the dose does not fit this kit. Stop. Re-check both weights, the order's (72 kg) and "
            "today's (72 kg), and their units (kg or lb). If the weights are right, set this kit aside and find the "
            "kit for this dose.",
        ),
        (
            "(01)00300530150153(17)271129(10)PRACTICE-L15(21)PRACTICE-S0001",  # practice mode's correct kit
            "This is a practice carton code (lot PRACTICE-L15, serial PRACTICE-S0001), made by Hemgenix Prep for "
            "training: it is not a real kit and is never used for a patient. Stop: set the practice sheet aside and "
            "scan the DataMatrix on the real kit carton.",
        ),
    ],
    ids=["not-hemgenix", "vial-code", "expired", "kit-too-small", "wrong-kit", "practice-carton"],
)
def test_kit_stops(wizard: PreparationWizard, code: str, message: str) -> None:
    walk_to(wizard, "kit")
    scan(wizard, code)
    assert_stopped(wizard, "kit", message)
    assert find(wizard, ScanField, "kitScanField").scan_data() == code
    assert not find(wizard, QLineEdit, "kitVialCountEdit").isEnabled()


def test_the_expired_kit_still_shows_what_was_scanned(wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    scan(wizard, kit_code(expiry=date(2026, 11, 28), lot="OLD7"))
    assert text_of(wizard, "kitLotValue") == "OLD7"
    assert text_of(wizard, "kitExpiryValue") == "2026-11-28"


def test_vial_count_mismatch(wizard: PreparationWizard) -> None:
    walk_to(wizard, "kit")
    fill_kit(wizard, count="14")
    assert_stopped(
        wizard,
        "kit",
        "You counted 14 vials: that is not the number this kit should hold. Stop: count again; if the count is "
        "still different, do not use the kit and call the pharmacist in charge.",
    )
    assert line(wizard, "kitVialCountEdit") == "14"
    assert text_of(wizard, "kitVialsValue") == "Shown once your count matches"  # blind: a recount is no copy


# --- preparation checks --------------------------------------------------------------------------
def test_an_unticked_check(wizard: PreparationWizard) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, uv_lamp_off=False)
    message = "Confirm: The ultraviolet (UV) disinfection lamp is off: Hemgenix is not exposed to UV light."
    assert text_of(wizard, "checkMessage_uv_lamp_off") == message
    assert text_of(wizard, "preparationStatusMessage") == message
    assert text_of(wizard, "preparationStopMessage") == ""
    assert not next_enabled(wizard)
    wizard.next()
    assert wizard.current_key() == "preparation"
    assert line(wizard, "checkItem_diluent_lot") == "NS-4471"
    assert line(wizard, "checkItem_volume_drawn_ml") == "144"
    tick(wizard, "checkItem_uv_lamp_off")
    assert next_enabled(wizard)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            "visual_inspection",
            "The product fails visual inspection. Do not use it: set the kit aside, label it, and call the "
            "pharmacist in charge.",
        ),
        (
            "visual_inspection_diluted",
            "The diluted product fails visual inspection. Do not use it: set the bag aside, label it, and call the "
            "pharmacist in charge.",
        ),
    ],
)
def test_failed_inspection(wizard: PreparationWizard, item: str, message: str) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, **{item: "Fails inspection (particles or discoloration)"})
    assert_stopped(wizard, "preparation", message)
    assert line(wizard, "checkItem_engineering_control_id") == "BSC-2"
    assert find(wizard, ChoiceGroup, f"checkItem_{item}").value() == "Fails inspection (particles or discoloration)"


def test_drawn_volume_is_not_the_dose(wizard: PreparationWizard) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, volume_drawn_ml="150")
    assert_stopped(
        wizard,
        "preparation",
        "The volume drawn up, 150 mL, is not the dose volume 144 mL. Stop: draw up exactly the dose volume before "
        "you continue.",
    )
    assert line(wizard, "checkItem_volume_drawn_ml") == "150"
    assert wizard.preparation.prepared_at is None


def test_an_out_of_date_diluent_is_refused(wizard: PreparationWizard) -> None:
    walk_to(wizard, "preparation")
    fill_preparation(wizard, diluent_expiry="2026-11-28")
    assert text_of(wizard, "checkMessage_diluent_expiry") == (
        "The 0.9% sodium chloride expiry date 2026-11-28 has passed. Use an in-date bag and enter its details."
    )
    assert not next_enabled(wizard)
