"""The whole preparation for a 72 kg patient, end to end, and what the wizard hands on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QRadioButton

from hemgenix_desktop.domain.preparation import EventKind, Preparation
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.conftest import Boxes, WizardFactory
from tests.ui.helpers import (
    NOW,
    click,
    fill_administration,
    fill_eligibility,
    fill_identity,
    fill_kit,
    fill_order,
    fill_preparation,
    fill_weight,
    find,
    next_enabled,
    press_next,
    text_of,
    tick,
    type_text,
    walk_to,
)


def test_whole_flow_for_a_72_kg_patient(new_wizard: WizardFactory) -> None:
    committed: list[str] = []
    steps: list[str] = []

    def hook(prep: Preparation, key: str) -> None:
        committed.append(key)
        steps.append(prep.step)

    wizard = new_wizard(hook=hook)
    prep = wizard.preparation

    assert wizard.current_key() == "order"
    assert not next_enabled(wizard)
    fill_order(wizard)
    press_next(wizard)
    assert prep.order is not None
    assert prep.order.patient.patient_specific_id == "HGX-PSI-7731"

    assert text_of(wizard, "eligibilityAgeLabel") == "46 years on the infusion date 2026-11-29 (born 1980-03-15)."
    fill_eligibility(wizard)
    assert text_of(wizard, "eligibilityConfirmedLabel") == (
        "Confirmed:\n• Prior authorization on file for one dose.\n• Age 46 years (at least 18).\n"
        "• No prior AAV-vector gene therapy.\n• Factor IX inhibitor “0.1” (2026-11-16, Central Coagulation "
        "Laboratory): negative (below 0.6 BU).\n• Anti-AAV5 NAb titre “1:300” on the 9-point assay (2026-11-16, "
        "Central Coagulation Laboratory): within the 9-point assay's limit of 1:898."
    )
    press_next(wizard)

    assert not next_enabled(wizard)
    fill_identity(wizard)
    assert text_of(wizard, "identityResultMessage") == "The carton's identifier and date of birth match the order."
    press_next(wizard)

    fill_weight(wizard)
    assert text_of(wizard, "weightFormulaLabel") == (
        "Dose = 72 kg × 2 mL/kg = 144 mL (72 kg × 2×10^13 gc/kg = 1.44×10^15 gc); vials = 144 mL ÷ 10 mL, "
        "rounded up = 15"
    )
    details = text_of(wizard, "weightDoseLabel")
    for shown in (
        "144 mL",
        "1.44×10^15 gc",
        "14 full vials × 10 mL, then 4 mL from 1 more vial",
        "15 vials, NDC 00053-0150-15 (for 71–75 kg)",
        "150 mL; surplus 6 mL is discarded",
    ):
        assert shown in details
    assert text_of(wizard, "weightDriftMessage") == ""
    press_next(wizard)
    assert prep.weight_today is not None
    assert prep.weight_today.kg == Decimal(72)
    assert prep.weight_method == "Standing scale"
    assert prep.weight_measured_at is not None
    assert prep.weight_measured_at.isoformat() == "2026-11-29T08:15:00+00:00"

    fill_kit(wizard)
    assert text_of(wizard, "kitNdcValue") == "0053-0150-15 (billing 00053-0150-15)"
    assert text_of(wizard, "kitVialsValue") == "15"
    assert text_of(wizard, "kitLotValue") == "LOT1"
    assert text_of(wizard, "kitExpiryValue") == "2027-05-31"
    assert text_of(wizard, "kitSerialValue") == "SER1"
    press_next(wizard)
    assert prep.carton is not None
    assert prep.vials_counted == 15

    volume = find(wizard, QCheckBox, "checkItem_uv_lamp_off")
    assert not volume.isChecked()
    fill_preparation(wizard)
    press_next(wizard)
    assert prep.prepared_at == NOW
    assert prep.checks["volume_drawn_ml"] == Decimal(144)
    assert prep.checks["diluent_expiry"] == date(2027, 3, 31)
    assert prep.checks["visual_inspection"] == "Passes inspection"

    assert text_of(wizard, "administrationTimesLabel") == (
        "Prepared at 13:30 on Sun 29 Nov 2026. The infusion must be completed by 13:30 on Mon 30 Nov 2026."
    )
    assert find(wizard, QCheckBox, "checkItem_complete_within_24h").accessibleName() == (
        "The infusion must be completed by 13:30 on Mon 30 Nov 2026 (24 hours after preparation)"
    )
    assert find(wizard, QCheckBox, "checkItem_infusion_rate").accessibleName() == (
        "Constant infusion rate of 500 mL/h (verify against the current label)"
    )
    fill_administration(wizard)
    press_next(wizard)

    assert wizard.current_key() == "review"
    review = text_of(wizard, "reviewWeightLabel")
    assert "144 mL (1.44×10^15 gc)" in review
    assert "08:15 on Sun 29 Nov 2026, Standing scale" in review
    assert "NS-4471" in text_of(wizard, "reviewPreparationLabel")
    assert text_of(wizard, "reviewEventsLabel") == "None: no stop, warning or notice was met."
    assert not wizard.button(PreparationWizard.WizardButton.FinishButton).isEnabled()
    tick(wizard, "reviewConfirmCheck")
    finish = wizard.button(PreparationWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    finish.click()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert committed == ["order", "eligibility", "identity", "weight", "kit", "preparation", "administration", "review"]
    assert steps == ["eligibility", "identity", "weight", "kit", "preparation", "administration", "review", "review"]
    assert prep.events == []


def test_nothing_is_filled_in_or_ticked_for_the_user(wizard: PreparationWizard) -> None:
    for edit in wizard.findChildren(QLineEdit):
        assert edit.text() == "", edit.objectName()
    for box in wizard.findChildren(QCheckBox):
        assert not box.isChecked(), box.objectName()
    for radio in wizard.findChildren(QRadioButton):
        assert not radio.isChecked(), radio.objectName()
    for combo in wizard.findChildren(QComboBox):
        assert combo.currentIndex() == -1, combo.objectName()


def test_inline_messages_appear_under_the_field_and_keep_the_text(wizard: PreparationWizard) -> None:
    fill_order(wizard, orderDateOfBirthEdit="31/05/1980", orderWeightEdit="72,5")
    assert text_of(wizard, "orderDateOfBirthMessage") == (
        "“31/05/1980” is not a date. Enter the date of birth as YYYY-MM-DD, for example 1980-05-31."
    )
    assert text_of(wizard, "orderWeightMessage") == "The weight has a comma. Use a decimal point (a full stop) instead."
    assert text_of(wizard, "orderStatusMessage") == text_of(wizard, "orderDateOfBirthMessage")
    assert not next_enabled(wizard)
    wizard.next()  # even forced, the page refuses
    assert wizard.current_key() == "order"
    assert find(wizard, QLineEdit, "orderDateOfBirthEdit").text() == "31/05/1980"
    assert find(wizard, QLineEdit, "orderWeightEdit").text() == "72,5"
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"


def test_an_untouched_field_is_not_scolded_but_a_skipped_one_is(wizard: PreparationWizard) -> None:
    assert text_of(wizard, "orderPatientNameMessage") == ""
    assert text_of(wizard, "orderStatusMessage") == "Enter the patient's full name."
    type_text(wizard, "orderMrnEdit", "MRN-1")
    assert text_of(wizard, "orderPatientNameMessage") == "Enter the patient's full name."
    assert text_of(wizard, "orderDateOfBirthMessage") == (
        "Enter the date of birth as YYYY-MM-DD, for example 1980-05-31."
    )
    assert text_of(wizard, "orderPrescriberMessage") == ""


def test_the_unit_of_weight_must_be_chosen(wizard: PreparationWizard) -> None:
    fill_order(wizard, unit=None)
    assert text_of(wizard, "orderWeightMessage") == "Choose the unit of the weight: kg or lb."
    assert not next_enabled(wizard)


@pytest.mark.slow
def test_a_weight_below_the_kit_table_needs_an_acknowledgement(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    fill_order(wizard, orderWeightEdit="44")
    press_next(wizard)
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="44")
    assert text_of(wizard, "weightBelowTableMessage") == (
        "The weight 44 kg is below the policy's kit table (45 kg or less needs fewer than 10 vials; this dose "
        "needs 9). The smallest kit, 10 vials, covers the dose and the surplus is discarded. A pharmacist other than "
        "the preparer must approve it at signing, with a reason (an override)."
    )
    assert text_of(wizard, "weightStatusMessage") == "Acknowledge the below-table warning to continue."
    assert not next_enabled(wizard)
    tick(wizard, "weightBelowTableAck")
    press_next(wizard)
    prep = wizard.preparation
    assert prep.below_table_acknowledged
    assert [(e.kind, e.step) for e in prep.events] == [
        (EventKind.WARNING, "weight"),
        (EventKind.ACKNOWLEDGED, "weight"),
    ]
    assert prep.events[1].message == "The below-table warning for 44 kg was acknowledged."


def test_a_small_weight_change_is_a_notice_and_is_recorded(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="73.5")
    notice = (
        "Today's weight 73.5 kg differs from the prescription weight 72 kg by +1.5 kg (+2.1%, within the site's 5%). "
        "The vial count stays 15; the dose is calculated on today's weight."
    )
    assert text_of(wizard, "weightDriftMessage") == notice
    press_next(wizard)
    assert [(e.kind, e.step, e.message) for e in wizard.preparation.events] == [(EventKind.NOTICE, "weight", notice)]


def test_weight_in_pounds_is_converted_and_shown(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="160", unit="lb")
    assert text_of(wizard, "weightFormulaLabel").startswith(
        "Dose = 160 lb × 0.45359237 kg/lb × 2 mL/kg = 145.1495… mL, rounded up to 0.01 mL: 145.15 mL (160 lb = 72.57 kg;"
    )


def test_going_back_and_changing_the_weight_clears_the_kit_and_the_volume(wizard: PreparationWizard) -> None:
    walk_to(wizard, "administration")
    prep = wizard.preparation
    assert prep.carton is not None
    wizard.go_to("weight")
    assert wizard.current_key() == "weight"
    fill_weight(wizard, weight="73", measured="2026-11-29 08:40")  # a new weight, measured anew (issue 21)
    cleared = [
        "The weight changed, so the kit scan and the vial count were cleared: scan the carton and count the vials "
        "again.",
        "The weight changed, so the volume drawn up was cleared: enter it again.",
        "The weight changed, so the final volume in the bag was cleared: enter it again.",
    ]
    assert text_of(wizard, "weightChangeMessage") == "When you press Next with this weight: " + " ".join(cleared)
    assert prep.carton is not None  # nothing changes before Next
    press_next(wizard)

    assert prep.carton is None
    assert prep.vials_counted is None
    assert "volume_drawn_ml" not in prep.checks
    assert "final_volume_ml" not in prep.checks
    assert text_of(wizard, "kitClearedMessage") == " ".join(cleared)
    assert find(wizard, QLineEdit, "kitScanField").text() == ""
    assert find(wizard, QLineEdit, "kitVialCountEdit").text() == ""
    assert not next_enabled(wizard)
    assert [e.message for e in prep.events if e.kind is EventKind.INVALIDATED] == cleared

    fill_kit(wizard)
    press_next(wizard)
    assert text_of(wizard, "preparationClearedMessage") == " ".join(cleared)
    assert find(wizard, QLineEdit, "checkItem_volume_drawn_ml").text() == ""
    assert find(wizard, QLineEdit, "checkItem_diluent_lot").text() == "NS-4471"  # the rest is kept
    assert find(wizard, QCheckBox, "checkItem_uv_lamp_off").isChecked()
    assert text_of(wizard, "preparationStatusMessage") == (
        "2 items on this page are still open. The first: Enter the volume of Hemgenix drawn up (must be the dose "
        "volume, 146 mL)."
    )
    assert find(wizard, QLineEdit, "checkItem_final_volume_ml").text() == ""
    assert not next_enabled(wizard)
    fill_preparation(wizard, volume_drawn_ml="146")
    press_next(wizard)
    assert prep.checks["volume_drawn_ml"] == Decimal(146)
    assert prep.checks["final_volume_ml"] == Decimal(394)


def test_changing_the_patient_on_the_order_clears_the_identity_check(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    wizard.go_to("order")
    fill_order(wizard, orderPatientIdEdit="HGX-PSI-7732")
    press_next(wizard)
    fill_eligibility(wizard)
    press_next(wizard)
    message = (
        "The patient-specific identifier or date of birth on the order changed, so the identity check was "
        "cleared: enter the carton's identifier and date of birth again."
    )
    assert text_of(wizard, "identityClearedMessage") == message
    assert find(wizard, QLineEdit, "identityCartonIdEdit").text() == ""
    assert not next_enabled(wizard)


def test_going_back_keeps_what_was_typed_on_an_unfinished_page(wizard: PreparationWizard) -> None:
    walk_to(wizard, "weight")
    type_text(wizard, "weightEdit", "72.4")
    wizard.back()
    press_next(wizard)
    assert find(wizard, QLineEdit, "weightEdit").text() == "72.4"


def test_review_lists_the_stops_met_on_the_way(wizard: PreparationWizard) -> None:
    walk_to(wizard, "identity")
    fill_identity(wizard, identifier="HGX-PSI-0000")
    fill_identity(wizard)
    press_next(wizard)
    walk_to(wizard, "review")
    events = text_of(wizard, "reviewEventsLabel")
    assert "STOP" in events
    assert "The patient-specific identifier typed from the carton, “HGX-PSI-0000”, does not match the order" in events
    assert "Patient identity" in events


def test_review_change_button_goes_back_to_the_page(wizard: PreparationWizard) -> None:
    walk_to(wizard, "review")
    click(wizard, "reviewChangeKitButton")
    assert wizard.current_key() == "kit"
    assert find(wizard, QLineEdit, "kitVialCountEdit").text() == "15"
    assert next_enabled(wizard)


def test_resume_opens_at_the_saved_step_with_everything_restored(new_wizard: WizardFactory) -> None:
    first = new_wizard()
    walk_to(first, "kit")
    fill_kit(first)
    press_next(first)
    saved = first.preparation.to_dict()
    assert saved["step"] == "preparation"

    calls: list[str] = []
    restored = Preparation.from_dict(saved)
    again = new_wizard(restored, hook=lambda _p, key: calls.append(key))
    assert again.current_key() == "preparation"
    assert calls == []  # the walk to the saved page saves nothing
    assert again.preparation.step == "preparation"
    again.back()
    assert again.current_key() == "kit"
    assert find(again, QLineEdit, "kitVialCountEdit").text() == "15"
    assert text_of(again, "kitLotValue") == "LOT1"
    again.go_to("order")
    assert find(again, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"


def test_cancel_asks_before_leaving(wizard: PreparationWizard, boxes: Boxes) -> None:
    finished: list[int] = []
    wizard.finished.connect(finished.append)
    fill_order(wizard)
    press_next(wizard)
    wizard.reject()
    assert finished == []  # still open: the question is asked first
    assert [(title, text) for title, text, _yes in boxes.asked] == [
        (
            "Leave this preparation?",
            "Nothing of this preparation is saved. If you leave now, everything entered is lost.",
        )
    ]
    _title, _text, on_yes = boxes.asked[0]
    on_yes()
    assert finished == [QDialog.DialogCode.Rejected.value]


def test_cancel_on_an_empty_first_page_leaves_at_once(wizard: PreparationWizard, boxes: Boxes) -> None:
    finished: list[int] = []
    wizard.finished.connect(finished.append)
    wizard.reject()
    assert boxes.asked == []
    assert finished == [QDialog.DialogCode.Rejected.value]


def test_a_stop_raised_by_the_commit_hook_keeps_the_page(new_wizard: WizardFactory) -> None:
    from hemgenix_desktop.domain.errors import ClinicalStop

    message = "This patient already has a preparation. Stop: open that one; Hemgenix is given once."

    def hook(_prep: Preparation, key: str) -> None:
        if key == "order":
            raise ClinicalStop(message)  # e.g. storage's one-dose-per-patient guard

    wizard = new_wizard(hook=hook)
    fill_order(wizard)
    wizard.next_button().click()
    assert wizard.current_key() == "order"
    assert text_of(wizard, "orderStopMessage") == message
    assert not next_enabled(wizard)
    assert wizard.preparation.step == "order"
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"
