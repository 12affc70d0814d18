"""Issue 21, the weight and kit sentences as the wizard shows them: the lb→kg step, the band edge, "Was the weight
in lb?", a lb/kg slip on both weights, a weight change beyond the site's percentage said at once, the below-table
acknowledgement a technician can truthfully give, a kit expiring before the infusion date, one verdict per scan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QCheckBox, QFrame, QLabel

from hemgenix_desktop.domain.errors import CartonAlreadyUsed
from hemgenix_desktop.domain.preparation import EventKind, Preparation
from hemgenix_desktop.domain.signing import overrides_required
from hemgenix_desktop.ui.driving import find, scan
from tests.ui.conftest import WizardFactory
from tests.ui.helpers import (
    fill_kit,
    fill_order,
    fill_weight,
    kit_code,
    next_enabled,
    press_next,
    text_of,
    walk_to,
)


def shown(wizard: QFrame | QLabel, name: str) -> bool:
    return not find(wizard, QFrame if name.endswith("Banner") else QLabel, name).isHidden()


def test_a_weight_in_lb_shows_the_step_to_kg_and_the_rule(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="158.7", unit="lb")
    assert text_of(wizard, "weightConversionLabel") == (
        "158.7 lb = 71.99 kg. 1 lb = 0.45359237 kg. The dose and the vials are calculated from the exact converted "
        "weight; the kg is shown rounded to 0.01 kg."
    )
    assert shown(wizard, "weightConversionLabel")
    fill_weight(wizard, weight="72", unit="kg")
    assert not shown(wizard, "weightConversionLabel")


def test_110_3_lb_gets_11_vials_and_a_notice_naming_both_kits(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    fill_order(wizard, unit="lb", orderWeightEdit="110.3")
    press_next(wizard)
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="110.3", unit="lb")
    assert text_of(wizard, "weightFormulaLabel").endswith("vials = 100.07 mL ÷ 10 mL, rounded up = 11")
    notice = text_of(wizard, "weightBandEdgeMessage")
    assert shown(wizard, "weightBandEdgeBanner")
    assert "the 10-vial kit (46–50 kg, NDC 00053-0100-10)" in notice
    assert "the 11-vial kit (51–55 kg, NDC 00053-0110-11)" in notice
    press_next(wizard)
    assert (EventKind.NOTICE, notice) in [(e.kind, e.message) for e in wizard.preparation.events]
    assert wizard.preparation.dose is not None
    assert wizard.preparation.dose.kit_choice.kit.vials == 11


def test_a_weight_about_2_2_times_the_order_asks_was_it_in_lb(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="158.7", unit="kg")
    stop = text_of(wizard, "weightStopMessage")
    assert stop.startswith(
        "Today's weight 158.7 kg is about 2.2 times the prescription weight 72 kg. Was today's weight in lb "
        "(158.7 lb = 71.99 kg)? If so, choose lb and type it again."
    )
    assert stop.index("Was today's weight in lb") < stop.index("ask the prescriber")
    assert not next_enabled(wizard)
    fill_weight(wizard, weight="158.7", unit="lb")  # the answer: it was in lb
    assert text_of(wizard, "weightStopMessage") == ""
    assert next_enabled(wizard)


def test_a_lb_kg_slip_on_both_weights_asks_to_recheck_both_on_the_kit_page(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    fill_order(wizard, unit="kg", orderWeightEdit="158.7")  # 158.7 lb typed as kg on the order…
    press_next(wizard)
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="158.7", unit="kg")  # …and today
    press_next(wizard)
    scan(wizard, kit_code(vials=15))  # the kit ordered for this 72 kg patient
    stop = text_of(wizard, "kitStopMessage")
    assert "the dose does not fit this kit" in stop
    assert "Re-check both weights, the order's (158.7 kg) and today's (158.7 kg), and their units (kg or lb)." in stop
    assert "Read in lb, 158.7 lb = 71.99 kg would need this 15-vial kit." in stop
    assert "use the kit ordered for this patient" not in stop


def test_a_change_beyond_the_site_percentage_says_at_once_that_an_override_will_be_needed(
    new_wizard: WizardFactory,
) -> None:
    wizard = new_wizard(Preparation(drift_notice_percent=Decimal(2)))
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="73.5")  # +2.1 %, still 15 vials
    warning = text_of(wizard, "weightDriftOverrideMessage")
    assert shown(wizard, "weightDriftOverrideBanner")
    assert not shown(wizard, "weightDriftBanner")  # not called a NOTICE
    assert warning.endswith(
        "A pharmacist other than the preparer must approve it at signing, with a reason (an override)."
    )
    press_next(wizard)
    assert overrides_required(wizard.preparation) == (warning,)  # the same words at signing
    assert (EventKind.WARNING, warning) in [(e.kind, e.message) for e in wizard.preparation.events]


def test_a_small_change_within_the_site_percentage_needs_no_override(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="72.4")
    assert shown(wizard, "weightDriftBanner")
    assert not shown(wizard, "weightDriftOverrideBanner")
    press_next(wizard)
    assert overrides_required(wizard.preparation) == ()


def test_the_below_table_acknowledgement_claims_nothing_a_technician_cannot_confirm(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    fill_order(wizard, orderWeightEdit="44")
    press_next(wizard)
    walk_to(wizard, "weight")
    fill_weight(wizard, weight="44")
    box = find(wizard, QCheckBox, "weightBelowTableAck")
    assert box.text() == (
        "I have read the warning above. A pharmacist other than the preparer approves it, with a reason, at signing."
    )
    assert "as the pharmacist" not in box.text()
    box.click()
    press_next(wizard)
    # The pharmacist's decision is the override at signing, by a pharmacist other than the preparer.
    assert overrides_required(wizard.preparation) == wizard.preparation.dose.warnings  # type: ignore[union-attr]


def test_a_kit_expiring_before_the_infusion_date_is_not_called_expired(new_wizard: WizardFactory) -> None:
    wizard = new_wizard()
    fill_order(wizard, orderInfusionDateEdit="2026-12-01")  # today is 2026-11-29
    press_next(wizard)
    walk_to(wizard, "kit")
    scan(wizard, kit_code(expiry=date(2026, 11, 30), lot="SOON1"))  # expires tomorrow
    assert text_of(wizard, "kitStopMessage") == (
        "This kit expires on 2026-11-30 (lot SOON1), before the infusion date 2026-12-01: it cannot be used then. "
        "Set it aside and use a kit in date on the infusion date."
    )


def test_a_stop_met_at_next_replaces_the_green_verdict_of_the_scan(new_wizard: WizardFactory) -> None:
    def refuse_the_carton(_prep: Preparation, key: str) -> None:
        if key == "kit":
            raise CartonAlreadyUsed("This carton (serial “SER1”) is already used by another preparation.", "other")

    wizard = new_wizard(hook=refuse_the_carton)
    walk_to(wizard, "kit")
    fill_kit(wizard)
    assert text_of(wizard, "kitScanResultMessage").startswith("This is the kit for this dose")
    wizard.next_button().click()
    assert wizard.current_key() == "kit"
    assert text_of(wizard, "kitStopMessage").startswith("This carton (serial “SER1”) is already used")
    assert text_of(wizard, "kitScanResultMessage") == ""  # one verdict per scan
