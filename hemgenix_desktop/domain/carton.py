"""What a scanner sends for the kit carton's GS1 DataMatrix: GTIN, NDC, lot, expiry, serial.

Accepted forms: the raw element string with GS (0x1D) separators, optionally prefixed by a symbology
identifier such as ``]d2``; the bracketed human-readable form ``(01)…(17)…(10)…(21)…``; and a configurable
stand-in for GS that keyboard-wedge scanners send (a character outside the GS1 character set).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hemgenix_desktop.domain.errors import (
    CartonExpired,
    InvalidInput,
    NotHemgenixKit,
    PracticeCarton,
    VialCodeScanned,
)
from hemgenix_desktop.domain.kits import KitCatalogue, kit_catalogue, ndc10_digits, ndc_from_gtin
from hemgenix_desktop.domain.product import ProductFacts, product_facts

GS = "\x1d"
# GS1 AI encodable character set 82 (GS1 General Specifications 7.11, figure 7.11-1).
GS1_CHARSET_82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")
_MAX_SCAN_LENGTH = 512
_SCAN_AGAIN = "Scan the DataMatrix on the kit carton again"
# The lot and serial of every carton code practice mode makes (hemgenix_desktop.practice) start with this: no real
# Hemgenix carton carries it, so a code that does is a practice carton and never a patient's kit.
PRACTICE_PREFIX = "PRACTICE-"
_ELEMENT_NAMES = {
    "01": "the product code (GTIN, AI 01)",
    "17": "the expiry date (AI 17)",
    "10": "the lot number (AI 10)",
    "21": "the serial number (AI 21)",
}
_RUN_TOGETHER = re.compile(r"01\d{14}17\d{6}10.+21.+")  # GTIN, expiry, then a lot running into a serial


class ScanForm(StrEnum):
    SCANNER_GS1 = "scanner (GS1 symbology identifier)"
    RAW = "raw element string"
    BRACKETED = "bracketed human-readable text"


@dataclass(frozen=True)
class CartonScan:
    """A kit carton identified from its DataMatrix."""

    raw: str
    form: ScanForm
    gtin: str
    ndc10: str  # hyphenated, from the kit table
    ndc11: str
    kit_vials: int
    lot: str
    expiry: date
    serial: str

    def is_expired(self, on: date) -> bool:
        """A kit may be used up to and including its expiry date."""
        return on > self.expiry


def validate_gs_standin(char: str | None) -> str | None:
    """A stand-in for GS must be one character outside the GS1 character set (or None for none)."""
    if char is None or char == "":
        return None
    if len(char) != 1 or char in GS1_CHARSET_82 or not char.isprintable() or char == " ":
        raise InvalidInput(
            f"“{char}” cannot stand in for the group separator: it must be one printable character that GS1 "
            "data never contains, such as | or ~ or ^."
        )
    return char


def _describe_gtin_ndc(gtin: str) -> str:
    ndc = ndc_from_gtin(gtin)
    return f"NDC {ndc}" if ndc is not None else f"GTIN {gtin}, which carries no US NDC"


def _visible(text: str) -> str:
    shown = "".join(ch if ch.isprintable() else "·" for ch in text)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def parse_carton(
    data: str,
    *,
    gs_standin: str | None = None,
    catalogue: KitCatalogue | None = None,
    facts: ProductFacts | None = None,
) -> CartonScan:
    """Parse a carton scan. Raises :class:`InvalidInput` for an unreadable or incomplete code and a
    :class:`ClinicalStop` (NotHemgenixKit, VialCodeScanned) for the wrong product."""
    # biip is imported on the first scan, not at start-up: importing it takes about 0.1 s.
    from biip import ParseConfig, ParseError
    from biip.gs1_messages import GS1Message
    from biip.symbology import SymbologyIdentifier

    catalogue = catalogue or kit_catalogue()
    facts = facts or product_facts()
    standin = validate_gs_standin(gs_standin)
    text = data.strip("\r\n\t ")
    if not text:
        raise InvalidInput(f"Nothing was scanned. {_SCAN_AGAIN}.")
    if len(text) > _MAX_SCAN_LENGTH:
        raise InvalidInput(f"The scan is far too long to be a carton code. {_SCAN_AGAIN}.")
    form = ScanForm.RAW
    if text.startswith("]"):
        try:
            symbology = SymbologyIdentifier.extract(text)
        except (ParseError, ValueError, IndexError) as exc:  # biip indexes past a bare "]"
            raise InvalidInput(f"The scan starts with an unknown symbology identifier. {_SCAN_AGAIN}.") from exc
        if symbology.gs1_symbology is None:
            raise InvalidInput(
                f"This code ({symbology.value}) is not a GS1 barcode, so it is not the carton's DataMatrix. "
                f"{_SCAN_AGAIN}."
            )
        text = text[len(symbology.value) :]
        form = ScanForm.SCANNER_GS1
    if standin is not None:
        text = text.replace(standin, GS)
    try:
        if text.startswith("("):
            form = ScanForm.BRACKETED
            # biip drops every blank from the bracketed form ("L O T" would read as lot "LOT"): refused instead
            blank = next((ch for ch in text if ch.isspace()), None)
            if blank is not None:
                raise InvalidInput(_foreign_character(blank))
            message = GS1Message.parse_hri(text, config=ParseConfig())
        else:
            bad = next((ch for ch in text if ch not in GS1_CHARSET_82 and ch != GS), None)
            if bad is not None:
                raise InvalidInput(_foreign_character(bad))
            message = GS1Message.parse(text, config=ParseConfig(separator_chars=[GS]))
    except (ParseError, ValueError, IndexError) as exc:
        if form is not ScanForm.BRACKETED and _run_together(text):
            raise InvalidInput(f"The scan cannot be read. {_no_separator(text, standin)}") from exc
        if "(17)" in str(exc):
            raise InvalidInput(f"The expiry date in the scan is not a real date. {_SCAN_AGAIN}.") from exc
        raise InvalidInput(f"“{_visible(text)}” is not a readable GS1 carton code. {_SCAN_AGAIN}.") from exc

    _refuse_a_repeated_element([found.ai.ai for found in message.element_strings])

    def element(ai: str) -> str | None:
        found = message.element_strings.get(ai=ai)
        return found.value if found is not None else None

    gtin_element = message.element_strings.get(ai="01")
    if gtin_element is None:
        raise InvalidInput(f"The scan has no product code (GTIN, AI 01). {_SCAN_AGAIN}.")
    gtin = gtin_element.value
    if gtin_element.gtin_error is not None or gtin_element.gtin is None:
        raise InvalidInput(f"The product code {gtin} has a wrong check digit, so the scan was misread. {_SCAN_AGAIN}.")
    required = (("17", "expiry date (AI 17)"), ("10", "lot number (AI 10)"), ("21", "serial number (AI 21)"))
    missing = [(ai, name) for ai, name in required if element(ai) is None]
    ndc = ndc_from_gtin(gtin)
    if ndc is not None and ndc == ndc10_digits(facts.vial_ndc10):
        raise VialCodeScanned(
            f"This is the code of a single Hemgenix vial (NDC {facts.vial_ndc10}), not of the kit carton. "
            "Scan the DataMatrix on the outer carton."
        )
    kit = catalogue.by_gtin(gtin)
    if kit is None:
        raise NotHemgenixKit(
            f"This carton is not a Hemgenix kit: its code has {_describe_gtin_ndc(gtin)}. Set it aside and scan "
            "the Hemgenix kit carton."
        )
    if missing:
        hint = " If this repeats, check the scanner's group-separator setting." if missing[-1][0] == "21" else ""
        names = " and no ".join(name for _, name in missing)
        if missing[-1][0] == "21" and _run_together(text):
            raise InvalidInput(f"The scan has no {names}. {_no_separator(text, standin)}")
        raise InvalidInput(f"The scan has no {names}. {_SCAN_AGAIN}.{hint}")
    expiry_element = message.element_strings.get(ai="17")
    assert expiry_element is not None
    if expiry_element.date is None:
        raise InvalidInput(f"The expiry date {expiry_element.value} is not a date. {_SCAN_AGAIN}.")
    lot, serial = element("10"), element("21")
    assert lot is not None
    assert serial is not None
    return CartonScan(
        raw=data,
        form=form,
        gtin=gtin,
        ndc10=kit.ndc10,
        ndc11=kit.ndc11,
        kit_vials=kit.vials,
        lot=lot,
        expiry=expiry_element.date,
        serial=serial,
    )


def _foreign_character(char: str) -> str:
    """The sentence for a character no GS1 code holds: a space is never a stand-in for GS (see
    :func:`validate_gs_standin`), any other might be the scanner's."""
    if char == " ":
        return f"The scan contains a space, which a GS1 code never holds. {_SCAN_AGAIN}."
    return (
        f"The scan contains “{_visible(char)}”, which a GS1 code never holds. If the scanner sends it for the group "
        f"separator, set it as the scanner's separator stand-in in Settings. {_SCAN_AGAIN}."
    )


def _refuse_a_repeated_element(ais: list[str]) -> None:
    """GS1 never lets an element (an AI) appear twice in one code with another value, and a scanner never sends it
    twice: a repeated one (two expiry dates, two GTINs, two lots) means a misread or two codes run together, and
    reading only the first would hide the other."""
    for index, ai in enumerate(ais):
        if ai in ais[:index]:
            name = _ELEMENT_NAMES.get(ai, f"AI {ai}")
            raise InvalidInput(
                f"The scan holds {name} twice, which a carton code never does: it may be two codes read as "
                f"one. {_SCAN_AGAIN}."
            )


def _run_together(text: str) -> bool:
    """A raw carton code with a lot (10) and then a serial (21) but no GS between them: both are variable-length,
    so a code holding both always has one GS; a keyboard wedge that cannot send GS drops it."""
    return GS not in text and _RUN_TOGETHER.fullmatch(text) is not None


def _no_separator(text: str, standin: str | None) -> str:
    """What to do when the scanner sends no group separator: name the setting, show what the scan read."""
    now = f"now “{standin}”, which this scan did not contain" if standin is not None else "now empty"
    return (
        f"It read “{_visible(text)}”: no group separator (GS) after the lot (10…), so the lot runs into the serial "
        "number (21…) and scanning again gives the same. Set the scanner to send one character that GS1 data "
        "never holds (such as | or ~) in place of GS, set the same character as this program's gs_standin "
        f"setting ({now}: Settings…, “Scanner's stand-in for the group separator”, or hemgenix-prep settings set "
        "gs_standin CHARACTER; for the carton command, --gs CHARACTER), then scan again."
    )


def check_not_expired(scan: CartonScan, on: date, today: date | None = None) -> None:
    """Clinical stop when the kit is expired on the given (infusion) date. A kit still in date ``today`` (or when
    ``today`` is not known) "expires on … before the infusion date"; only one past its date "expired" (issue 21)."""
    if not scan.is_expired(on):
        return
    if today is not None and scan.is_expired(today):
        raise CartonExpired(
            f"This kit expired on {scan.expiry.isoformat()} (lot {scan.lot}) and cannot be used on {on.isoformat()}. "
            "Set it aside and use an in-date kit."
        )
    raise CartonExpired(
        f"This kit expires on {scan.expiry.isoformat()} (lot {scan.lot}), before the infusion date {on.isoformat()}: "
        "it cannot be used then. Set it aside and use a kit in date on the infusion date."
    )


def is_practice_carton(lot: str, serial: str) -> bool:
    """A carton code the program made for practice: its lot or its serial starts with ``PRACTICE-`` (in any case)."""
    return any(value.upper().startswith(PRACTICE_PREFIX) for value in (lot, serial))


def check_carton_for_mode(scan: CartonScan, *, practice: bool) -> None:
    """Clinical stop when a practice carton code is scanned outside practice mode: practice mode accepts its own
    synthetic cartons, a real preparation never does (the scan field, the kit's save and the seal all ask here)."""
    if practice or not is_practice_carton(scan.lot, scan.serial):
        return
    raise PracticeCarton(
        f"This is a practice carton code (lot {scan.lot}, serial {scan.serial}), made by Hemgenix Prep for training: "
        "it is not a real kit and is never used for a patient. Stop: set the practice sheet aside and scan the "
        "DataMatrix on the real kit carton."
    )


def format_bracketed(gtin: str, expiry: date, lot: str, serial: str) -> str:
    """The bracketed human-readable form of a carton code (used by practice mode and tests)."""
    return f"(01){gtin}(17){expiry.strftime('%y%m%d')}(10){lot}(21){serial}"


def format_element_string(gtin: str, expiry: date, lot: str, serial: str, separator: str = GS) -> str:
    """The raw element string a scanner sends (without symbology identifier)."""
    return f"01{gtin}17{expiry.strftime('%y%m%d')}10{lot}{separator}21{serial}"
