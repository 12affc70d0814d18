"""The one builder of the tests' preparations, built only through the domain's own functions.

A complete, signed and sealed 72 kg preparation: ``complete_preparation()`` gives the Preparation the wizard would hand over after Review; ``signed()`` adds
the preparer's and the verifier's signatures; ``sealed_record()`` seals it; ``amended_record()`` corrects a
sealed record with an amendment, signed "Amended by" and "Verified by". Times are fixed and shown in
America/Chicago so that printed pages are the same on every machine.

The drafts the storage tests save (another patient, John Smith, on tests.helpers.store's clock): ``new_prep()``,
filled page by page with ``fill_everything()``; ``carton()`` is a scan of a 15-vial kit with a given serial.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hemgenix_desktop.domain.amendment import FieldChange, apply_corrections
from hemgenix_desktop.domain.carton import CartonScan, format_bracketed, format_element_string, parse_carton
from hemgenix_desktop.domain.checks import InputKind, load_checklist
from hemgenix_desktop.domain.eligibility import EligibilityAnswers, check_eligibility
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.domain.lab_result import Analyte, lab_result
from hemgenix_desktop.domain.patient import IdentityCheck, Patient, verify_identity
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.signing import (
    IDENTITY_STEP,
    Attribution,
    BlindCheck,
    Signature,
    Signer,
    approve_override,
    attribute,
    overrides_required,
    sign_as_preparer,
    sign_as_verifier,
)
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.security.seal import SealedRecord, amend, preparation_sha256, seal
from tests.helpers.people import PHARMACIST, SECOND_PHARMACIST, TECHNICIAN
from tests.helpers.store import START

ZONE = ZoneInfo("America/Chicago")
GTIN_15_VIALS = "00300530150153"
PREPARED_AT = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 09:30 CST
SIGNED_AT = PREPARED_AT + timedelta(minutes=3)  # 2026-12-01 15:33 UTC = 09:33 CST: the signatures
SITE = "St. Example Infusion Pharmacy"
WORKSTATION = "PHARM-WS-02"


def reported_answers(
    inhibitor: str, titre: str, assay: int, tested: date, laboratory: str = "Central Coagulation Laboratory"
) -> EligibilityAnswers:
    """Every criterion met, the results as a laboratory reported them on ``tested``."""
    day = tested.isoformat()
    return EligibilityAnswers(
        True,
        False,
        lab_result(Analyte.INHIBITOR, inhibitor, day, laboratory),
        lab_result(Analyte.NAB_TITRE, titre, day, laboratory, assay_points=assay),
    )


def order(weight: str = "72", full_name: str = "Alex Example") -> Order:
    return Order(
        patient=Patient(full_name, date(1980, 3, 15), "MRN-0001234", "HGX-PSI-7731"),
        order_number="ORD-2026-0458",
        prescriber="Dr. Maria Rivera",
        authorization_number="PA-KS-99812",
        prescription_weight=parse_weight(weight, _unit(weight)),
        prescription_weight_date=date(2026, 11, 24),
        infusion_date=date(2026, 12, 1),
    )


def answers(dose_ml: Decimal) -> dict[str, object]:
    """An answer for every item of the checklist, by input kind (choices: the first, which passes)."""
    out: dict[str, object] = {}
    for item in load_checklist().items:
        if item.input is InputKind.TICK:
            out[item.id] = True
        elif item.input is InputKind.CHOICE:
            out[item.id] = item.choices[0]
        elif item.input is InputKind.DATE:
            out[item.id] = date(2027, 6, 30)
        elif item.input is InputKind.VOLUME:
            out[item.id] = dose_ml
        elif item.input is InputKind.FINAL_VOLUME:
            out[item.id] = dose_ml + 250
        else:
            out[item.id] = {"engineering_control_id": "BSC-3", "diluent_lot": "NS24K113"}.get(item.id, "entered")
    return out


def _unit(weight: str) -> str | None:
    """kg unless the text names its unit ("160 lb")."""
    return None if any(ch.isalpha() for ch in weight) else "kg"


def complete_preparation(
    weight: str = "72", today_weight: str | None = None, full_name: str = "Alex Example", practice: bool = False
) -> Preparation:
    prep = Preparation(id="3f9a1c2b-0d4e-4c5a-9b7e-123456789abc", practice=practice)
    prep.created_at = PREPARED_AT - timedelta(hours=2)
    prep.order = order(weight, full_name)
    prep.eligibility = reported_answers("0.2", "1:300", 9, date(2026, 11, 20))
    prep.eligibility_confirmed = check_eligibility(
        prep.eligibility, prep.order.patient.date_of_birth, prep.order.infusion_date
    )
    prep.identity = IdentityCheck("HGX-PSI-7731", date(1980, 3, 15))
    verify_identity(prep.order.patient, prep.identity)
    prep.set_weight_today(parse_weight(today_weight or weight, _unit(today_weight or weight)))
    prep.weight_measured_at = PREPARED_AT - timedelta(hours=1)
    prep.weight_method = "Standing scale"
    if prep.dose is not None and prep.dose.warnings:
        prep.below_table_acknowledged = True
    notice = prep.drift()
    if notice is not None:
        prep.record(EventKind.NOTICE, "weight", notice.message, PREPARED_AT - timedelta(minutes=50))
    assert prep.dose is not None
    kit = prep.dose.kit_choice.kit
    gtin = GTIN_15_VIALS if kit.vials == 15 else kit.gtin
    scan = parse_carton(format_element_string(gtin, date(2027, 5, 31), "LOT4471A", "SN000123"))
    prep.check_kit(scan)
    prep.carton = scan
    prep.check_vial_count(scan.kit_vials)
    prep.vials_counted = scan.kit_vials
    prep.checks = answers(prep.dose.dose_ml)  # type: ignore[assignment]
    prep.prepared_at = PREPARED_AT
    prep.step = "review"
    return prep


def attributions(prep: Preparation) -> dict[str, Attribution]:
    ids = [item.id for item in load_checklist().items]
    out = attribute([IDENTITY_STEP], TECHNICIAN, PREPARED_AT - timedelta(minutes=55))
    out.update(attribute(ids, TECHNICIAN, PREPARED_AT - timedelta(minutes=5)))
    return out


@dataclass
class Signed:
    prep: Preparation
    signatures: list[Signature]


def signed(
    prep: Preparation | None = None,
    preparer: Signer = TECHNICIAN,
    verifier: Signer = PHARMACIST,
    *,
    amending: bool = False,
    start: datetime = PREPARED_AT,
) -> Signed:
    """The preparer's (or, ``amending``, the corrector's "Amended by") and the verifier's signatures, and an
    override approval by the verifier for each override the preparation needs; signed from ``start`` on."""
    prep = prep or complete_preparation()
    content = preparation_sha256(prep)
    first = sign_as_preparer(
        prep,
        preparer,
        workstation=WORKSTATION,
        content_sha256=content,
        at=start + timedelta(minutes=3),
        tz=ZONE,
        amending=amending,
    )
    assert prep.dose is not None
    blind = BlindCheck(parse_weight(str(prep.dose.weight.kg_shown), "kg"), prep.dose.vials, prep.dose.dose_ml)
    second = sign_as_verifier(
        prep,
        first,
        verifier,
        blind,
        workstation=WORKSTATION,
        content_sha256=content,
        at=start + timedelta(minutes=9),
        tz=ZONE,
    )
    overrides = [
        approve_override(
            prep,
            subject,
            "Weighed twice on the calibrated scale; prescriber agrees with dosing on today's weight.",
            verifier,
            preparer=first,
            workstation=WORKSTATION,
            content_sha256=content,
            at=start + timedelta(minutes=10),
            tz=ZONE,
        )
        for subject in overrides_required(prep)
    ]
    return Signed(prep, [first, second, *overrides])


def sealed_record(prep: Preparation | None = None, signatures: Sequence[Signature] | None = None) -> SealedRecord:
    if signatures is None:
        s = signed(prep)
        prep, signatures = s.prep, s.signatures
    assert prep is not None
    return seal(
        prep,
        signatures,
        attributions(prep),
        site=SITE,
        workstation=WORKSTATION,
        sealed_at=PREPARED_AT + timedelta(minutes=11),
        tz=ZONE,
    )


AMENDED_AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 12:00 CST, the first correction
AMENDMENT_REASON = "The 0.9% sodium chloride lot was typed wrong; the bag's lot is NS24K114."
DILUENT_LOT_FIX = {"check.diluent_lot": "NS24K114"}


@dataclass
class Amended:
    record: SealedRecord
    prep: Preparation
    changes: tuple[FieldChange, ...]
    signatures: list[Signature]


def corrected(
    original: SealedRecord, typed: Mapping[str, str], corrector: Signer = PHARMACIST, at: datetime = AMENDED_AT
) -> tuple[Preparation, tuple[FieldChange, ...]]:
    """The corrected copy of the sealed preparation and what changed, through the domain's own function."""
    return apply_corrections(
        original.preparation(),
        typed,
        username=corrector.username,
        printed_name=corrector.printed_name,
        at=at,
        checklist=load_checklist(),
    )


def amendment(
    original: SealedRecord | None = None,
    typed: Mapping[str, str] | None = None,
    *,
    number: int = 1,
    reason: str = AMENDMENT_REASON,
    corrector: Signer = PHARMACIST,
    verifier: Signer = SECOND_PHARMACIST,
    at: datetime = AMENDED_AT,
) -> Amended:
    """Amendment ``number`` of ``original`` (default: the factory's sealed record, its diluent lot corrected),
    signed "Amended by" ``corrector`` and "Verified by" ``verifier`` (who also approves any override), sealed
    an hour after the correction."""
    original = original or sealed_record()
    prep, changes = corrected(original, typed if typed is not None else DILUENT_LOT_FIX, corrector, at)
    s = signed(prep, corrector, verifier, amending=True, start=at)
    who = attributions(prep)
    who.update(prep.attributions)
    record = amend(
        original,
        prep,
        s.signatures,
        who,
        reason=reason,
        changes=changes,
        number=number,
        site=SITE,
        workstation=WORKSTATION,
        sealed_at=at + timedelta(minutes=11),
        tz=ZONE,
    )
    return Amended(record, prep, changes, s.signatures)


def amended_record(original: SealedRecord | None = None, typed: Mapping[str, str] | None = None) -> SealedRecord:
    return amendment(original, typed).record


# --- the drafts the storage tests save ---------------------------------------------------------------------
def carton(serial: str, vials: int = 15) -> CartonScan:
    kit = kit_catalogue().by_vials(vials)
    assert kit is not None
    return parse_carton(format_bracketed(kit.gtin, date(2027, 3, 31), "LOT42A", serial))


DEFAULT_IDENTIFIER = "PSI-0001"


def draft_order(identifier: str = DEFAULT_IDENTIFIER, name: str = "John Smith", mrn: str | None = None) -> Order:
    """John Smith's order; under another identifier, another person (one dose per person, issue 21): the MRN
    follows the identifier unless given, and so does the date of birth of another "John Smith"."""
    same = identifier.strip().casefold() == DEFAULT_IDENTIFIER.casefold()
    other_john = not same and name == "John Smith"
    born = date(1981, 1, 1 + sum(map(ord, identifier)) % 28) if other_john else date(1980, 2, 29)
    return Order(
        patient=Patient(
            name, born, mrn if mrn is not None else "MRN-77" if same else f"MRN-{identifier.strip()}", identifier
        ),
        order_number="ORD-2026-0042",
        prescriber="Dr Ada Byron",
        authorization_number="PA-99812",
        prescription_weight=parse_weight("72 kg"),
        prescription_weight_date=date(2026, 4, 20),
        infusion_date=date(2026, 5, 6),
    )


def new_prep(identifier: str = DEFAULT_IDENTIFIER, name: str = "John Smith", mrn: str | None = None) -> Preparation:
    return Preparation(order=draft_order(identifier, name, mrn), created_at=START)


def fill_everything(prep: Preparation, serial: str = "SER-0001") -> Preparation:
    """Every page's values, as a wizard would have entered them by the checks step."""
    prep.eligibility = reported_answers("0.3", "1:200", 7, date(2026, 11, 20))
    prep.eligibility_confirmed = ["age", "severity", "inhibitor", "titre"]
    assert prep.order is not None
    prep.identity = IdentityCheck(prep.order.patient.patient_specific_id, prep.order.patient.date_of_birth)
    prep.set_weight_today(parse_weight("160.4 lb"))
    prep.weight_measured_at = START + timedelta(minutes=5)
    prep.weight_method = "standing scale"
    prep.carton = carton(serial)
    prep.vials_counted = 15
    prep.checks = {
        "hood_clean": True,
        "no_uv_lamp": True,
        "appearance": "clear, colourless",
        "volume_drawn_ml": Decimal("145.6"),
        "saline_expiry": date(2027, 1, 31),
        "note": None,
    }
    prep.prepared_at = START + timedelta(minutes=40)
    prep.record(EventKind.NOTICE, "weight", "The weight changed since the prescription.", START + timedelta(minutes=6))
    return prep
