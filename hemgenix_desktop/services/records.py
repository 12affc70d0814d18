"""The sealed records of a preparation and the one in force, with no Qt.

A sealed record is kept as its canonical text in the audit trail (action ``record_sealed``, written in the sealing
transaction by ``Store.seal_preparation`` and ``Store.seal_amendment``). The record in force is the newest one: the
latest sealed amendment when the record was corrected, else the original.

- :func:`stored_record`: the record kept for a preparation (on some content, or of one amendment), or None.
- :func:`record_in_force`: the record a reprint or a correction works from, or ``InvalidInput`` with the
  sentence when the preparation is not sealed or its record is missing.
- :func:`record_history`: the original and each amendment, named, the one in force marked (``records show``).
- :func:`audit_anchor`: where a kept record sits in the audit chain, printed on its record and label.
- :func:`find_preparation`: what a person types for a record (the record ID printed on the PDF, or the
  preparation's ID or its first 8 characters, as History shows it) → the preparation's id.

Which kept record is which (the one in force, the original, amendment N, the one on some content) is storage's
rule, in one place: ``storage.sealed_records`` (``store.records``). This module reads what it keeps into
``SealedRecord``s and names them for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.patient import Patient
from hemgenix_desktop.domain.signing import Meaning, Signature
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.common import AuditAnchor, both_text
from hemgenix_desktop.security.seal import RecordFormatError, SealedRecord
from hemgenix_desktop.storage import short_id
from hemgenix_desktop.storage.sealed_records import KeptRecord, matching

if TYPE_CHECKING:
    from hemgenix_desktop.storage import AmendmentSummary, PreparationSummary, Store


def audit_anchor(store: Store, record: SealedRecord) -> AuditAnchor | None:
    """The ``record_sealed`` event that keeps ``record`` (its number, hash and time) and the record's database, for
    the line printed on the record and the label; None when the record is not kept in this database."""
    prep_id = record.data.get("preparation", {}).get("id")
    sealer = None if not isinstance(prep_id, str) else store.records.sealer(prep_id, record.record_id)
    if sealer is None or not sealer.seq:
        return None
    return AuditAnchor(sealer.seq, sealer.hash, sealer.at, record.database_id)


RECORD_ID_PREFIX = "HGX-"  # every record ID: HGX-YYYYMMDD-XXXXXXXX (security.seal.new_record_id)
WHAT_TO_TYPE = (
    "Type the record ID printed on the record (HGX-YYYYMMDD-XXXXXXXX), or the preparation's ID as the History "
    "window shows it (its first 8 characters are enough)."
)


# --- the record kept in the audit trail --------------------------------------------------------------------
def amendment_number(record: SealedRecord) -> int:
    """0 for an original record, N for amendment N."""
    ref = record.view.amends
    return 0 if ref is None else ref.number


def _read(kept: KeptRecord) -> SealedRecord | None:
    """The sealed record storage kept (its text already matched to its SHA-256), or None when it cannot be read."""
    try:
        return SealedRecord.from_canonical(kept.canonical_bytes)
    except RecordFormatError:
        return None


def stored_record(
    store: Store, prep_id: str, content_sha256: str | None = None, *, amendment: int | None = None
) -> SealedRecord | None:
    """The latest sealed record kept for a preparation, or None. With ``content_sha256``: given on that content;
    with ``amendment``: the original record (0) or amendment N's. Without either: the newest record, the one in
    force (the latest amendment when the record was corrected). Which one is storage's rule
    (``storage.sealed_records``); a kept record this program cannot read is passed over."""
    kept = matching(store.records.kept(prep_id), content_sha256=content_sha256, amendment=amendment)
    return next((record for record in map(_read, kept) if record is not None), None)


def record_in_force(store: Store, prep_id: str, verb: str, done: str) -> SealedRecord:
    """The sealed preparation's record in force (its newest amendment, or the original) for a reprint or a
    correction (``verb`` "reprint", ``done`` "reprinted"). Raises ``InvalidInput`` with the sentence when the
    preparation is not sealed or its record is not in the database."""
    if store.summary(prep_id).status is not PreparationStatus.SEALED:
        raise InvalidInput(
            f"Preparation {short_id(prep_id)} is not sealed, so it has no record to {verb}. Finish its signatures "
            "first."
        )
    record = stored_record(store, prep_id)
    if record is None:
        raise InvalidInput(
            f"The sealed record of preparation {short_id(prep_id)} is not in the database, so it cannot be {done}. "
            "Call the pharmacist in charge."
        )
    return record


# --- every record of a preparation, named --------------------------------------------------------------------
@dataclass(frozen=True)
class NamedRecord:
    """One sealed record of a preparation: the original (``number`` 0) or amendment ``number``."""

    record: SealedRecord
    number: int
    in_force: bool

    @property
    def name(self) -> str:
        return "Original record" if self.number == 0 else f"Amendment {self.number}"

    @property
    def reason(self) -> str:
        """Why it corrects the record before it ("" for the original)."""
        ref = self.record.amends
        return "" if ref is None else ref.reason

    @property
    def corrects(self) -> str:
        """The record ID it corrects ("" for the original)."""
        ref = self.record.amends
        return "" if ref is None else ref.record_id

    @property
    def changes(self) -> tuple[str, ...]:
        """Each value corrected, as one line ("Patient name: “John Smith” → “Jon Smith”")."""
        ref = self.record.amends
        return () if ref is None else tuple(change.describe() for change in ref.changes)

    @property
    def first_signature(self) -> Signature | None:
        """Who prepared it (the original: "Prepared by") or corrected it (an amendment: "Amended by")."""
        wanted = Meaning.PREPARED_BY if self.number == 0 else Meaning.AMENDED_BY
        return next((s for s in self.record.signatures if s.meaning is wanted), None)

    @property
    def sealed_at(self) -> datetime:
        return self.record.sealed_at

    def sealed_at_text(self) -> str:
        """When it was sealed, as the record prints it: local time with its zone, then UTC."""
        return both_text(self.record.view.sealed_at)


@dataclass(frozen=True)
class RecordFacts:
    """What a person checks a record by, as it was sealed: the patient, the dose and the kit."""

    patient: Patient
    weight: str  # "72 kg", as described on the record
    weight_kg: Decimal
    dose_ml: Decimal
    dose_gc: str  # "1.44×10^15", as printed
    vials: int
    kit_vials: int
    kit_ndc11: str
    gtin: str
    lot: str
    serial: str
    expiry: str  # YYYY-MM-DD

    @classmethod
    def of(cls, record: SealedRecord) -> RecordFacts:
        order = record.preparation().order
        assert order is not None  # a sealed preparation has its order (security.seal refuses one without)
        calculation, components = record.view.calculation, record.view.components
        return cls(
            patient=order.patient,
            weight=calculation.weight_described,
            weight_kg=calculation.weight_kg,
            dose_ml=calculation.dose_ml,
            dose_gc=calculation.dose_gc,
            vials=calculation.vials,
            kit_vials=components.kit_vials,
            kit_ndc11=components.kit_ndc11,
            gtin=components.gtin,
            lot=components.lot,
            serial=components.serial,
            expiry=components.expiry,
        )


@dataclass(frozen=True)
class RecordHistory:
    """A sealed preparation's records, oldest first; the last one is in force. ``correcting``: a correction being
    made now (a draft amendment, not in force until it is sealed), or None."""

    preparation: PreparationSummary
    records: tuple[NamedRecord, ...]
    correcting: AmendmentSummary | None

    @property
    def in_force(self) -> NamedRecord:
        return self.records[-1]

    def named(self, record_id: str) -> NamedRecord | None:
        """The record with this ID (case ignored), or None."""
        wanted = record_id.strip().upper()
        return next((r for r in self.records if r.record.record_id.upper() == wanted), None)


def sealed_records(store: Store, prep_id: str) -> list[SealedRecord]:
    """Each sealed record kept for a preparation, the original first, one per amendment number (a record kept
    twice, by a retried sealing, counts once)."""
    by_number: dict[int, SealedRecord] = {}
    for kept in reversed(store.records.kept(prep_id)):
        record = _read(kept)
        if record is not None:
            by_number[amendment_number(record)] = record
    return [by_number[number] for number in sorted(by_number)]


def record_history(store: Store, prep_id: str) -> RecordHistory:
    """The original record and each amendment, named, the newest in force. Raises ``InvalidInput`` with the
    sentence when the preparation is not sealed or its record is not in the database."""
    record_in_force(store, prep_id, "show", "shown")
    records = sealed_records(store, prep_id)
    last = len(records) - 1
    named = tuple(
        NamedRecord(record, amendment_number(record), in_force=index == last) for index, record in enumerate(records)
    )
    return RecordHistory(store.summary(prep_id), named, store.open_amendment(prep_id))


# --- what a person types for a record --------------------------------------------------------------------------
def find_preparation(store: Store, text: str) -> str:
    """The id of the preparation ``text`` names: a record ID as printed on the record or label (the original's or
    an amendment's; case ignored), or the preparation's id or its first 8 characters. Raises ``InvalidInput`` with
    a sentence saying what to type when nothing, or more than one preparation, matches."""
    typed = text.strip()
    if not typed:
        raise InvalidInput(f"No record was named. {WHAT_TO_TYPE}")
    if typed.upper().startswith(RECORD_ID_PREFIX):
        return _preparation_of_record(store, typed)
    try:
        return store.resolve_id(typed)
    except InvalidInput as exc:
        raise InvalidInput(f"{exc.message} {WHAT_TO_TYPE}") from exc


def _preparation_of_record(store: Store, record_id: str) -> str:
    found = store.records.preparations_with(record_id)
    if not found:
        raise InvalidInput(f"No sealed record has the ID “{record_id}” in this database. {WHAT_TO_TYPE}")
    if len(found) > 1:  # pragma: no cover - record IDs are made unique per preparation (security.seal)
        raise InvalidInput(
            f"More than one preparation has a record “{record_id}”. Give the preparation's ID instead "
            f"({', '.join(short_id(p) for p in found)})."
        )
    return found[0]
