"""The sealed record: a signed Preparation frozen as canonical JSON and its SHA-256.

Canonical JSON: keys sorted, UTF-8 (not ASCII-escaped), no insignificant white space, Decimals as strings,
dates and times as ISO 8601 text, and never a float (a float is refused, so no clinical number is ever
rounded by binary arithmetic). The SHA-256 of those bytes is the record's hash.

A :class:`SealedRecord` holds those bytes and nothing else, so it cannot change once made: everything it
shows is read back from the bytes. A later correction is a new record of kind ``amendment`` whose
``amends`` names the record it corrects (record ID, hash, when it was sealed and who signed it), the first
record of the chain, the amendment's number, the reason and every value changed; the record corrected is never
touched.

The record carries, besides the Preparation's own dictionary, what the printed record shows, computed once
at sealing through the domain's functions (formula, dose, vials, rendered check texts, local times), so a
reprint years later shows exactly what was sealed even if the product data have changed since.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.checks import Checklist, InputKind, load_checklist, parse_volume_ml
from hemgenix_desktop.domain.dose import format_gc
from hemgenix_desktop.domain.eligibility import check_eligibility
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.domain.preparation import Attribution, Preparation
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.signing import (
    IDENTITY_STEP,
    Meaning,
    Signature,
    check_signatures_complete,
    problems_before_signing,
)

RECORD_FORMAT = "hemgenix-prep/sealed-record"
RECORD_FORMAT_VERSION = 1
# The bag's final volume (checklist item "final_volume_ml", a site item since the bag size is the site SOP's): it is
# printed on the record and the label.
FINAL_VOLUME_ITEM = "final_volume_ml"
ORIGINAL = "original"
AMENDMENT = "amendment"


class RecordFormatError(DomainError):
    """Bytes that claim to be a sealed record are not one (not canonical, wrong format, fields missing)."""


# --- canonical JSON -----------------------------------------------------------------------------------
def _plain(value: Any, where: str = "record") -> Any:
    """JSON-ready copy of ``value``: Decimals and dates become strings; floats and unknown types are refused."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError(f"{where} holds the float {value!r}; a record keeps numbers as Decimal strings")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{where} holds the non-finite number {value}")
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError(f"{where} holds a time without a time zone ({value.isoformat()})")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has the non-text key {key!r}")
            out[key] = _plain(item, f"{where}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise TypeError(f"{where} holds a {type(value).__name__}, which a record cannot hold")


def canonical_json(value: Any) -> bytes:
    """The one byte form of ``value`` that is hashed and signed."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def preparation_content(prep: Preparation) -> dict[str, Any]:
    """What a signature is given on: the Preparation without the wizard's page position."""
    content = prep.to_dict()
    content.pop("step", None)
    return content


def preparation_sha256(prep: Preparation) -> str:
    """The hash each signature carries (``content_sha256``): changes whenever a value of the preparation does."""
    return sha256_hex(canonical_json(preparation_content(prep)))


# --- times --------------------------------------------------------------------------------------------
def stamp(at: datetime, tz: tzinfo | None = None) -> dict[str, str]:
    """A time as the record keeps it: UTC, local (in ``tz``, else the system's zone) and the zone's name."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("record times must carry a time zone")
    local = at.astimezone(tz) if tz is not None else at.astimezone()
    return {
        "utc": at.astimezone(UTC).isoformat(),
        "local": local.isoformat(),
        "zone": local.tzname() or local.strftime("UTC%z"),
    }


# --- the record ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AmendmentRef:
    """What an amendment says about the record it corrects.

    ``record_id``/``sha256``: the record corrected (the original, or an earlier amendment);
    ``original_record_id``: the first record of the chain; ``number``: 1 for the first correction, 2 for the
    next…; ``changes``: every value corrected; ``amended_signatures``: the signatures of the record corrected,
    so the amendment shows who signed it without the other file; ``dose_signatures``: the signatures of the
    first record of the chain, who prepared and verified the dose itself (carried from amendment to amendment, so
    the label of a second correction still names them); ``sealed_at``: when the record corrected was sealed. A record that lacks a key reads it as 0, empty, its ``record_id`` or None.
    """

    record_id: str
    sha256: str
    reason: str
    number: int = 0
    changes: tuple[FieldChange, ...] = ()
    original_record_id: str = ""
    amended_signatures: tuple[Signature, ...] = ()
    sealed_at: Mapping[str, str] | None = None  # a record time stamp (utc, local, zone), as :func:`stamp` makes
    dose_signatures: tuple[Signature, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "sha256": self.sha256,
            "reason": self.reason,
            "number": self.number,
            "changes": [change.to_dict() for change in self.changes],
            "original_record_id": self.original_record_id or self.record_id,
            "amended_signatures": [signature.to_dict() for signature in self.amended_signatures],
            "dose_signatures": [signature.to_dict() for signature in self.dose_signatures],
            "sealed_at": None if self.sealed_at is None else dict(self.sealed_at),
        }

    @classmethod
    def from_dict(cls, ref: Mapping[str, Any]) -> AmendmentRef:
        record_id = str(ref["record_id"])
        number = ref.get("number")
        sealed_at = ref.get("sealed_at")
        return cls(
            record_id=record_id,
            sha256=str(ref["sha256"]),
            reason=str(ref["reason"]),
            number=number if isinstance(number, int) and not isinstance(number, bool) else 0,
            changes=tuple(FieldChange.from_dict(change) for change in ref.get("changes") or ()),
            original_record_id=str(ref.get("original_record_id") or record_id),
            amended_signatures=tuple(Signature.from_dict(s) for s in ref.get("amended_signatures") or ()),
            sealed_at=_stamp_or_none(sealed_at),
            dose_signatures=tuple(Signature.from_dict(s) for s in ref.get("dose_signatures") or ()),
        )


def _stamp_or_none(value: Any) -> dict[str, str] | None:
    if isinstance(value, Mapping) and all(isinstance(value.get(key), str) for key in ("utc", "local", "zone")):
        return {key: str(value[key]) for key in ("utc", "local", "zone")}
    return None


@dataclass(frozen=True)
class SealedRecord:
    """A sealed record: its canonical bytes. Build one with :func:`seal`, :func:`amend` or
    :meth:`from_canonical`; every property is read from the bytes."""

    canonical: bytes

    def __post_init__(self) -> None:
        _check_record_bytes(self.canonical)

    @classmethod
    def from_canonical(cls, data: bytes) -> SealedRecord:
        """Read a record back (from the database or a PDF). Raises :class:`RecordFormatError`."""
        return cls(bytes(data))

    @property
    def sha256(self) -> str:
        return sha256_hex(self.canonical)

    @property
    def data(self) -> dict[str, Any]:
        """A fresh copy of the record's content (changing it changes nothing sealed)."""
        loaded: dict[str, Any] = json.loads(self.canonical)
        return loaded

    @property
    def record_id(self) -> str:
        return str(self.data["record_id"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def practice(self) -> bool:
        return bool(self.data["practice"])

    @property
    def sealed_at(self) -> datetime:
        return datetime.fromisoformat(self.data["sealed_at"]["utc"])

    @property
    def software_version(self) -> str:
        return str(self.data["software_version"])

    @property
    def amends(self) -> AmendmentRef | None:
        ref = self.data["amends"]
        if ref is None:
            return None
        return AmendmentRef.from_dict(ref)

    @property
    def signatures(self) -> tuple[Signature, ...]:
        return tuple(Signature.from_dict(s) for s in self.data["signatures"])

    def signers(self) -> tuple[str, ...]:
        """One line per signature: meaning, printed name, username, role, UTC time."""
        return tuple(
            f"{s.meaning.value}: {s.printed_name} ({s.username}, {s.role}) at "
            f"{s.signed_at.strftime('%Y-%m-%d %H:%M:%S')} UTC"
            for s in self.signatures
        )

    def preparation(self) -> Preparation:
        """The sealed Preparation (its wizard position, not part of the record, reads "sealed")."""
        return Preparation.from_dict({**self.data["preparation"], "step": "sealed"})


_REQUIRED_KEYS = (
    "format",
    "format_version",
    "record_id",
    "kind",
    "amends",
    "practice",
    "site",
    "workstation",
    "software_version",
    "sealed_at",
    "preparation",
    "content_sha256",
    "derived",
    "attributions",
    "signatures",
)


def _check_record_bytes(data: bytes) -> None:
    try:
        loaded = json.loads(data.decode("utf-8"), parse_float=_refuse_float)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError) as exc:
        raise RecordFormatError(f"The record is not valid JSON text ({exc}).") from exc
    if not isinstance(loaded, dict):
        raise RecordFormatError("The record is not a JSON object.")
    if loaded.get("format") != RECORD_FORMAT or loaded.get("format_version") != RECORD_FORMAT_VERSION:
        raise RecordFormatError("The file is not a Hemgenix Prep sealed record of a version this program reads.")
    missing = [key for key in _REQUIRED_KEYS if key not in loaded]
    if missing:
        raise RecordFormatError(f"The record lacks {', '.join(missing)}.")
    if canonical_json(loaded) != data:
        raise RecordFormatError("The record is not in canonical form, so its hash cannot be trusted.")


def _refuse_float(text: str) -> Any:
    raise TypeError(f"the record holds the float {text}")


# --- sealing ------------------------------------------------------------------------------------------
def new_record_id(at: datetime, seed: str | None = None) -> str:
    """``HGX-YYYYMMDD-XXXXXXXX``: the sealing date (UTC) and 8 hex digits of ``seed`` (a UUID) or a new one."""
    digits = (seed or str(uuid.uuid4())).replace("-", "")[:8].upper()
    return f"HGX-{at.astimezone(UTC):%Y%m%d}-{digits}"


def _answer_text(kind: InputKind, answer: Any) -> str:
    if answer is None:
        return ""
    if kind is InputKind.TICK:
        return "Confirmed" if answer is True else "Not confirmed"
    if kind in (InputKind.VOLUME, InputKind.FINAL_VOLUME) and isinstance(answer, Decimal):
        return f"{answer} mL"
    if isinstance(answer, date):
        return answer.isoformat()
    return str(answer)


def _final_volume(answer: Any) -> str | None:
    """The bag's final volume as printed ("394 mL"), from a site checklist item; None when not recorded."""
    if isinstance(answer, Decimal):
        return f"{answer} mL"
    if isinstance(answer, str) and answer.strip():
        try:
            return f"{parse_volume_ml(answer)} mL"
        except InvalidInput:
            return answer.strip()
    return None


def _clock(at: datetime, tz: tzinfo | None) -> str:
    local = at.astimezone(tz) if tz is not None else at.astimezone()
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or local.strftime('UTC%z')}"


def _derive(
    prep: Preparation, checklist: Checklist, attributions: Mapping[str, Attribution], tz: tzinfo | None
) -> dict[str, Any]:
    """What the printed record shows, computed once through the domain's functions."""
    facts = product_facts()
    order, dose, carton, prescription = prep.order, prep.dose, prep.carton, prep.prescription_dose
    assert order is not None
    assert dose is not None
    assert carton is not None
    assert prescription is not None
    assert prep.eligibility is not None
    assert prep.identity is not None
    assert prep.prepared_at is not None
    complete_by = prep.complete_by
    assert complete_by is not None
    notice = prep.drift()
    render_values = {
        "dose_ml": str(dose.dose_ml),
        "complete_by": _clock(complete_by, tz),
        "rate_ml_per_h": str(facts.rate_ml_per_h),
    }
    checks = []
    for item in checklist.items:
        who = attributions[item.id]
        checks.append(
            {
                "id": item.id,
                "section": item.section.value,
                "text": item.render(**render_values),
                "source": item.source.value,
                "answer": _answer_text(item.input, prep.checks.get(item.id)),
                "by_username": who.username,
                "by_name": who.printed_name,
                "at": stamp(who.at, tz),
            }
        )
    identity_by = attributions[IDENTITY_STEP]
    return {
        "product": {
            "name": facts.name,
            "generic_name": facts.generic_name,
            "manufacturer": facts.manufacturer,
            "hcpcs": facts.hcpcs,
            "hcpcs_units": facts.hcpcs_units_per_dose,
            "gc_per_ml": format_gc(facts.gc_per_ml),
            "rate_ml_per_h": facts.rate_ml_per_h,
            "rate_confirmed": facts.rate_confirmed,
            "filter": facts.filter_text,
            "storage_after_dilution": facts.storage_after_dilution,
            "complete_within_hours": facts.complete_within_hours,
        },
        "identity": {
            "carton_identifier": prep.identity.carton_identifier,
            "carton_date_of_birth": prep.identity.carton_date_of_birth,
            "by_username": identity_by.username,
            "by_name": identity_by.printed_name,
            "at": stamp(identity_by.at, tz),
        },
        "eligibility": check_eligibility(prep.eligibility, order.patient.date_of_birth, order.infusion_date),
        "calculation": {
            "weight_entered": dose.weight.entered,
            "weight_described": dose.weight.describe(),
            "weight_kg": dose.weight.kg,
            "weight_measured_at": None if prep.weight_measured_at is None else stamp(prep.weight_measured_at, tz),
            "weight_method": prep.weight_method,
            "prescription_weight": prescription.weight.describe(),
            "prescription_weight_date": order.prescription_weight_date,
            "formula": dose.formula(),
            "dose_ml": dose.dose_ml,
            "dose_gc": format_gc(dose.dose_gc),
            "vials": dose.vials,
            "kit_vials": dose.kit_choice.kit.vials,
            "supplied_ml": dose.supplied_ml,
            "surplus_ml": dose.surplus_ml,
            "withdrawal": dose.withdrawal.describe(),
            "warnings": list(dose.warnings),
            "drift_notice": None if notice is None else notice.message,
        },
        "components": {
            "kit_ndc11": carton.ndc11,
            "kit_ndc10": carton.ndc10,
            "gtin": carton.gtin,
            "lot": carton.lot,
            "expiry": carton.expiry,
            "serial": carton.serial,
            "kit_vials": carton.kit_vials,
            "vials_counted": prep.vials_counted,
            "volume_drawn_ml": prep.checks.get("volume_drawn_ml"),
            "diluent_lot": prep.checks.get("diluent_lot"),
            "diluent_expiry": prep.checks.get("diluent_expiry"),
            "final_volume": _final_volume(prep.checks.get(FINAL_VOLUME_ITEM)),
        },
        "beyond_use": {
            "prepared_at": stamp(prep.prepared_at, tz),
            "complete_by": stamp(complete_by, tz),
            "storage": facts.storage_after_dilution,
        },
        "checks": checks,
    }


def _build(
    prep: Preparation,
    signatures: Sequence[Signature],
    attributions: Mapping[str, Attribution],
    *,
    site: str,
    workstation: str,
    kind: str,
    amends: AmendmentRef | None,
    checklist: Checklist | None,
    sealed_at: datetime | None,
    tz: tzinfo | None,
    software_version: str,
    record_id: str | None,
) -> SealedRecord:
    checklist = checklist or load_checklist()
    problems = problems_before_signing(prep, checklist)
    if problems:
        raise InvalidInput("The preparation is not complete, so it cannot be sealed. " + " ".join(problems))
    content_sha256 = preparation_sha256(prep)
    check_signatures_complete(prep, signatures, content_sha256, amendment=kind == AMENDMENT)
    needed = [IDENTITY_STEP, *(item.id for item in checklist.items)]
    unattributed = [step for step in needed if step not in attributions]
    if unattributed:
        raise InvalidInput("The record cannot be sealed: it does not say who answered " + ", ".join(unattributed) + ".")
    if not site.strip() or not workstation.strip():
        raise InvalidInput("Set the site and workstation names in Settings before sealing a record.")
    when = sealed_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("sealed_at must carry a time zone")
    order = [Meaning.PREPARED_BY, Meaning.AMENDED_BY, Meaning.VERIFIED_BY, Meaning.OVERRIDE_APPROVED]
    ordered = sorted(signatures, key=lambda s: (order.index(s.meaning), s.signed_at))
    content = {
        "format": RECORD_FORMAT,
        "format_version": RECORD_FORMAT_VERSION,
        "record_id": record_id or new_record_id(when, prep.id if kind == ORIGINAL else None),
        "kind": kind,
        "amends": None if amends is None else amends.to_dict(),
        "practice": prep.practice,
        "site": site.strip(),
        "workstation": workstation.strip(),
        "software_version": software_version,
        "sealed_at": stamp(when, tz),
        "preparation": preparation_content(prep),
        "content_sha256": content_sha256,
        "derived": _derive(prep, checklist, attributions, tz),
        "attributions": {step: attributions[step].to_dict() for step in needed},
        "signatures": [s.to_dict() for s in ordered],
    }
    return SealedRecord(canonical_json(content))


def seal(
    prep: Preparation,
    signatures: Sequence[Signature],
    attributions: Mapping[str, Attribution],
    *,
    site: str,
    workstation: str,
    checklist: Checklist | None = None,
    sealed_at: datetime | None = None,
    tz: tzinfo | None = None,
    software_version: str = __version__,
    record_id: str | None = None,
) -> SealedRecord:
    """Seal a signed preparation. Refused (with the sentence) unless it is complete, signed by a preparer
    and an independent pharmacist on exactly this content, every override approved, and every step
    attributed (``attributions`` keyed by ``"identity"`` and each checklist item id)."""
    return _build(
        prep,
        signatures,
        attributions,
        site=site,
        workstation=workstation,
        kind=ORIGINAL,
        amends=None,
        checklist=checklist,
        sealed_at=sealed_at,
        tz=tz,
        software_version=software_version,
        record_id=record_id,
    )


def amend(
    original: SealedRecord,
    corrected: Preparation,
    signatures: Sequence[Signature],
    attributions: Mapping[str, Attribution],
    *,
    reason: str,
    changes: Sequence[FieldChange],
    number: int,
    site: str,
    workstation: str,
    checklist: Checklist | None = None,
    sealed_at: datetime | None = None,
    tz: tzinfo | None = None,
    software_version: str = __version__,
) -> SealedRecord:
    """Amendment ``number`` (1 for the first correction): a new record correcting ``original`` (the original
    record, or the newest earlier amendment), which is not changed. It names the record it corrects (ID, hash,
    when sealed, its signatures), the first record of the chain, the reason and ``changes``. The corrected
    preparation is signed again: "Amended by" by the person correcting, "Verified by" by an independent
    pharmacist, and any override approved. Refused, with the sentence, when anything of that is missing."""
    if not reason.strip():
        raise InvalidInput("Enter the reason for the amendment: what was wrong in the original record.")
    if corrected.id != original.preparation().id:
        raise InvalidInput(
            f"This amendment is for another preparation than record {original.record_id}. Amend the record of this "
            "preparation."
        )
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InvalidInput(
            f"An amendment is numbered from 1 (the first correction of a record), not {number}. Start the correction "
            "again from the record in History."
        )
    previous = original.amends
    if previous is not None and number <= previous.number:
        raise InvalidInput(
            f"Record {original.record_id} is already amendment {previous.number}, so its correction must be amendment "
            f"{previous.number + 1} or later, not {number}. Start the correction again from the newest record in "
            "History."
        )
    if not changes:
        raise InvalidInput(
            "The amendment does not say what was corrected. Change the value that is wrong in the record, or cancel "
            "the correction."
        )
    if preparation_sha256(corrected) == original.data["content_sha256"]:
        raise InvalidInput(
            f"The corrected preparation is the same as record {original.record_id}: nothing was corrected. Change the "
            "value that is wrong in the record, or cancel the correction."
        )
    ref = AmendmentRef(
        record_id=original.record_id,
        sha256=original.sha256,
        reason=reason.strip(),
        number=number,
        changes=tuple(changes),
        original_record_id=original.record_id if previous is None else previous.original_record_id,
        amended_signatures=original.signatures,
        sealed_at=original.data["sealed_at"],
        dose_signatures=original.signatures if previous is None else previous.dose_signatures,
    )
    return _build(
        corrected,
        signatures,
        attributions,
        site=site,
        workstation=workstation,
        kind=AMENDMENT,
        amends=ref,
        checklist=checklist,
        sealed_at=sealed_at,
        tz=tz,
        software_version=software_version,
        record_id=None,
    )
