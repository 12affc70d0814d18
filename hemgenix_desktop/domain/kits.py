"""The catalogue of Hemgenix kits (``resources/kits.csv``) and the choice of kit for a dose."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from hemgenix_desktop.domain.errors import DataFileError, NoKitForDose
from hemgenix_desktop.domain.product import ProductFacts, product_facts
from hemgenix_desktop.resource_locator import resource_path

_COLUMNS = ["vials", "weight_low_kg", "weight_high_kg", "total_ml", "ndc_policy", "ndc10", "gtin"]
SMALLEST_KIT = 10
LARGEST_KIT = 48


@dataclass(frozen=True)
class Kit:
    vials: int
    weight_low_kg: int
    weight_high_kg: int
    total_ml: int
    ndc11: str  # the 11-digit billing form, as printed in the policy (5-4-2)
    ndc10: str  # the labeler's 10-digit form (4-4-2)
    gtin: str  # GTIN-14 on the carton's DataMatrix

    @property
    def weight_band_kg(self) -> tuple[int, int]:
        return (self.weight_low_kg, self.weight_high_kg)


def ndc10_digits(ndc: str) -> str:
    return ndc.replace("-", "")


def ndc11_from_ndc10(ndc10: str) -> str:
    """Convert a hyphenated 10-digit NDC to the 11-digit 5-4-2 billing form by zero-padding its short part."""
    parts = ndc10.split("-")
    if len(parts) != 3 or sum(len(p) for p in parts) != 10 or not all(p.isdigit() for p in parts):
        raise ValueError(f"{ndc10!r} is not a hyphenated 10-digit NDC")
    labeler, product, package = parts
    return f"{labeler.zfill(5)}-{product.zfill(4)}-{package.zfill(2)}"


def vials_for_ml(dose_ml: Decimal, facts: ProductFacts | None = None) -> int:
    """Vials needed: dose mL ÷ extractable mL per vial, rounded up (the one place this rule lives)."""
    facts = facts or product_facts()
    return math.ceil(dose_ml / facts.extractable_ml_per_vial)


class KitCatalogue:
    """The kits, checked row by row when loaded."""

    def __init__(self, kits: list[Kit], source: str) -> None:
        self._by_vials = {kit.vials: kit for kit in kits}
        self._by_gtin = {kit.gtin: kit for kit in kits}
        self.source = source

    def __iter__(self) -> Iterator[Kit]:
        return iter(sorted(self._by_vials.values(), key=lambda k: k.vials))

    def __len__(self) -> int:
        return len(self._by_vials)

    def by_vials(self, vials: int) -> Kit | None:
        return self._by_vials.get(vials)

    def by_gtin(self, gtin: str) -> Kit | None:
        return self._by_gtin.get(gtin)

    @property
    def smallest(self) -> Kit:
        return self._by_vials[min(self._by_vials)]

    @property
    def largest(self) -> Kit:
        return self._by_vials[max(self._by_vials)]


def _check_row(row: dict[str, str], line: int, where: str, facts: ProductFacts) -> Kit:
    from biip import ParseError  # imported when the kit table is first loaded, not at start-up (about 0.1 s)
    from biip.gtin import Gtin

    def fail(what: str) -> DataFileError:
        return DataFileError(f"{where}, line {line}: {what}. The kit table cannot be used; reinstall it.")

    try:
        vials, low, high, total = (int(row[c]) for c in _COLUMNS[:4])
    except (TypeError, ValueError) as exc:
        raise fail("vials, weights and volume must be whole numbers") from exc
    ndc_policy, ndc10, gtin = (row[c] or "" for c in _COLUMNS[4:])
    if not SMALLEST_KIT <= vials <= LARGEST_KIT:
        raise fail(f"{vials} vials is outside the kit range {SMALLEST_KIT}–{LARGEST_KIT}")
    extractable = int(facts.extractable_ml_per_vial)
    if total != vials * extractable:
        raise fail(f"total volume {total} mL is not {vials} × {extractable} mL")
    # Band ↔ vials: every whole kg in the band needs exactly this many vials, and the band is as wide as the
    # kilograms one vial covers (mL per vial ÷ mL per kg).
    if high - low + 1 != facts.extractable_ml_per_vial / facts.ml_per_kg or any(
        vials_for_ml(facts.ml_per_kg * w, facts) != vials for w in (low, high)
    ):
        raise fail(f"weight band {low}–{high} kg does not match {vials} vials")
    if vials_for_ml(facts.ml_per_kg * (high + 1), facts) == vials:
        raise fail(f"weight band {low}–{high} kg stops short of what {vials} vials cover")
    try:
        expected11 = ndc11_from_ndc10(ndc10)
    except ValueError as exc:
        raise fail(f"ndc10 {ndc10!r} is not a hyphenated 10-digit NDC") from exc
    if ndc_policy != expected11:
        raise fail(f"the policy NDC {ndc_policy} does not match the 10-digit NDC {ndc10}")
    if not ndc10.startswith(facts.labeler_prefix + "-"):
        raise fail(f"the NDC {ndc10} is not from the Hemgenix labeler {facts.labeler_prefix}")
    try:
        parsed = Gtin.parse(gtin)
    except ParseError as exc:
        raise fail(f"the GTIN {gtin} is not valid ({exc})") from exc
    if len(gtin) != 14 or parsed.value != gtin:
        raise fail(f"the GTIN {gtin} is not a 14-digit GTIN")
    if ndc_from_gtin(gtin) != ndc10_digits(ndc10):
        raise fail(f"the GTIN {gtin} does not carry the NDC {ndc10}")
    return Kit(vials, low, high, total, ndc_policy, ndc10, gtin)


def ndc_from_gtin(gtin: str) -> str | None:
    """The 10 NDC digits a GTIN-14 carries ("0" + "03" + NDC + check), or None for a non-NDC GTIN.

    The one place NDC extraction lives: when the 12-digit NDC arrives in AI 715 (2033), extend here.
    """
    if len(gtin) == 14 and gtin.startswith("003"):
        return gtin[3:13]
    return None


def load_kits(text: str, where: str, facts: ProductFacts | None = None) -> KitCatalogue:
    """Parse and check a kit table. Raises :class:`DataFileError` naming the first broken row."""
    facts = facts or product_facts()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    source_lines = [
        ln.lstrip("# ").removeprefix("Source:").strip()
        for ln in text.splitlines()
        if ln.lstrip().startswith("# Source:")
    ]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if reader.fieldnames != _COLUMNS:
        raise DataFileError(f"{where}: the columns must be {', '.join(_COLUMNS)}. The kit table cannot be used.")
    kits: list[Kit] = []
    for number, row in enumerate(reader, start=2):
        kits.append(_check_row(row, number, where, facts))
    vial_counts = [k.vials for k in kits]
    expected = list(range(SMALLEST_KIT, LARGEST_KIT + 1))
    if sorted(vial_counts) != expected:
        missing = sorted(set(expected) - set(vial_counts))
        dupes = sorted({v for v in vial_counts if vial_counts.count(v) > 1})
        raise DataFileError(
            f"{where}: the table must hold each kit from {SMALLEST_KIT} to {LARGEST_KIT} vials once "
            f"(missing: {missing or 'none'}; repeated: {dupes or 'none'}). The kit table cannot be used."
        )
    return KitCatalogue(kits, source_lines[0] if source_lines else where)


def load_kits_file(path: Path) -> KitCatalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"The kit table {path} cannot be read ({exc}). Reinstall Hemgenix Prep.") from exc
    return load_kits(text, str(path))


@cache
def kit_catalogue() -> KitCatalogue:
    """The catalogue shipped in resources/kits.csv (loaded and checked once)."""
    return load_kits_file(resource_path("kits.csv"))


@dataclass(frozen=True)
class KitChoice:
    kit: Kit
    vials_needed: int
    warnings: tuple[str, ...]


# What a warning the wizard lets through needs, said in the same words where it is met and at signing (issue 21).
OVERRIDE_AT_SIGNING = "A pharmacist other than the preparer must approve it at signing, with a reason (an override)."


def below_table_warning(weight_kg: Decimal, vials_needed: int, kit: Kit) -> str:
    return (
        f"The weight {weight_kg} kg is below the policy's kit table (45 kg or less needs fewer than "
        f"{kit.vials} vials; this dose needs {vials_needed}). The smallest kit, {kit.vials} vials, covers the "
        f"dose and the surplus is discarded. {OVERRIDE_AT_SIGNING}"
    )


def choose_kit(vials_needed: int, weight_kg: Decimal, catalogue: KitCatalogue | None = None) -> KitChoice:
    """The kit whose vial count equals the vials needed.

    Fewer than the smallest kit: the smallest kit, with a warning. More than the largest: a clinical stop.
    """
    catalogue = catalogue or kit_catalogue()
    largest = catalogue.largest
    if vials_needed > largest.vials:
        raise NoKitForDose(
            f"No Hemgenix kit holds this dose: {weight_kg} kg needs {vials_needed} vials and the largest kit has "
            f"{largest.vials} (for up to {largest.weight_high_kg} kg). Do not prepare; contact the prescriber."
        )
    smallest = catalogue.smallest
    if vials_needed < smallest.vials:
        return KitChoice(smallest, vials_needed, (below_table_warning(weight_kg, vials_needed, smallest),))
    kit = catalogue.by_vials(vials_needed)
    if kit is None:  # the loader guarantees every count in range; keep the type checker and readers honest
        raise DataFileError(f"The kit table has no {vials_needed}-vial kit. Reinstall Hemgenix Prep.")
    return KitChoice(kit, vials_needed, ())
