from datetime import date
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.checks import (
    CheckContext,
    InputKind,
    Section,
    Source,
    merge_site_checklist,
    parse_volume_ml,
    problem_with,
    standard_checklist,
)
from hemgenix_desktop.domain.errors import DataFileError, DrawnVolumeMismatch, FailedInspection, InvalidInput

CTX = CheckContext(dose_ml=Decimal("144"), preparation_date=date(2026, 11, 28))


def test_checklist_covers_the_facts() -> None:
    checklist = standard_checklist()
    prep = {i.id for i in checklist.section(Section.PREPARATION)}
    admin = {i.id for i in checklist.section(Section.ADMINISTRATION)}
    assert {
        "engineering_control",
        "engineering_control_id",
        "aseptic_technique",
        "uv_lamp_off",
        "visual_inspection",
        "diluent_sodium_chloride",
        "diluent_lot",
        "diluent_expiry",
        "volume_drawn_ml",
        "protected_from_light",
    } <= prep
    assert {
        "single_dose_iv",
        "no_push_or_bolus",
        "own_line",
        "no_central_line",
        "inline_filter",
        "infusion_rate",
        "complete_within_24h",
    } <= admin
    for item in checklist.items:
        assert item.source in (Source.POLICY, Source.LABEL, Source.SITE)
        assert item.source_ref


def test_placeholders_fill_in() -> None:
    item = standard_checklist().get("complete_within_24h")
    assert item.render(complete_by="14:30 on 29 Nov 2026") == (
        "The infusion must be completed by 14:30 on 29 Nov 2026 (24 hours after preparation)"
    )


def test_unticked_box_is_not_complete() -> None:
    item = standard_checklist().get("uv_lamp_off")
    assert item.input is InputKind.TICK
    assert problem_with(item, None, CTX) == (
        "Confirm: The ultraviolet (UV) disinfection lamp is off: Hemgenix is not exposed to UV light."
    )
    assert problem_with(item, True, CTX) is None


def test_failed_inspection_stops() -> None:
    item = standard_checklist().get("visual_inspection")
    with pytest.raises(FailedInspection) as caught:
        problem_with(item, "Fails inspection (particles or discoloration)", CTX)
    assert caught.value.message.startswith("The product fails visual inspection. Do not use it")
    assert problem_with(item, "Passes inspection", CTX) is None


def test_drawn_volume_must_equal_the_dose() -> None:
    item = standard_checklist().get("volume_drawn_ml")
    assert problem_with(item, Decimal("144.0"), CTX) is None
    with pytest.raises(DrawnVolumeMismatch) as caught:
        problem_with(item, Decimal("150"), CTX)
    assert caught.value.message == (
        "The volume drawn up, 150 mL, is not the dose volume 144 mL. Stop: draw up exactly the dose volume before you "
        "continue."
    )


def test_expired_diluent_is_refused() -> None:
    item = standard_checklist().get("diluent_expiry")
    assert problem_with(item, date(2026, 11, 27), CTX) == (
        "The 0.9% sodium chloride expiry date 2026-11-27 has passed. Use an in-date bag and enter its details."
    )
    assert problem_with(item, date(2026, 11, 28), CTX) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the volume drawn up, as a number of mL."),
        ("14,4", "The volume has a comma. Use a decimal point (.) instead."),
        ("lots", "“lots” is not a volume. Type the mL drawn up as a number."),
        ("-3", "The volume must be a number of mL greater than zero."),
        ("NaN", "The volume must be a number of mL greater than zero."),
    ],
)
def test_volume_parsing(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_volume_ml(text)
    assert caught.value.message == message
    assert parse_volume_ml("144 mL") == Decimal("144")


SITE_ADD = """
[[item]]
id = "second_person_witness"
section = "preparation"
input = "tick"
text = "A second person watched the withdrawal"
source = "site"
source_ref = "Site SOP 12"
"""


def test_a_site_may_add_items() -> None:
    merged = merge_site_checklist(standard_checklist(), SITE_ADD, "site.toml")
    assert merged.items[-1].id == "second_person_witness"
    assert len(merged.items) == len(standard_checklist().items) + 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('remove = ["uv_lamp_off"]', "items from the policy or the label cannot be removed"),
        ('remove = ["inline_filter"]', "items from the policy or the label cannot be removed"),
        (SITE_ADD.replace('source = "site"', 'source = "policy"'), 'must have source = "site"'),
        (SITE_ADD.replace("second_person_witness", "uv_lamp_off"), "already exist in the standard checklist"),
        ("[[item]\n", "is not valid TOML"),
    ],
)
def test_a_site_cannot_remove_policy_or_label_items(text: str, fragment: str) -> None:
    with pytest.raises(DataFileError) as caught:
        merge_site_checklist(standard_checklist(), text, "site.toml")
    assert fragment in caught.value.message
