"""Drive the wizard the way an operator does: type, choose, tick, scan, press Next.

Plain functions on a built wizard (no qtbot needed), shared by the tests and scripts/screenshots.py. Typing,
clicking, ticking, choosing and scanning are the program's own driver, hemgenix_desktop/ui/driving.py, the one the
smoke test (``hemgenix-prep smoke-test``) drives the real wizard with; this module adds the 72 kg patient's values,
page by page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from hemgenix_desktop.domain.carton import format_element_string
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Signer
from hemgenix_desktop.ui.driving import choose, click, find, scan, tick, type_text
from hemgenix_desktop.ui.widgets import ChoiceGroup
from hemgenix_desktop.ui.wizard import PageHook, PreparationWizard

NOW = datetime(2026, 11, 29, 13, 30, tzinfo=UTC)  # a Sunday
TODAY = NOW.date()

ORDER = {
    "orderPatientNameEdit": "Alex Example",
    "orderDateOfBirthEdit": "1980-03-15",
    "orderMrnEdit": "MRN-0001",
    "orderPatientIdEdit": "HGX-PSI-7731",
    "orderNumberEdit": "ORD-1",
    "orderPrescriberEdit": "Dr. Rivera",
    "orderAuthorizationEdit": "PA-99",
    "orderWeightEdit": "72",
    "orderWeightDateEdit": "2026-11-20",
    "orderInfusionDateEdit": "2026-11-29",
}


def kit_code(vials: int = 15, expiry: date = date(2027, 5, 31), lot: str = "LOT1", serial: str = "SER1") -> str:
    """What a wedge scanner sends for a Hemgenix kit carton: ]d2, then the element string with GS."""
    kit = kit_catalogue().by_vials(vials)
    assert kit is not None
    return "]d2" + format_element_string(kit.gtin, expiry, lot, serial)


def make_wizard(
    preparation: Preparation | None = None,
    *,
    practice: bool = False,
    gs_standin: str | None = None,
    hook: PageHook | None = None,
    attribute_to: Callable[[], Signer | None] | None = None,
    lab_results_newer_than_days: int = 0,
) -> PreparationWizard:
    return PreparationWizard(
        preparation if preparation is not None else Preparation(),
        practice=practice,
        gs_standin=gs_standin,
        on_page_committed=hook,
        now=lambda: NOW,
        tz=UTC,
        attribute_to=attribute_to,
        lab_results_newer_than_days=lab_results_newer_than_days,
    )


def text_of(wizard: QWidget, name: str) -> str:
    return find(wizard, QLabel, name).text()


def next_enabled(wizard: PreparationWizard) -> bool:
    return wizard.next_button().isEnabled()


def press_next(wizard: PreparationWizard) -> None:
    """Press Next (or Finish on the last page) as the operator would; it must be enabled and advance."""
    before = wizard.currentId()
    assert wizard.next_button().isEnabled(), f"Next is disabled on {wizard.current_key()}"
    wizard.next_button().click()
    assert wizard.currentId() == before + 1, f"the wizard did not leave {wizard.current_key()}"


# --- page fillers ----------------------------------------------------------------------------------
def fill_order(wizard: QWidget, unit: str | None = "kg", **overrides: str) -> None:
    for name, value in {**ORDER, **overrides}.items():
        type_text(wizard, name, value)
    if unit is not None:
        click(wizard, "orderWeightUnitKg" if unit == "kg" else "orderWeightUnitLb")


LAB_DATE = "2026-11-16"  # the laboratory results' date, before ORDER's infusion date
LABORATORY = "Central Coagulation Laboratory"


def fill_eligibility(
    wizard: QWidget,
    *,
    authorization: bool = True,
    prior_therapy: bool = False,
    inhibitor: str = "0.1",
    titre: str = "1:300",
    assay: int = 9,
    tested: str = LAB_DATE,
    laboratory: str = LABORATORY,
    inhibitor_limit: str = "",
    titre_limit: str = "",
) -> None:
    """The criteria, each laboratory result as reported with its date and laboratory (and the detection limit
    given with a word)."""
    click(wizard, "eligibilityAuthorizationYes" if authorization else "eligibilityAuthorizationNo")
    click(wizard, "eligibilityPriorGeneTherapyYes" if prior_therapy else "eligibilityPriorGeneTherapyNo")
    fill_result(wizard, "Inhibitor", inhibitor, tested, laboratory, inhibitor_limit)
    fill_result(wizard, "Titre", titre, tested, laboratory, titre_limit)
    click(wizard, f"eligibilityAssay{assay}")


def fill_result(wizard: QWidget, key: str, reported: str, tested: str, laboratory: str, limit: str = "") -> None:
    """One result's fields (``key``: Inhibitor, Retest or Titre), typed as the laboratory reported them."""
    type_text(wizard, f"eligibility{key}Edit", reported)
    type_text(wizard, f"eligibility{key}DateEdit", tested)
    type_text(wizard, f"eligibility{key}LabEdit", laboratory)
    type_text(wizard, f"eligibility{key}LimitEdit", limit)


def fill_identity(wizard: QWidget, identifier: str = "HGX-PSI-7731", born: str = "1980-03-15") -> None:
    type_text(wizard, "identityCartonIdEdit", identifier)
    type_text(wizard, "identityDateOfBirthEdit", born)
    click(wizard, "identityCheckButton")


def fill_weight(
    wizard: QWidget,
    weight: str = "72",
    unit: str = "kg",
    measured: str = "2026-11-29 08:15",
    method: str = "Standing scale",
) -> None:
    type_text(wizard, "weightEdit", weight)
    click(wizard, "weightUnitKg" if unit == "kg" else "weightUnitLb")
    type_text(wizard, "weightMeasuredAtEdit", measured)
    choose(wizard, "weightMethodCombo", method)


def fill_kit(wizard: QWidget, code: str | None = None, count: str = "15") -> None:
    scan(wizard, code if code is not None else kit_code())
    type_text(wizard, "kitVialCountEdit", count)


PREPARATION_ANSWERS: dict[str, str | bool] = {
    "engineering_control": "Biological safety cabinet",
    "engineering_control_id": "BSC-2",
    "aseptic_technique": True,
    "uv_lamp_off": True,
    "visual_inspection": "Passes inspection",
    "diluent_sodium_chloride": True,
    "diluent_lot": "NS-4471",
    "diluent_expiry": "2027-03-31",
    "volume_drawn_ml": "144",
    "final_volume_ml": "394",
    "visual_inspection_diluted": "Passes inspection",
    "protected_from_light": True,
}


def answer_check(wizard: QWidget, item_id: str, value: str | bool) -> None:
    name = f"checkItem_{item_id}"
    if isinstance(value, bool):
        tick(wizard, name, value)
        return
    edit = wizard.findChild(QLineEdit, name)
    if edit is not None:
        type_text(wizard, name, value)
        return
    group = find(wizard, ChoiceGroup, name)
    group.buttons[value].click()


def fill_preparation(wizard: QWidget, **overrides: str | bool) -> None:
    for item_id, value in {**PREPARATION_ANSWERS, **overrides}.items():
        answer_check(wizard, item_id, value)


ADMINISTRATION_ITEMS = (
    "single_dose_iv",
    "no_push_or_bolus",
    "own_line",
    "no_central_line",
    "inline_filter",
    "infusion_rate",
    "complete_within_24h",
)


def fill_administration(wizard: QWidget) -> None:
    for item_id in ADMINISTRATION_ITEMS:
        tick(wizard, f"checkItem_{item_id}")


FILLERS: dict[str, Callable[[PreparationWizard], None]] = {
    "order": fill_order,
    "eligibility": fill_eligibility,
    "identity": fill_identity,
    "weight": fill_weight,
    "kit": fill_kit,
    "preparation": fill_preparation,
    "administration": fill_administration,
}


def walk_to(wizard: PreparationWizard, key: str) -> None:
    """Fill every page before ``key`` with the 72 kg patient's values and press Next on each."""
    while wizard.current_key() != key:
        FILLERS[wizard.current_key()](wizard)
        press_next(wizard)
