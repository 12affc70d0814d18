"""Practice mode: a demo order and a sheet of synthetic carton codes to rehearse with.

Plain data, no Qt. Every value here is made up and marked PRACTICE; the codes use the real kit GTINs from the
kit table (so the domain treats them exactly as it would a real carton) with synthetic lots and serials.
Dates are relative to the day the practice starts, so the "correct" kit is always in date and the "expired"
one always expired. ``render_datamatrix`` draws a code as a true GS1 DataMatrix (FNC1 first) with zxing-cpp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from hemgenix_desktop import PRACTICE_MARK
from hemgenix_desktop.domain.carton import GS, PRACTICE_PREFIX, format_bracketed, format_element_string
from hemgenix_desktop.domain.dose import calculate_dose
from hemgenix_desktop.domain.errors import (
    CartonExpired,
    ClinicalStop,
    KitTooSmall,
    NotHemgenixKit,
    VialCodeScanned,
    WrongKit,
)
from hemgenix_desktop.domain.kits import kit_catalogue, ndc10_digits
from hemgenix_desktop.domain.patient import Patient
from hemgenix_desktop.domain.preparation import Order
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.weight import WeightUnit, parse_weight

if TYPE_CHECKING:  # the domain modules load when practice data is made, not with PRACTICE_MARK (the first screen)
    from hemgenix_desktop.domain.preparation import Order
    from hemgenix_desktop.domain.weight import WeightUnit

# GS1's own example GTIN (GS1 General Specifications): a product that is not a Hemgenix kit and has no NDC.
NOT_HEMGENIX_GTIN = "09506000134352"


@dataclass(frozen=True)
class PracticeOrder:
    """The demo order, as the operator would type it on the order page."""

    full_name: str
    date_of_birth: date
    mrn: str
    patient_specific_id: str
    order_number: str
    prescriber: str
    authorization_number: str
    prescription_weight: str
    prescription_weight_unit: WeightUnit
    prescription_weight_date: date
    infusion_date: date

    def to_order(self) -> Order:

        return Order(
            patient=Patient(self.full_name, self.date_of_birth, self.mrn, self.patient_specific_id),
            order_number=self.order_number,
            prescriber=self.prescriber,
            authorization_number=self.authorization_number,
            prescription_weight=parse_weight(self.prescription_weight, self.prescription_weight_unit),
            prescription_weight_date=self.prescription_weight_date,
            infusion_date=self.infusion_date,
        )


def demo_order(today: date) -> PracticeOrder:
    """A 72 kg practice patient whose infusion is today."""

    return PracticeOrder(
        full_name="Practice Patient (demo)",
        date_of_birth=date(1985, 4, 12),
        mrn="PRACTICE-MRN-0072",
        patient_specific_id="PRACTICE-PSI-0072",
        order_number="PRACTICE-ORD-0001",
        prescriber="Dr. Demo Prescriber (practice)",
        authorization_number="PRACTICE-PA-0001",
        prescription_weight="72",
        prescription_weight_unit=WeightUnit.KG,
        prescription_weight_date=today - timedelta(days=7),
        infusion_date=today,
    )


@dataclass(frozen=True)
class PracticeCode:
    """One synthetic carton code and what the wizard does with it for the demo order."""

    key: str
    title: str
    expected: str  # what the operator should see, in words
    expected_stop: type[ClinicalStop] | None
    gtin: str
    expiry: date
    lot: str
    serial: str

    def bracketed(self) -> str:

        return format_bracketed(self.gtin, self.expiry, self.lot, self.serial)

    def element_string(self, separator: str | None = None) -> str:
        """The element string, fields separated by ``separator`` (None: GS, as a scanner sends it)."""

        return format_element_string(
            self.gtin, self.expiry, self.lot, self.serial, GS if separator is None else separator
        )

    def scanner_text(self) -> str:
        """What a keyboard-wedge scanner sends for this code: symbology identifier, then the element string."""
        return "]d2" + self.element_string()


def _gtin_for_ndc10(ndc10: str) -> str:
    from biip.checksums import gs1_standard_check_digit  # biip and zxing-cpp load when practice codes are made

    body = "003" + ndc10_digits(ndc10)
    return body + str(gs1_standard_check_digit(body))


def practice_codes(today: date) -> list[PracticeCode]:
    """The practice sheet, for the demo order of ``today``."""

    order = demo_order(today)
    dose = calculate_dose(parse_weight(order.prescription_weight, order.prescription_weight_unit))
    right = dose.kit_choice.kit
    catalogue = kit_catalogue()
    smaller = catalogue.by_vials(right.vials - 1)
    larger = catalogue.by_vials(right.vials + 1)
    assert smaller is not None
    assert larger is not None
    in_date = today + timedelta(days=365)
    return [
        PracticeCode(
            "correct",
            f"Correct kit: {right.vials} vials",
            "Accepted: the kit for the demo patient's dose. Count the vials next.",
            None,
            right.gtin,
            in_date,
            f"{PRACTICE_PREFIX}L{right.vials}",
            f"{PRACTICE_PREFIX}S0001",
        ),
        PracticeCode(
            "too_small",
            f"Kit too small: {smaller.vials} vials",
            "STOP: the kit holds fewer vials than the dose needs.",
            KitTooSmall,
            smaller.gtin,
            in_date,
            f"{PRACTICE_PREFIX}L{smaller.vials}",
            f"{PRACTICE_PREFIX}S0002",
        ),
        PracticeCode(
            "wrong_size",
            f"Wrong kit size: {larger.vials} vials",
            "STOP: this is not the kit ordered for this dose.",
            WrongKit,
            larger.gtin,
            in_date,
            f"{PRACTICE_PREFIX}L{larger.vials}",
            f"{PRACTICE_PREFIX}S0003",
        ),
        PracticeCode(
            "expired",
            f"Expired kit: {right.vials} vials",
            "STOP: the kit expired before the infusion date.",
            CartonExpired,
            right.gtin,
            today - timedelta(days=10),
            f"{PRACTICE_PREFIX}X{right.vials}",
            f"{PRACTICE_PREFIX}S0004",
        ),
        PracticeCode(
            "vial",
            "A single vial's code",
            "STOP: a vial was scanned instead of the outer carton.",
            VialCodeScanned,
            _gtin_for_ndc10(product_facts().vial_ndc10),
            in_date,
            f"{PRACTICE_PREFIX}V01",
            f"{PRACTICE_PREFIX}S0005",
        ),
        PracticeCode(
            "not_hemgenix",
            "Another product",
            "STOP: this carton is not a Hemgenix kit.",
            NotHemgenixKit,
            NOT_HEMGENIX_GTIN,
            in_date,
            f"{PRACTICE_PREFIX}N01",
            f"{PRACTICE_PREFIX}S0006",
        ),
    ]


@dataclass(frozen=True)
class Bitmap:
    """An 8-bit greyscale image: ``pixels`` row by row, ``width`` bytes a row, 0 black and 255 white."""

    width: int
    height: int
    pixels: bytes


def render_datamatrix(code: PracticeCode, scale: int = 6) -> Bitmap:
    """The code as a square GS1 DataMatrix (FNC1 in first position, read back as ``]d2``), with quiet zone."""
    import zxingcpp

    barcode = zxingcpp.create_barcode(code.bracketed(), zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    if not barcode.valid:
        raise ValueError(f"zxing-cpp could not encode the practice code {code.key}")
    image = barcode.to_image(scale=scale)
    height, width = image.shape
    # zxingcpp.Image exports its pixels through the buffer protocol; its type stub does not declare it.
    return Bitmap(width=width, height=height, pixels=bytes(memoryview(image)))  # type: ignore[arg-type]


__all__ = [
    "NOT_HEMGENIX_GTIN",
    "PRACTICE_MARK",
    "Bitmap",
    "PracticeCode",
    "PracticeOrder",
    "demo_order",
    "practice_codes",
    "render_datamatrix",
]
