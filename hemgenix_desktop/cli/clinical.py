"""``dose``, ``carton`` and ``kits``: the clinical core on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from typing import Any

from hemgenix_desktop.domain.carton import CartonScan, check_carton_for_mode, check_not_expired, parse_carton
from hemgenix_desktop.domain.dose import DoseCalculation, calculate_dose, format_gc
from hemgenix_desktop.domain.errors import CartonExpired, InvalidInput
from hemgenix_desktop.domain.kits import Kit, kit_catalogue
from hemgenix_desktop.domain.weight import WeightUnit, lb_rule, parse_weight
from hemgenix_desktop.settings import resolve_setting


def register(subparsers: Any) -> None:
    dose = subparsers.add_parser("dose", help="dose, vials and kit for a weight")
    dose.add_argument("weight", metavar="WEIGHT", help='the weight, optionally with its unit: 72, 72.5 kg, "160 lb"')
    dose.add_argument("--unit", choices=["kg", "lb"], default=None, help="unit when WEIGHT has none (default kg)")
    dose.add_argument("--json", action="store_true", help="print one JSON object")
    dose.set_defaults(func=run_dose)

    carton = subparsers.add_parser("carton", help="read a kit carton's GS1 DataMatrix text")
    carton.add_argument(
        "data", metavar="DATA", help="what the scanner sent, or the bracketed (01)…(17)…(10)…(21)… text"
    )
    carton.add_argument("--on", metavar="YYYY-MM-DD", help="date the kit must be in date on (default today)")
    carton.add_argument("--gs", metavar="CHAR", help="the character the scanner sends for the group separator")
    carton.add_argument("--json", action="store_true", help="print one JSON object")
    carton.set_defaults(func=run_carton)

    kits = subparsers.add_parser("kits", help="the 39 Hemgenix kits of the policy table")
    kits.add_argument("--json", action="store_true", help="print a JSON list")
    kits.set_defaults(func=run_kits)


def _num(value: Decimal) -> int | float:
    """A Decimal as a JSON number: an integer when whole, else a float of the exact decimal text."""
    return int(value) if value == value.to_integral_value() else float(value)


def _kit_json(kit: Kit) -> dict[str, Any]:
    return {
        "vials": kit.vials,
        "ndc": kit.ndc10,
        "ndc11": kit.ndc11,
        "gtin": kit.gtin,
        "weight_band_kg": [kit.weight_low_kg, kit.weight_high_kg],
        "total_ml": kit.total_ml,
    }


def dose_json(calc: DoseCalculation) -> dict[str, Any]:
    return {
        "weight_entered": calc.weight.entered,
        "weight_kg": _num(calc.weight.kg),
        "dose_ml": _num(calc.dose_ml),
        "dose_gc": _num(calc.dose_gc),
        "vials": calc.vials,
        "supplied_ml": _num(calc.supplied_ml),
        "surplus_ml": _num(calc.surplus_ml),
        "withdrawal": {
            "full_vials": calc.withdrawal.full_vials,
            "last_vial_ml": _num(calc.withdrawal.last_vial_ml),
        },
        "kit": _kit_json(calc.kit_choice.kit),
        "warnings": list(calc.warnings),
        "notices": list(calc.notices),
    }


def run_dose(args: argparse.Namespace) -> int:
    text: str = args.weight
    unit = args.unit
    if unit is None and not any(ch.isalpha() for ch in text):
        unit = "kg"
    calc = calculate_dose(parse_weight(text, unit))
    if args.json:
        print(json.dumps(dose_json(calc)))
    else:
        kit = calc.kit_choice.kit
        rows = [
            ("Weight", calc.weight.describe()),
            ("Dose", f"{calc.dose_ml} mL  ({format_gc(calc.dose_gc)} genome copies)"),
            ("Vials", f"{calc.vials}  ({calc.withdrawal.describe()})"),
            (
                "Kit",
                f"{kit.vials} vials, NDC {kit.ndc11} (GTIN {kit.gtin}), for {kit.weight_low_kg}–{kit.weight_high_kg} kg",
            ),
            ("Supplied", f"{calc.supplied_ml} mL, surplus {calc.surplus_ml} mL (discarded)"),
            ("Formula", calc.formula()),
        ]
        if calc.weight.unit is WeightUnit.LB:
            rows.insert(1, ("Conversion", lb_rule()))
        _print_table(rows)
        for warning in calc.warnings:
            print(f"WARNING: {warning}")
        for notice in calc.notices:
            print(f"NOTICE: {notice}")
    return 0


def _gs_standin(given: str | None) -> str | None:
    """``--gs`` when given (a bad one is refused by the parser: exit 2), else the gs_standin setting as the wizard
    has it (environment, settings file, default), whose bad value is a warning and not used."""
    if given is not None:
        return given
    resolved = resolve_setting("gs_standin")
    for warning in resolved.warnings:
        sys.stderr.write(f"Warning: {warning}\n")
    return str(resolved.value) or None


def carton_json(scan: CartonScan, on: date) -> dict[str, Any]:
    return {
        "gtin": scan.gtin,
        "ndc": scan.ndc10,
        "ndc11": scan.ndc11,
        "kit_vials": scan.kit_vials,
        "lot": scan.lot,
        "serial": scan.serial,
        "expiry": scan.expiry.isoformat(),
        "expired": scan.is_expired(on),
    }


def run_carton(args: argparse.Namespace) -> int:
    on = date.today()
    if args.on is not None:
        try:
            on = date.fromisoformat(args.on)
        except ValueError as exc:
            raise InvalidInput(f"“{args.on}” is not a date. Give --on as YYYY-MM-DD, for example 2026-12-01.") from exc
    scan = parse_carton(args.data, gs_standin=_gs_standin(args.gs))
    check_carton_for_mode(scan, practice=False)  # the command line has no practice mode
    if args.json:
        print(json.dumps(carton_json(scan, on)))
    else:
        _print_table(
            [
                ("Product", f"Hemgenix kit, {scan.kit_vials} vials"),
                ("NDC", f"{scan.ndc10} (billing {scan.ndc11})"),
                ("GTIN", scan.gtin),
                ("Lot", scan.lot),
                ("Expiry", scan.expiry.isoformat()),
                ("Serial", scan.serial),
            ]
        )
    try:
        check_not_expired(scan, on, today=min(on, date.today()))
    except CartonExpired:
        sys.stdout.flush()
        raise
    return 0


def run_kits(args: argparse.Namespace) -> int:
    catalogue = kit_catalogue()
    if args.json:
        print(json.dumps([_kit_json(kit) for kit in catalogue]))
        return 0
    print(f"{'Vials':>5}  {'Weight (kg)':<11}  {'Total mL':>8}  {'NDC (billing)':<13}  {'NDC (10-digit)':<14}  GTIN")
    for kit in catalogue:
        band = f"{kit.weight_low_kg}-{kit.weight_high_kg}"
        print(f"{kit.vials:>5}  {band:<11}  {kit.total_ml:>8}  {kit.ndc11:<13}  {kit.ndc10:<14}  {kit.gtin}")
    print(f"Source: {catalogue.source}")
    return 0


def _print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
