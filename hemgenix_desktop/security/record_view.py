"""The typed view of a sealed record: its canonical JSON read once, every field checked, into frozen dataclasses.

What the record PDF, the bag label and ``verify`` show is read from a :class:`RecordView`, never from the JSON by
string keys. :func:`parse_record_view` refuses, with a sentence naming the field, a record that lacks a field or
holds one of the wrong type (text where a number belongs, a date that is not a date…), so a record that reads
here prints without surprise.

Records of format version 1 sealed by earlier releases still read: an amendment sealed before amendments were
numbered names only the record it corrects, its hash and the reason (its number reads 0, its first record the
record it corrects, its lists empty); a record sealed before the vial volume was kept with the product reads the
volume of ``resources/product.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.signing import FIRST_SIGNATURES, Meaning, Signature

T = TypeVar("T")


class RecordFormatError(DomainError):
    """Bytes that claim to be a sealed record are not one (not canonical, wrong format, fields missing)."""


# --- reading fields with their path ---------------------------------------------------------------------------
class _Fields:
    """One JSON object of the record; each reader names the field's path in its refusal."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, Mapping):
            raise RecordFormatError(f"The record's {where} is not a JSON object.")
        self.value: Mapping[str, Any] = value
        self.where = where

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where != "record" else key

    def raw(self, key: str) -> Any:
        if key not in self.value:
            raise RecordFormatError(f"The record lacks {self.path(key)}.")
        return self.value[key]

    def wrong(self, key: str, what: str) -> RecordFormatError:
        return RecordFormatError(f"The record's {self.path(key)} is not {what}.")

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise self.wrong(key, "text")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.raw(key)
        if value is not None and not isinstance(value, str):
            raise self.wrong(key, "text or empty")
        return value

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong(key, "a whole number")
        return value

    def optional_integer(self, key: str) -> int | None:
        return None if self.raw(key) is None else self.integer(key)

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.wrong(key, "true or false")
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.raw(key)
        try:
            number = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise self.wrong(key, "a number written as text")
        return number

    def day(self, key: str) -> date:
        value = self.raw(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.wrong(key, "a date (YYYY-MM-DD)")

    def moment(self, key: str) -> datetime:
        value = self.raw(key)
        if isinstance(value, str):
            try:
                at = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if at.utcoffset() is not None:
                    return at
        raise self.wrong(key, "a time with its zone")

    def table(self, key: str) -> _Fields:
        return _Fields(self.raw(key), self.path(key))

    def stamp(self, key: str) -> Stamp:
        fields = self.table(key)
        return Stamp(utc=fields.moment("utc"), local=fields.moment("local"), zone=fields.text("zone"))

    def optional_stamp(self, key: str) -> Stamp | None:
        return None if self.raw(key) is None else self.stamp(key)

    def each(self, key: str, read: Callable[[_Fields], T]) -> tuple[T, ...]:
        """Each object of the list ``key``, read by ``read``."""
        items = self.raw(key)
        if not isinstance(items, list):
            raise self.wrong(key, "a list")
        return tuple(read(_Fields(item, f"{self.path(key)}[{i}]")) for i, item in enumerate(items))

    def texts(self, key: str) -> tuple[str, ...]:
        items = self.raw(key)
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise self.wrong(key, "a list of texts")
        return tuple(items)

    def has(self, key: str) -> bool:
        return key in self.value


# --- the parts of a record ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stamp:
    """A time as the record keeps it: UTC, local (both aware) and the zone's name ("CST")."""

    utc: datetime
    local: datetime
    zone: str

    def to_dict(self) -> dict[str, str]:
        return {"utc": self.utc.isoformat(), "local": self.local.isoformat(), "zone": self.zone}

    @classmethod
    def of_signature(cls, signature: Signature) -> Stamp:
        return cls(utc=signature.signed_at, local=signature.local_time, zone=signature.zone)


@dataclass(frozen=True)
class Answered:
    """Who answered a step, and when."""

    username: str
    printed_name: str
    at: Stamp


@dataclass(frozen=True)
class Patient:
    full_name: str
    date_of_birth: date
    mrn: str
    patient_specific_id: str


@dataclass(frozen=True)
class Order:
    patient: Patient
    order_number: str
    prescriber: str
    authorization_number: str
    infusion_date: date


@dataclass(frozen=True)
class Event:
    """A stop met, a warning or a deviation during the preparation."""

    at: datetime
    kind: str
    step: str
    message: str


@dataclass(frozen=True)
class PersonFinding:
    """One dose per person: a pharmacist's finding that an earlier preparation's patient, who matched this one, is
    a different person."""

    earlier_short_id: str
    match: str
    printed_name: str
    username: str
    role: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Product:
    """The product facts as they were when the record was sealed."""

    name: str
    generic_name: str
    manufacturer: str
    hcpcs: str
    hcpcs_units: int
    gc_per_ml: str
    rate_ml_per_h: Decimal
    rate_confirmed: bool
    filter_text: str
    storage_after_dilution: str
    complete_within_hours: int
    ml_per_vial: Decimal  # each vial's volume (resources/product.toml's extractable_ml_per_vial)


@dataclass(frozen=True)
class Identity:
    """The carton's patient-specific identifier and date of birth, checked against the order."""

    carton_identifier: str
    carton_date_of_birth: date
    by: Answered


@dataclass(frozen=True)
class Calculation:
    weight_entered: str
    weight_described: str
    weight_kg: Decimal
    weight_measured_at: Stamp | None
    weight_method: str | None
    prescription_weight: str
    prescription_weight_date: date
    formula: str
    dose_ml: Decimal
    dose_gc: str
    vials: int
    kit_vials: int
    supplied_ml: Decimal
    surplus_ml: Decimal
    withdrawal: str
    warnings: tuple[str, ...]
    drift_notice: str | None


@dataclass(frozen=True)
class Components:
    """The kit (from the carton's scan) and the diluent, as the checklist recorded them."""

    kit_ndc11: str
    kit_ndc10: str
    gtin: str
    lot: str
    expiry: str
    serial: str
    kit_vials: int
    vials_counted: int | None
    volume_drawn_ml: str | None
    diluent_lot: str | None
    diluent_expiry: str | None
    final_volume: str | None  # "394 mL"; None when the site does not record it


@dataclass(frozen=True)
class BeyondUse:
    prepared_at: Stamp
    complete_by: Stamp
    storage: str


@dataclass(frozen=True)
class Check:
    """One checklist item as sealed: its rendered text, the answer as printed, who answered and when."""

    id: str
    section: str
    text: str
    source: str
    answer: str
    by: Answered


@dataclass(frozen=True)
class Amends:
    """What an amendment says about the record it corrects (see ``security.seal.AmendmentRef``)."""

    record_id: str
    sha256: str
    reason: str
    number: int  # 0 for an amendment sealed before amendments were numbered
    changes: tuple[FieldChange, ...]
    original_record_id: str  # the first record of the chain
    amended_signatures: tuple[Signature, ...]
    sealed_at: Stamp | None
    dose_signatures: tuple[Signature, ...]

    @property
    def corrects_a_correction(self) -> bool:
        """The record corrected was itself an amendment (the chain's first record is another one)."""
        return self.original_record_id != self.record_id

    def dose_signer(self, meaning: Meaning) -> Signature | None:
        return next((s for s in self.dose_signatures if s.meaning is meaning), None)


@dataclass(frozen=True)
class LabResultRow:
    """One laboratory result as the record keeps it: exactly as reported, with its date, laboratory, assay and
    detection limit, and what it says against its limit. ``on`` (its date) is None for a result kept before dates
    were."""

    test: str
    reported: str
    on: date | None
    laboratory: str
    assay: str
    detection_limit: str
    reading: str


@dataclass(frozen=True)
class RecordView:
    """A sealed record, read: everything the printed record, the label and ``verify`` show."""

    format_version: int
    record_id: str
    kind: str
    practice: bool
    site: str
    workstation: str
    software_version: str
    sealed_at: Stamp
    content_sha256: str
    order: Order
    events: tuple[Event, ...]
    product: Product
    identity: Identity
    eligibility: tuple[str, ...]
    calculation: Calculation
    components: Components
    beyond_use: BeyondUse
    checks: tuple[Check, ...]
    signatures: tuple[Signature, ...]
    amends: Amends | None
    lab_results: tuple[LabResultRow, ...] = ()  # none in a record sealed before results were kept as reported
    person_findings: tuple[PersonFinding, ...] = ()  # a record sealed before one dose per person has none

    @property
    def patient(self) -> Patient:
        return self.order.patient

    @property
    def first_signature(self) -> Signature:
        """ "Prepared by" of an original record, "Amended by" of an amendment."""
        return next(s for s in self.signatures if s.meaning in FIRST_SIGNATURES)

    @property
    def verifier(self) -> Signature:
        return next(s for s in self.signatures if s.meaning is Meaning.VERIFIED_BY)

    @property
    def overrides(self) -> tuple[Signature, ...]:
        return tuple(s for s in self.signatures if s.meaning is Meaning.OVERRIDE_APPROVED)


# --- reading ---------------------------------------------------------------------------------------------------
def _signature(f: _Fields) -> Signature:
    meaning = f.text("meaning")
    try:
        known = Meaning(meaning)
    except ValueError:
        raise f.wrong("meaning", "a signature meaning this program knows") from None
    return Signature(
        meaning=known,
        username=f.text("username"),
        printed_name=f.text("printed_name"),
        role=f.text("role"),
        signed_at=f.moment("signed_at_utc"),
        local_time=f.moment("signed_at_local"),
        zone=f.text("zone"),
        workstation=f.text("workstation"),
        content_sha256=f.text("content_sha256"),
        subject=f.text("subject") if f.has("subject") else "",
        reason=f.text("reason") if f.has("reason") else "",
        person=f.text("person") if f.has("person") else "",
    )


def _answered(f: _Fields) -> Answered:
    return Answered(username=f.text("by_username"), printed_name=f.text("by_name"), at=f.stamp("at"))


def _change(f: _Fields) -> FieldChange:
    return FieldChange(f.text("field"), f.text("label"), f.text("before"), f.text("after"))


def _amends(f: _Fields) -> Amends:
    record_id = f.text("record_id")
    number = f.integer("number") if f.has("number") else 0
    original = f.text("original_record_id") if f.has("original_record_id") else ""
    return Amends(
        record_id=record_id,
        sha256=f.text("sha256"),
        reason=f.text("reason"),
        number=number,
        changes=f.each("changes", _change) if f.has("changes") else (),
        original_record_id=original or record_id,
        amended_signatures=f.each("amended_signatures", _signature) if f.has("amended_signatures") else (),
        sealed_at=f.optional_stamp("sealed_at") if f.has("sealed_at") else None,
        dose_signatures=f.each("dose_signatures", _signature) if f.has("dose_signatures") else (),
    )


def parse_amends(ref: Mapping[str, Any]) -> Amends:
    """What an amendment says about the record it corrects, read from its JSON object (``record.amends``)."""
    return _amends(_Fields(ref, "amends"))


def _order(f: _Fields) -> Order:
    p = f.table("patient")
    return Order(
        patient=Patient(p.text("full_name"), p.day("date_of_birth"), p.text("mrn"), p.text("patient_specific_id")),
        order_number=f.text("order_number"),
        prescriber=f.text("prescriber"),
        authorization_number=f.text("authorization_number"),
        infusion_date=f.day("infusion_date"),
    )


def _person_finding(f: _Fields) -> PersonFinding:
    return PersonFinding(
        earlier_short_id=f.text("earlier_short_id"),
        match=f.text("match"),
        printed_name=f.text("printed_name"),
        username=f.text("username"),
        role=f.text("role"),
        reason=f.text("reason"),
        at=f.moment("at"),
    )


def _event(f: _Fields) -> Event:
    return Event(at=f.moment("at"), kind=f.text("kind"), step=f.text("step"), message=f.text("message"))


def _product(f: _Fields) -> Product:
    return Product(
        name=f.text("name"),
        generic_name=f.text("generic_name"),
        manufacturer=f.text("manufacturer"),
        hcpcs=f.text("hcpcs"),
        hcpcs_units=f.integer("hcpcs_units"),
        gc_per_ml=f.text("gc_per_ml"),
        rate_ml_per_h=f.decimal("rate_ml_per_h"),
        rate_confirmed=f.flag("rate_confirmed"),
        filter_text=f.text("filter"),
        storage_after_dilution=f.text("storage_after_dilution"),
        complete_within_hours=f.integer("complete_within_hours"),
        ml_per_vial=f.decimal("ml_per_vial") if f.has("ml_per_vial") else product_facts().extractable_ml_per_vial,
    )


def _calculation(f: _Fields) -> Calculation:
    return Calculation(
        weight_entered=f.text("weight_entered"),
        weight_described=f.text("weight_described"),
        weight_kg=f.decimal("weight_kg"),
        weight_measured_at=f.optional_stamp("weight_measured_at"),
        weight_method=f.optional_text("weight_method"),
        prescription_weight=f.text("prescription_weight"),
        prescription_weight_date=f.day("prescription_weight_date"),
        formula=f.text("formula"),
        dose_ml=f.decimal("dose_ml"),
        dose_gc=f.text("dose_gc"),
        vials=f.integer("vials"),
        kit_vials=f.integer("kit_vials"),
        supplied_ml=f.decimal("supplied_ml"),
        surplus_ml=f.decimal("surplus_ml"),
        withdrawal=f.text("withdrawal"),
        warnings=f.texts("warnings"),
        drift_notice=f.optional_text("drift_notice"),
    )


def _components(f: _Fields) -> Components:
    return Components(
        kit_ndc11=f.text("kit_ndc11"),
        kit_ndc10=f.text("kit_ndc10"),
        gtin=f.text("gtin"),
        lot=f.text("lot"),
        expiry=f.text("expiry"),
        serial=f.text("serial"),
        kit_vials=f.integer("kit_vials"),
        vials_counted=f.optional_integer("vials_counted"),
        volume_drawn_ml=f.optional_text("volume_drawn_ml"),
        diluent_lot=f.optional_text("diluent_lot"),
        diluent_expiry=f.optional_text("diluent_expiry"),
        final_volume=f.optional_text("final_volume"),
    )


def _lab_result(f: _Fields) -> LabResultRow:
    return LabResultRow(
        test=f.text("test"),
        reported=f.text("reported"),
        on=None if f.raw("date") is None else f.day("date"),
        laboratory=f.text("laboratory"),
        assay=f.text("assay"),
        detection_limit=f.text("detection_limit"),
        reading=f.text("reading"),
    )


def _check(f: _Fields) -> Check:
    return Check(
        id=f.text("id"),
        section=f.text("section"),
        text=f.text("text"),
        source=f.text("source"),
        answer=f.text("answer"),
        by=_answered(f),
    )


def parse_record_view(loaded: Mapping[str, Any]) -> RecordView:
    """The view of a record's content (its canonical JSON, loaded). Raises :class:`RecordFormatError` naming the
    first field missing or of the wrong type."""
    f = _Fields(loaded, "record")
    derived = f.table("derived")
    preparation = f.table("preparation")
    identity = derived.table("identity")
    beyond = derived.table("beyond_use")
    kind = f.text("kind")
    view = RecordView(
        format_version=f.integer("format_version"),
        record_id=f.text("record_id"),
        kind=kind,
        practice=f.flag("practice"),
        site=f.text("site"),
        workstation=f.text("workstation"),
        software_version=f.text("software_version"),
        sealed_at=f.stamp("sealed_at"),
        content_sha256=f.text("content_sha256"),
        order=_order(preparation.table("order")),
        events=preparation.each("events", _event),
        product=_product(derived.table("product")),
        identity=Identity(
            carton_identifier=identity.text("carton_identifier"),
            carton_date_of_birth=identity.day("carton_date_of_birth"),
            by=_answered(identity),
        ),
        eligibility=derived.texts("eligibility"),
        calculation=_calculation(derived.table("calculation")),
        components=_components(derived.table("components")),
        beyond_use=BeyondUse(beyond.stamp("prepared_at"), beyond.stamp("complete_by"), beyond.text("storage")),
        checks=derived.each("checks", _check),
        signatures=f.each("signatures", _signature),
        amends=None if f.raw("amends") is None else _amends(f.table("amends")),
        lab_results=derived.each("lab_results", _lab_result) if derived.has("lab_results") else (),
        person_findings=preparation.each("person_overrides", _person_finding)
        if "person_overrides" in preparation.value
        else (),
    )
    if (view.amends is not None) != (kind == "amendment") or kind not in ("original", "amendment"):
        raise RecordFormatError(
            f"The record's kind “{kind}” does not agree with what it amends: an amendment names the record it "
            "corrects, an original record none."
        )
    if not any(s.meaning in FIRST_SIGNATURES for s in view.signatures) or not any(
        s.meaning is Meaning.VERIFIED_BY for s in view.signatures
    ):
        raise RecordFormatError("The record's signatures lack the preparer's or the verifier's.")
    return view
