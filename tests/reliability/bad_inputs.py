"""The bad-input corpus: what people (and scanners) really type into each field, each with the sentence that
must come back, word for word.

``FIELDS`` names the domain function each field's page calls (one place per rule); ``CLI`` says how the
same text reaches the command line where a command takes it (``dose`` for a weight, ``carton`` for a scan).
tests/reliability/test_bad_inputs.py runs every row through both, and the scan rows through the wizard's
kit page too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from hemgenix_desktop.domain.carton import parse_carton, validate_gs_standin
from hemgenix_desktop.domain.checks import (
    CheckContext,
    load_checklist,
    parse_final_volume_ml,
    parse_volume_ml,
    problem_with,
)
from hemgenix_desktop.domain.entry import (
    check_weight_method,
    parse_vial_count,
)
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.lab_result import INHIBITOR_FORMS, TITRE_FORMS, Analyte, parse_reported
from hemgenix_desktop.domain.parsing import parse_date, parse_measured_at, require_text
from hemgenix_desktop.domain.weight import parse_weight

NOW = datetime(2026, 11, 29, 13, 30, tzinfo=UTC)  # the UI tests' clock
LONG = "9" * 10_000
GS = "\x1d"
GTIN = "00300530150153"  # the 15-vial kit
SCAN_AGAIN = "Scan the DataMatrix on the kit carton again."
GS_HINT = " If this repeats, check the scanner's group-separator setting."


def _weight(text: str) -> object:
    """As the dose command reads it: kg when the text names no unit."""
    return parse_weight(text, None if any(ch.isalpha() for ch in text) else "kg")


def _checklist_text(item_id: str) -> Callable[[str], object]:
    """A free-text item of the checklist, judged as the Preparation checks page judges it."""
    item = next(i for i in load_checklist().items if i.id == item_id)

    def check(text: str) -> object:
        problem = problem_with(item, text.strip() or None, CheckContext(dose_ml=None, preparation_date=NOW.date()))
        if problem is not None:
            raise InvalidInput(problem)
        return text.strip()

    return check


DILUENT_EXPIRY = "0.9% sodium chloride expiry date"  # the checklist item's text, lower-cased as the page does

FIELDS: dict[str, Callable[[str], object]] = {
    "weight": _weight,
    "weight in lb": lambda text: parse_weight(text, "lb"),
    "inhibitor": lambda text: parse_reported(Analyte.INHIBITOR, text),
    "titre": lambda text: parse_reported(Analyte.NAB_TITRE, text),
    "date of birth": lambda text: parse_date(text, "date of birth", example="1980-05-31"),
    "infusion date": lambda text: parse_date(text, "infusion date"),
    "weighed at": lambda text: parse_measured_at(text, NOW, UTC),
    "weight method": check_weight_method,
    "patient-specific identifier": lambda text: require_text(text, "patient-specific identifier from the order"),
    "carton identifier": lambda text: require_text(text, "patient-specific identifier on the carton"),
    "patient name": lambda text: require_text(text, "patient's full name"),
    "MRN": lambda text: require_text(text, "medical record number (MRN)"),
    "order number": lambda text: require_text(text, "order number"),
    "prescriber": lambda text: require_text(text, "prescriber's name"),
    "prior-authorization number": lambda text: require_text(text, "prior-authorization number"),
    "prescription weight date": lambda text: parse_date(text, "date of the prescription weight"),
    "cabinet or isolator ID": _checklist_text("engineering_control_id"),
    "diluent lot": _checklist_text("diluent_lot"),
    "diluent expiry": lambda text: parse_date(text, DILUENT_EXPIRY),
    "vial count": parse_vial_count,
    "volume drawn up": parse_volume_ml,
    "final volume": parse_final_volume_ml,
    "scan": parse_carton,
    "separator stand-in": validate_gs_standin,
}

CLI: dict[str, Callable[[str], list[str]]] = {
    "weight": lambda text: ["dose", "--", text],
    "weight in lb": lambda text: ["dose", "--unit", "lb", "--", text],
    "scan": lambda text: ["carton", "--", text],
    "separator stand-in": lambda text: ["carton", "--gs", text, "--", f"01{GTIN}1727053110LOT1{GS}21SER1"],
}


@dataclass(frozen=True)
class BadInput:
    field: str
    why: str
    text: str
    sentence: str
    stop: bool = False  # a clinical stop (exit code 3) rather than an input to correct (exit code 2)
    # What the wizard's page shows when it differs from the domain function's sentence: an empty checklist
    # item gets the checklist's own "Enter the …" sentence, which names the dose volume.
    on_screen: str | None = None


def _not_weight(text: str) -> str:
    return f"“{text}” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."


def _not_bu(text: str) -> str:
    return f"“{text}” is not an inhibitor result. {INHIBITOR_FORMS}"


def _not_titre(text: str) -> str:
    return f"“{text}” is not a titre. {TITRE_FORMS}"


def _not_dob(text: str) -> str:
    return f"“{text}” is not a date. Enter the date of birth as YYYY-MM-DD, for example 1980-05-31."


def _unreal(day: str, what: str) -> str:
    return f"{day} is not a real date. Check the {what} and enter it as YYYY-MM-DD."


def _not_vials(text: str) -> str:
    return f"“{text}” is not a number of vials. Type the number of vials you counted, in digits."


def _not_volume(text: str) -> str:
    return f"“{text}” is not a volume. Type the mL drawn up as a number."


def _not_final(text: str) -> str:
    return f"“{text}” is not a volume. Type the final volume in the bag as a number of mL."


def _control(what: str) -> str:
    return (
        f"The {what} contains a control character (such as a tab or a line break), which cannot be shown or "
        "printed. Type it again without it."
    )


def _unreadable(shown: str) -> str:
    return f"“{shown}” is not a readable GS1 carton code. {SCAN_AGAIN}"


def _foreign(shown: str) -> str:
    return (
        f"The scan contains “{shown}”, which a GS1 code never holds. If the scanner sends it for the group "
        f"separator, set it as the scanner's separator stand-in in Settings. {SCAN_AGAIN}"
    )


_SPACE = f"The scan contains a space, which a GS1 code never holds. {SCAN_AGAIN}"


def _twice(name: str) -> str:
    return f"The scan holds {name} twice, which a carton code never does: it may be two codes read as one. {SCAN_AGAIN}"


def _no(*names: str) -> str:
    hint = GS_HINT if names[-1].startswith("serial") else ""
    return f"The scan has no {' and no '.join(names)}. {SCAN_AGAIN}{hint}"


_EXAMPLE = "in digits with a decimal point if needed, then kg or lb"
_OUTSIDE = "is outside 20–400 kg. Check the weight and its unit."
_EXPIRY, _LOT, _SERIAL = "expiry date (AI 17)", "lot number (AI 10)", "serial number (AI 21)"
_WRONG_CHECK = "has a wrong check digit, so the scan was misread. " + SCAN_AGAIN
_STANDIN = (
    "cannot stand in for the group separator: it must be one printable character that GS1 data never "
    "contains, such as | or ~ or ^."
)
_METHODS = "Choose how the weight was measured: standing scale, bed scale, chair scale or wheelchair scale."

BAD_INPUTS: list[BadInput] = [
    # --- weight ---------------------------------------------------------------------------------------
    BadInput("weight", "empty", "", f"Enter the weight, {_EXAMPLE}."),
    BadInput("weight", "spaces only", "   ", f"Enter the weight, {_EXAMPLE}."),
    BadInput("weight", "a word", "seventy", _not_weight("seventy")),
    BadInput("weight", "decimal comma", "72,5", "The weight has a comma. Use a decimal point (a full stop) instead."),
    BadInput(
        "weight",
        "two decimal points",
        "72..5",
        "The weight has more than one decimal point. Type it with one decimal point only.",
    ),
    BadInput("weight", "negative", "-72", "The weight must be more than zero. Check the weight and type it again."),
    BadInput("weight", "zero", "0.0", "The weight must be more than zero. Check the weight and type it again."),
    BadInput(
        "weight", "three decimals", "72.555", "Give the weight with at most two decimal places, as the scale shows it."
    ),
    BadInput("weight", "wrong unit: stone", "11 st", "“st” is not a weight unit. Use kg or lb."),
    BadInput("weight", "wrong unit: grams", "72000 g", "“g” is not a weight unit. Use kg or lb."),
    BadInput("weight", "Cyrillic unit кг", "72 кг", _not_weight("72 кг")),
    BadInput("weight", "fullwidth digits", "７２", _not_weight("７２")),
    BadInput("weight", "Arabic-Indic digits", "٧٢", _not_weight("٧٢")),
    BadInput("weight", "NUL after the number", "72\x00", _not_weight("72\x00")),
    BadInput(
        "weight",
        "10,000 characters",
        LONG,
        f"That is too long to be a weight. Type a number and its unit, {_EXAMPLE}.",
    ),
    BadInput("weight", "exponent", "1e2", _not_weight("1e2")),
    BadInput("weight", "SQL fragment", "72; DROP TABLE preparations;--", _not_weight("72; DROP TABLE preparations;--")),
    BadInput("weight", "script fragment", "<script>alert(1)</script>", _not_weight("<script>alert(1)</script>")),
    BadInput("weight", "NaN", "NaN", _not_weight("NaN")),
    BadInput("weight", "hex", "0x48", _not_weight("0x48")),
    BadInput("weight", "a fraction", "1/2", _not_weight("1/2")),
    BadInput("weight", "vulgar fraction", "72 ½", _not_weight("72 ½")),
    BadInput("weight", "two units", "72 kg lb", _not_weight("72 kg lb")),
    BadInput("weight", "unit only", "kg", f"Enter the weight as a number, {_EXAMPLE}."),
    BadInput("weight", "a child's weight in kg", "5", f"5 kg {_OUTSIDE}"),
    BadInput("weight", "wrong unit: pounds read as kg", "1000 lb", f"1000 lb = 453.59 kg {_OUTSIDE}"),
    BadInput("weight", "absurd", "99999", f"99999 kg {_OUTSIDE}"),
    BadInput(
        "weight in lb",
        "wrong unit: kg typed, lb chosen",
        "72 kg",
        "The weight says kg but the unit chosen is lb. Choose the unit the scale shows.",
    ),
    # --- eligibility: inhibitor and titre ------------------------------------------------------------
    BadInput(
        "inhibitor",
        "empty",
        "",
        "Enter the factor IX inhibitor result as the laboratory reported it, for example 0.2, <0.5 BU or negative.",
    ),
    BadInput("inhibitor", "a word no laboratory prints", "unclear", _not_bu("unclear")),
    BadInput(
        "inhibitor", "decimal comma", "0,3", "The inhibitor result has a comma. Use a decimal point, for example 0.2."
    ),
    BadInput("inhibitor", "negative", "-0.2", _not_bu("-0.2")),
    BadInput("inhibitor", "wrong unit: mg", "0.3 mg", _not_bu("0.3 mg")),
    BadInput("inhibitor", "fullwidth digits", "０.３", _not_bu("０.３")),
    BadInput("inhibitor", "exponent", "1e-1", _not_bu("1e-1")),
    BadInput("inhibitor", "SQL fragment", "0.3; DROP TABLE users", _not_bu("0.3; DROP TABLE users")),
    BadInput("inhibitor", "10,000 characters", LONG, _not_bu(LONG[:40])),
    BadInput("inhibitor", "greater-than without a number", ">", _not_bu(">")),
    BadInput(
        "inhibitor",
        "less than nothing",
        "<0",
        "“<0” allows no value: a result is never below 0. Check the laboratory report.",
    ),
    BadInput(
        "titre", "empty", " ", "Enter the anti-AAV5 antibody titre as the laboratory reported it, for example 1:400."
    ),
    BadInput("titre", "no denominator", "1:", _not_titre("1:")),
    BadInput("titre", "ratio not 1:N", "2:400", _not_titre("2:400")),
    BadInput("titre", "zero", "1:0", "A titre is 1:N with N at least 1. Check the laboratory report."),
    BadInput("titre", "slash, not 1/N", "2/400", _not_titre("2/400")),
    BadInput("titre", "fullwidth digits", "1:４００", _not_titre("1:４００")),
    BadInput("titre", "too many digits", "1:12345678", _not_titre("1:12345678")),
    BadInput("titre", "10,000 characters", LONG, _not_titre(LONG[:40])),
    BadInput("titre", "less-than a word", "<negative", _not_titre("<negative")),
    BadInput("titre", "script fragment", "1:<script>", _not_titre("1:<script>")),
    # --- dates ---------------------------------------------------------------------------------------
    BadInput("date of birth", "empty", "", "Enter the date of birth as YYYY-MM-DD, for example 1980-05-31."),
    BadInput("date of birth", "2/30 (US order)", "2/30/1980", _not_dob("2/30/1980")),
    BadInput("date of birth", "30 February", "1980-02-30", _unreal("1980-02-30", "date of birth")),
    BadInput("date of birth", "29 February, not a leap year", "1981-02-29", _unreal("1981-02-29", "date of birth")),
    BadInput("date of birth", "month 13", "1980-13-01", _unreal("1980-13-01", "date of birth")),
    BadInput("date of birth", "month 00", "1980-00-10", _unreal("1980-00-10", "date of birth")),
    BadInput("date of birth", "two-digit year", "80-03-15", _not_dob("80-03-15")),
    BadInput("date of birth", "day first", "15/03/1980", _not_dob("15/03/1980")),
    BadInput("date of birth", "fullwidth digits", "１９８０-03-15", _not_dob("１９８０-03-15")),
    BadInput("date of birth", "Unicode hyphens", "1980‐03‐15", _not_dob("1980‐03‐15")),
    BadInput("date of birth", "NUL at the end", "1980-03-15\x00", _not_dob("1980-03-15\x00")),
    BadInput("date of birth", "10,000 characters", LONG, _not_dob(LONG[:40])),
    BadInput("date of birth", "a word", "yesterday", _not_dob("yesterday")),
    BadInput("date of birth", "SQL fragment", "1980-03-15';--", _not_dob("1980-03-15';--")),
    BadInput("infusion date", "30 February", "2026-02-30", _unreal("2026-02-30", "infusion date")),
    BadInput("infusion date", "31 November", "2026-11-31", _unreal("2026-11-31", "infusion date")),
    BadInput(
        "weighed at",
        "date without time",
        "2026-11-29",
        "“2026-11-29” is not a date and time. Enter when the weight was measured as YYYY-MM-DD HH:MM, for "
        "example 2026-11-29 13:30.",
    ),
    BadInput(
        "weighed at", "hour 25", "2026-11-29 25:00", "25:00 is not a time of day. Use 24-hour time, for example 08:15."
    ),
    BadInput(
        "weighed at",
        "30 February",
        "2026-02-30 08:15",
        _unreal("2026-02-30", "date the weight was measured"),
    ),
    BadInput(
        "weighed at",
        "tomorrow",
        "2026-11-30 08:15",
        "The weight cannot have been measured at 2026-11-30 08:15: that is in the future. Enter when the patient "
        "was weighed.",
    ),
    BadInput("weight method", "not one of the scales", "Garden scale", _METHODS),
    BadInput("weight method", "empty", "", _METHODS),
    # --- identifiers and names -----------------------------------------------------------------------
    BadInput("patient-specific identifier", "empty", "", "Enter the patient-specific identifier from the order."),
    BadInput(
        "patient-specific identifier", "a tab only", "\t", "Enter the patient-specific identifier from the order."
    ),
    BadInput(
        "patient-specific identifier",
        "10,000 characters",
        "X" * 10_000,
        "The patient-specific identifier from the order is too long: keep it under 200 characters.",
    ),
    BadInput(
        "patient-specific identifier",
        "NUL inside",
        "PSI\x00001",
        _control("patient-specific identifier from the order"),
    ),
    BadInput(
        "patient-specific identifier",
        "line break inside",
        "PSI\n7731",
        _control("patient-specific identifier from the order"),
    ),
    BadInput(
        "carton identifier", "bell character", "HGX\x07PSI", _control("patient-specific identifier on the carton")
    ),
    BadInput("carton identifier", "GS inside", "HGX\x1dPSI", _control("patient-specific identifier on the carton")),
    BadInput("patient name", "NUL inside", "Alex\x00Example", _control("patient's full name")),
    BadInput("patient name", "empty", "  ", "Enter the patient's full name."),
    BadInput("MRN", "DEL character", "MRN-1\x7f", _control("medical record number (MRN)")),
    BadInput(
        "MRN", "201 characters", "M" * 201, "The medical record number (MRN) is too long: keep it under 200 characters."
    ),
    BadInput("order number", "empty", "", "Enter the order number."),
    BadInput("order number", "NUL inside", "ORD\x00-1", _control("order number")),
    BadInput(
        "order number",
        "10,000 characters",
        "O" * 10_000,
        "The order number is too long: keep it under 200 characters.",
    ),
    BadInput("prescriber", "spaces only", "    ", "Enter the prescriber's name."),
    BadInput("prescriber", "line break inside", "Dr. Maria\nRivera", _control("prescriber's name")),
    BadInput("prior-authorization number", "a tab only", "\t", "Enter the prior-authorization number."),
    BadInput("prior-authorization number", "escape character", "PA-\x1b[2J99", _control("prior-authorization number")),
    BadInput(
        "prescription weight date",
        "2/30 (US order)",
        "2/30/2026",
        "“2/30/2026” is not a date. Enter the date of the prescription weight as YYYY-MM-DD, for example 2026-11-29.",
    ),
    BadInput(
        "prescription weight date",
        "30 February",
        "2026-02-30",
        _unreal("2026-02-30", "date of the prescription weight"),
    ),
    BadInput(
        "cabinet or isolator ID",
        "line break inside",
        "BSC\n2",
        "The cabinet or isolator ID contains a control character (such as a tab or a line break), which cannot be "
        "shown or printed. Type it again without it.",
    ),
    BadInput("cabinet or isolator ID", "spaces only", "   ", "Enter the cabinet or isolator ID."),
    BadInput(
        "diluent lot",
        "NUL inside",
        "NS\x004471",
        "The 0.9% sodium chloride lot number contains a control character (such as a tab or a line break), which "
        "cannot be shown or printed. Type it again without it.",
    ),
    BadInput(
        "diluent lot",
        "10,000 characters",
        "L" * 10_000,
        "The 0.9% sodium chloride lot number is too long: keep it under 200 characters.",
    ),
    BadInput("diluent expiry", "30 February", "2027-02-30", _unreal("2027-02-30", DILUENT_EXPIRY)),
    BadInput(
        "diluent expiry",
        "day first",
        "31/03/2027",
        f"“31/03/2027” is not a date. Enter the {DILUENT_EXPIRY} as YYYY-MM-DD, for example 2026-11-29.",
    ),
    # --- counts and volumes --------------------------------------------------------------------------
    BadInput("vial count", "empty", "", "Enter the number of vials you counted in the carton, in digits."),
    BadInput(
        "vial count", "zero", "000", "The vial count must be a whole number greater than zero. Count the vials again."
    ),
    BadInput("vial count", "a word", "fifteen", _not_vials("fifteen")),
    BadInput("vial count", "decimal", "15.0", _not_vials("15.0")),
    BadInput("vial count", "negative", "-15", _not_vials("-15")),
    BadInput("vial count", "fullwidth digits", "１５", _not_vials("１５")),
    BadInput("vial count", "with a unit (vials)", "15 vials", _not_vials("15 vials")),
    BadInput("vial count", "10,000 characters", LONG, _not_vials(LONG[:40])),
    BadInput("vial count", "SQL fragment", "15 OR 1=1;--", _not_vials("15 OR 1=1;--")),
    BadInput(
        "volume drawn up",
        "empty",
        "",
        "Enter the volume drawn up, as a number of mL.",
        on_screen="Enter the volume of Hemgenix drawn up (must be the dose volume, 144 mL).",
    ),
    BadInput("volume drawn up", "decimal comma", "14,4", "The volume has a comma. Use a decimal point (.) instead."),
    BadInput("volume drawn up", "negative", "-3", "The volume must be a number of mL greater than zero."),
    BadInput("volume drawn up", "NaN", "NaN", "The volume must be a number of mL greater than zero."),
    BadInput("volume drawn up", "exponent", "1.44e2", _not_volume("1.44e2")),
    BadInput("volume drawn up", "underscore", "1_440", _not_volume("1_440")),
    BadInput("volume drawn up", "plus sign", "+144", _not_volume("+144")),
    BadInput("volume drawn up", "wrong unit: litres", "144 L", _not_volume("144 L")),
    BadInput("volume drawn up", "fullwidth digits", "１４４", _not_volume("１４４")),
    BadInput(
        "volume drawn up",
        "10,000 digits",
        LONG,
        "The volume drawn up cannot be over 10,000 mL. Check the volume and type it again.",
    ),
    BadInput("volume drawn up", "SQL comment", "144;--", _not_volume("144;--")),
    BadInput("final volume", "words", "about 400", _not_final("about 400")),
    BadInput("final volume", "exponent", "3.94e2", _not_final("3.94e2")),
    BadInput("final volume", "script fragment", "<script>394</script>", _not_final("<script>394</script>")),
    BadInput("final volume", "zero", "0", "The final volume must be a number of mL greater than zero."),
    BadInput(
        "final volume",
        "20 litres",
        "20000",
        "The final volume in the bag cannot be over 10,000 mL. Check the volume and type it again.",
    ),
    # --- the scan field ------------------------------------------------------------------------------
    BadInput("scan", "empty", "", f"Nothing was scanned. {SCAN_AGAIN}"),
    BadInput("scan", "spaces only", "   ", f"Nothing was scanned. {SCAN_AGAIN}"),
    BadInput("scan", "10,000 characters", "x" * 10_000, f"The scan is far too long to be a carton code. {SCAN_AGAIN}"),
    BadInput("scan", "a bare ]", "]", f"The scan starts with an unknown symbology identifier. {SCAN_AGAIN}"),
    BadInput(
        "scan",
        "a QR code",
        "]Q1https://example.com",
        f"This code (]Q1) is not a GS1 barcode, so it is not the carton's DataMatrix. {SCAN_AGAIN}",
    ),
    BadInput("scan", "plain text", "hello", _unreadable("hello")),
    BadInput("scan", "GTIN only", f"01{GTIN}", _no(_EXPIRY, _LOT, _SERIAL)),
    BadInput("scan", "truncated after the lot (GS lost)", f"01{GTIN}1727053110LOT1", _no(_SERIAL)),
    BadInput("scan", "symbology identifier only", "]d2", f"The scan has no product code (GTIN, AI 01). {SCAN_AGAIN}"),
    BadInput("scan", "truncated with ]d2", f"]d201{GTIN}1727053110LOT1", _no(_SERIAL)),
    BadInput(
        "scan",
        "wrong check digit (bracketed)",
        "(01)00300530150154(17)270531(10)LOT1(21)SER1",
        f"The product code 00300530150154 {_WRONG_CHECK}",
    ),
    BadInput(
        "scan",
        "wrong check digit (with ]d2)",
        f"]d201003005301501541727053110LOT1{GS}21SER1",
        f"The product code 00300530150154 {_WRONG_CHECK}",
    ),
    BadInput(
        "scan",
        "wrong check digit (raw)",
        f"01003005301501541727053110LOT1{GS}21SER1",
        f"The product code 00300530150154 {_WRONG_CHECK}",
    ),
    BadInput(
        "scan",
        "expiry 30 February",
        f"(01){GTIN}(17)270230(10)LOT1(21)SER1",
        f"The expiry date in the scan is not a real date. {SCAN_AGAIN}",
    ),
    BadInput(
        "scan",
        "expiry month 13",
        f"(01){GTIN}(17)271340(10)LOT1(21)SER1",
        f"The expiry date in the scan is not a real date. {SCAN_AGAIN}",
    ),
    BadInput(
        "scan",
        "GTIN one digit short",
        "(01)0030053015015(17)270531(10)LOT1(21)SER1",
        _unreadable("(01)0030053015015(17)270531(10)LOT1(21)SER1"),
    ),
    BadInput("scan", "no serial (bracketed)", f"(01){GTIN}(17)270531(10)LOT1", _no(_SERIAL)),
    BadInput("scan", "no expiry", f"(01){GTIN}(10)LOT1(21)SER1", _no(_EXPIRY)),
    BadInput(
        "scan",
        "serial of 30 characters (GS1 allows 20)",
        f"(01){GTIN}(17)270531(10)LOT1(21)" + "S" * 30,
        _unreadable(f"(01){GTIN}(17)270531(10)LOT1(21)" + "S" * 17 + "…"),
    ),
    BadInput(
        "scan",
        "a non-ASCII letter in the lot",
        f"(01){GTIN}(17)270531(10)LÖT1(21)SER1",
        _unreadable(f"(01){GTIN}(17)270531(10)LÖT1(21)SER1"),
    ),
    BadInput(
        "scan",
        "not a Hemgenix kit",
        "(01)09506000134352(17)270531(10)LOT1(21)SER1",
        "This carton is not a Hemgenix kit: its code has GTIN 09506000134352, which carries no US NDC. Set it "
        "aside and scan the Hemgenix kit carton.",
        stop=True,
    ),
    BadInput(
        "scan",
        "a single vial's code",
        "(01)00300530099018(17)270531(10)LOT1(21)SER1",
        "This is the code of a single Hemgenix vial (NDC 0053-0099-01), not of the kit carton. Scan the "
        "DataMatrix on the outer carton.",
        stop=True,
    ),
    BadInput("scan", "stand-in | not configured", f"01{GTIN}1727053110LOT1|21SER1", _foreign("|")),
    BadInput("scan", "RS instead of GS", f"01{GTIN}1727053110LOT1\x1e21SER1", _foreign("·")),
    BadInput("scan", "NUL instead of GS", f"01{GTIN}1727053110LOT1\x0021SER1", _foreign("·")),
    BadInput("scan", "fullwidth first digit", f"０1{GTIN[1:]}1727053110LOT1{GS}21SER1", _foreign("０")),
    BadInput("scan", "SQL fragment", "'; DROP TABLE preparations;--", _SPACE),
    BadInput("scan", "spaces in the bracketed lot and serial", f"(01){GTIN}(17)281231(10)L O T(21)S T", _SPACE),
    BadInput(
        "scan", "a second expiry date", f"(01){GTIN}(17)281231(10)L(21)S(17)240101", _twice("the expiry date (AI 17)")
    ),
    BadInput(
        "scan",
        "a second GTIN (a 10-vial kit's)",
        f"(01){GTIN}(17)281231(10)L(21)S(01)00300530100103",
        _twice("the product code (GTIN, AI 01)"),
    ),
    BadInput(
        "scan", "a second lot (raw)", f"01{GTIN}1728123110L{GS}21S{GS}10OTHERLOT", _twice("the lot number (AI 10)")
    ),
    BadInput(
        "scan", "the same serial twice", f"(01){GTIN}(17)281231(10)L(21)S(21)S", _twice("the serial number (AI 21)")
    ),
    BadInput("scan", "script fragment", "<script>alert(1)</script>", _unreadable("<script>alert(1)</script>")),
    BadInput("separator stand-in", "a letter", "A", f"“A” {_STANDIN}"),
    BadInput("separator stand-in", "a GS1 character", "%", f"“%” {_STANDIN}"),
    BadInput("separator stand-in", "two characters", "||", f"“||” {_STANDIN}"),
    BadInput("separator stand-in", "a space", " ", f"“ ” {_STANDIN}"),
]


# --- what kinds of bad input the corpus holds (docs/reliability.md gives these counts) -----------------------
def _controls(row: BadInput) -> bool:
    """A control character that is not a scan's group separator (GS belongs in a GS1 scan)."""
    found = {ch for ch in row.text if unicodedata.category(ch) == "Cc"}
    return bool(found - {GS}) if row.field in ("scan", "separator stand-in") else bool(found)


def _gs1(row: BadInput) -> bool:
    """A GS1 carton code cut short, garbled or incomplete (not one that is whole but of another product)."""
    digits = row.text.replace("０", "0")
    return (
        row.field == "scan"
        and not row.stop
        and "check digit" not in row.why
        and re.search(r"\(?01\)?\d{12}", digits) is not None
    )


CATEGORIES: dict[str, Callable[[BadInput], bool]] = {
    "empty": lambda row: row.text == "",
    "spaces or other blanks only": lambda row: row.text != "" and row.text.strip() == "",
    "unicode look-alikes (fullwidth, Cyrillic, Arabic-Indic digits, Unicode hyphens, ½, Ö)": lambda row: any(
        ord(ch) > 127 for ch in row.text
    ),
    "control characters (NUL, tab, line break, bell, escape, DEL, RS)": _controls,
    "10,000-character strings": lambda row: len(row.text) >= 10_000,
    "SQL fragments": lambda row: re.search(r"DROP TABLE|;--", row.text) is not None,
    "script fragments": lambda row: "<script" in row.text,
    "wrong units": lambda row: "unit" in row.why or "litres" in row.why,
    "truncated or corrupted GS1 codes": _gs1,
    "wrong check digits": lambda row: "check digit" in row.why,
    "impossible dates and times (2/30, 30 February, month 13, hour 25)": lambda row: (
        re.search(r"2/30|February|month|November|hour 25", row.why) is not None
    ),
}


def category_counts() -> dict[str, int]:
    """How many rows of the corpus fall in each category (a row can be in several)."""
    return {name: sum(1 for row in BAD_INPUTS if test(row)) for name, test in CATEGORIES.items()}
