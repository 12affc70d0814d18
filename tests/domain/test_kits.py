"""The kit catalogue reproduces the payer policy's table, and the loader refuses a broken file."""

from decimal import Decimal
from pathlib import Path

import pytest

from hemgenix_desktop.domain.dose import calculate_dose
from hemgenix_desktop.domain.errors import DataFileError, NoKitForDose
from hemgenix_desktop.domain.kits import choose_kit, kit_catalogue, load_kits
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.resource_locator import resource_path
from tests.cli.policy import POLICY_TABLE, policy_rows

HERE = Path(__file__).resolve().parent
POLICY_FILE = HERE.parents[2] / "shared" / "reference" / "000_9cdb0663509e1b10.txt"


def test_the_copy_of_the_policy_table_matches_the_policy_when_it_is_here() -> None:
    if not POLICY_FILE.exists():
        pytest.skip("shared/reference is not beside this checkout")
    text = POLICY_FILE.read_text()
    for line in POLICY_TABLE.read_text().splitlines():
        assert line in text


def test_catalogue_has_39_kits_and_names_its_source() -> None:
    catalogue = kit_catalogue()
    assert len(catalogue) == 39
    assert [k.vials for k in catalogue] == list(range(10, 49))
    assert "Blue Cross and Blue Shield of Kansas" in catalogue.source


@pytest.mark.parametrize(("vials", "low", "high", "total", "ndc"), policy_rows())
def test_every_policy_row_is_reproduced(vials: int, low: int, high: int, total: int, ndc: str) -> None:
    kit = kit_catalogue().by_vials(vials)
    assert kit is not None
    assert (kit.weight_low_kg, kit.weight_high_kg, kit.total_ml, kit.ndc11) == (low, high, total, ndc)
    assert kit.ndc10 == ndc[1:]
    assert kit.gtin == "003" + kit.ndc10.replace("-", "") + kit.gtin[-1]
    for weight in (low, high):
        calc = calculate_dose(parse_weight(str(weight), "kg"))
        assert calc.vials == vials
        assert calc.kit_choice.kit == kit
        assert calc.supplied_ml == total
        assert calc.warnings == ()


def test_gtin_examples_from_the_facts() -> None:
    by_vials = kit_catalogue().by_vials
    assert by_vials(30).gtin == "00300530300305"  # type: ignore[union-attr]
    assert by_vials(15).gtin == "00300530150153"  # type: ignore[union-attr]


def test_fewer_than_ten_vials_take_the_smallest_kit_with_a_warning() -> None:
    choice = choose_kit(9, Decimal("45"))
    assert choice.kit.vials == 10
    assert choice.warnings == (
        "The weight 45 kg is below the policy's kit table (45 kg or less needs fewer than 10 vials; this dose "
        "needs 9). The smallest kit, 10 vials, covers the dose and the surplus is discarded. A pharmacist other than "
        "the preparer must approve it at signing, with a reason (an override).",
    )


def test_more_than_48_vials_is_a_clinical_stop() -> None:
    with pytest.raises(NoKitForDose) as caught:
        choose_kit(49, Decimal("240.1"))
    assert caught.value.message == (
        "No Hemgenix kit holds this dose: 240.1 kg needs 49 vials and the largest kit has 48 (for up to 240 kg). "
        "Do not prepare; contact the prescriber."
    )


def shipped() -> str:
    return resource_path("kits.csv").read_text()


def broken(old: str, new: str) -> str:
    text = shipped()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            broken(
                "15,71,75,150,00053-0150-15,0053-0150-15,00300530150153",
                "15,71,75,150,00053-0150-15,0053-0150-15,00300530150154",
            ),
            "the GTIN 00300530150154 is not valid",
        ),
        (
            broken(
                "15,71,75,150,00053-0150-15,0053-0150-15,00300530150153",
                "15,71,75,150,00053-0160-16,0053-0160-16,00300530150153",
            ),
            "the GTIN 00300530150153 does not carry the NDC 0053-0160-16",
        ),
        (
            broken("15,71,75,150,00053-0150-15", "15,71,75,150,00053-0150-16"),
            "the policy NDC 00053-0150-16 does not match the 10-digit NDC 0053-0150-15",
        ),
        (broken("15,71,75,150", "15,76,80,150"), "weight band 76–80 kg does not match 15 vials"),
        (broken("15,71,75,150", "15,71,75,160"), "total volume 160 mL is not 15 × 10 mL"),
        (broken("15,71,75,150", "16,71,75,160"), "weight band 71–75 kg does not match 16 vials"),
        (broken("vials,weight_low_kg", "vial,weight_low_kg"), "the columns must be"),
        ("\n".join(ln for ln in shipped().splitlines() if not ln.startswith("48,")), "missing: [48]"),
        (broken("15,71,75", "fifteen,71,75"), "must be whole numbers"),
    ],
)
def test_loader_refuses_a_broken_table(text: str, fragment: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_kits(text, "kits.csv")
    assert fragment in caught.value.message
