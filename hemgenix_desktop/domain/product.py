"""Product facts from ``resources/product.toml`` (dose factors, weight limits, administration)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from hemgenix_desktop.domain.errors import DataFileError
from hemgenix_desktop.resource_locator import resource_path


@dataclass(frozen=True)
class ProductFacts:
    name: str
    generic_name: str
    manufacturer: str
    hcpcs: str
    hcpcs_units_per_dose: int
    vial_ndc10: str
    labeler_prefix: str
    ml_per_kg: Decimal
    gc_per_kg: Decimal
    gc_per_ml: Decimal
    extractable_ml_per_vial: Decimal
    min_weight_kg: Decimal
    max_weight_kg: Decimal
    lb_to_kg: Decimal
    rate_ml_per_h: Decimal
    rate_confirmed: bool
    complete_within_hours: int
    storage_after_dilution: str
    filter_text: str


def _dec(table: dict[str, Any], key: str, where: str) -> Decimal:
    try:
        value = Decimal(str(table[key]))
    except (KeyError, InvalidOperation) as exc:
        raise DataFileError(f"{where}: the value '{key}' is missing or not a number.") from exc
    if not value.is_finite() or value <= 0:
        raise DataFileError(f"{where}: the value '{key}' must be a positive number.")
    return value


def load_product_facts(path: Path) -> ProductFacts:
    where = f"The product file {path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        product, dose, weight, admin = data["product"], data["dose"], data["weight"], data["administration"]
        facts = ProductFacts(
            name=str(product["name"]),
            generic_name=str(product["generic_name"]),
            manufacturer=str(product["manufacturer"]),
            hcpcs=str(product["hcpcs"]),
            hcpcs_units_per_dose=int(product["hcpcs_units_per_dose"]),
            vial_ndc10=str(product["vial_ndc10"]),
            labeler_prefix=str(product["labeler_prefix"]),
            ml_per_kg=_dec(dose, "ml_per_kg", where),
            gc_per_kg=_dec(dose, "gc_per_kg", where),
            gc_per_ml=_dec(dose, "gc_per_ml", where),
            extractable_ml_per_vial=_dec(dose, "extractable_ml_per_vial", where),
            min_weight_kg=_dec(weight, "min_kg", where),
            max_weight_kg=_dec(weight, "max_kg", where),
            lb_to_kg=_dec(weight, "lb_to_kg", where),
            rate_ml_per_h=_dec(admin, "rate_ml_per_h", where),
            rate_confirmed=bool(admin["rate_confirmed"]),
            complete_within_hours=int(admin["complete_within_hours"]),
            storage_after_dilution=str(admin["storage_after_dilution"]),
            filter_text=str(admin["filter"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{where} cannot be used: {exc}. Reinstall Hemgenix Prep.") from exc
    if facts.gc_per_ml * facts.ml_per_kg != facts.gc_per_kg:
        raise DataFileError(f"{where} disagrees with itself: gc_per_ml × ml_per_kg must equal gc_per_kg.")
    if facts.min_weight_kg >= facts.max_weight_kg:
        raise DataFileError(f"{where}: min_kg must be below max_kg.")
    return facts


@cache
def product_facts() -> ProductFacts:
    """The facts shipped in resources/product.toml (loaded once)."""
    return load_product_facts(resource_path("product.toml"))
