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
at sealing through the domain's functions (``security.derived``: formula, dose, vials, check texts, local times), so a
reprint years later shows exactly what was sealed even if the product data have changed since.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.checks import Checklist, load_checklist
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.preparation import Attribution, Preparation
from hemgenix_desktop.domain.signing import (
    IDENTITY_STEP,
    Meaning,
    Signature,
    check_signatures_complete,
    problems_before_signing,
)
from hemgenix_desktop.security.derived import derive, stamp
from hemgenix_desktop.security.record_view import Amends, RecordFormatError, RecordView, parse_amends, parse_record_view

RECORD_FORMAT = "hemgenix-prep/sealed-record"
RECORD_FORMAT_VERSION = 1
ORIGINAL = "original"
AMENDMENT = "amendment"


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
        """Read back what :meth:`to_dict` wrote (raises :class:`RecordFormatError` naming a field missing or
        mistyped)."""
        return cls.of_view(parse_amends(ref))

    @classmethod
    def of_view(cls, ref: Amends) -> AmendmentRef:
        return cls(
            record_id=ref.record_id,
            sha256=ref.sha256,
            reason=ref.reason,
            number=ref.number,
            changes=ref.changes,
            original_record_id=ref.original_record_id,
            amended_signatures=ref.amended_signatures,
            sealed_at=None if ref.sealed_at is None else ref.sealed_at.to_dict(),
            dose_signatures=ref.dose_signatures,
        )


@dataclass(frozen=True)
class SealedRecord:
    """A sealed record: its canonical bytes. Build one with :func:`seal`, :func:`amend` or
    :meth:`from_canonical`; every property is read from the bytes, through :attr:`view` (the bytes read once,
    every field checked: a record that lacks a field or holds one of the wrong type is refused)."""

    canonical: bytes
    view: RecordView = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "view", parse_record_view(_check_record_bytes(self.canonical)))

    @classmethod
    def from_canonical(cls, data: bytes) -> SealedRecord:
        """Read a record back (from the database or a PDF). Raises :class:`RecordFormatError`."""
        return cls(bytes(data))

    @property
    def sha256(self) -> str:
        return sha256_hex(self.canonical)

    @property
    def data(self) -> dict[str, Any]:
        """A fresh copy of the record's content as JSON (changing it changes nothing sealed). Read
        :attr:`view` instead: its fields are typed and were checked once."""
        loaded: dict[str, Any] = json.loads(self.canonical)
        return loaded

    @property
    def record_id(self) -> str:
        return self.view.record_id

    @property
    def kind(self) -> str:
        return self.view.kind

    @property
    def practice(self) -> bool:
        return self.view.practice

    @property
    def sealed_at(self) -> datetime:
        return self.view.sealed_at.utc

    @property
    def software_version(self) -> str:
        return self.view.software_version

    @property
    def content_sha256(self) -> str:
        """The hash of the preparation the signatures were given on."""
        return self.view.content_sha256

    @property
    def amends(self) -> AmendmentRef | None:
        ref = self.view.amends
        return None if ref is None else AmendmentRef.of_view(ref)

    @property
    def signatures(self) -> tuple[Signature, ...]:
        return self.view.signatures

    @property
    def database_id(self) -> str | None:
        """The ID of the database it was sealed in; None for a record sealed before databases were named."""
        value = self.data.get("database_id")
        return value if isinstance(value, str) else None

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


def _check_record_bytes(data: bytes) -> dict[str, Any]:
    """The record's content, loaded: refused unless it is canonical JSON of this program's record format."""
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
    return loaded


def _refuse_float(text: str) -> Any:
    raise TypeError(f"the record holds the float {text}")


# --- sealing ------------------------------------------------------------------------------------------
def new_record_id(at: datetime, seed: str | None = None) -> str:
    """``HGX-YYYYMMDD-XXXXXXXX``: the sealing date (UTC) and 8 hex digits of ``seed`` (a UUID) or a new one."""
    digits = (seed or str(uuid.uuid4())).replace("-", "")[:8].upper()
    return f"HGX-{at.astimezone(UTC):%Y%m%d}-{digits}"


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
    database_id: str | None = None,
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
        "derived": derive(prep, checklist, attributions, tz),
        "attributions": {step: attributions[step].to_dict() for step in needed},
        "signatures": [s.to_dict() for s in ordered],
    }
    if database_id is not None:  # the database it was sealed in (issue 15): a record of another one is told apart
        content["database_id"] = database_id
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
    database_id: str | None = None,
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
        database_id=database_id,
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
    database_id: str | None = None,
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
    if preparation_sha256(corrected) == original.content_sha256:
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
        sealed_at=original.view.sealed_at.to_dict(),
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
        database_id=database_id,
    )


__all__ = [
    "AMENDMENT",
    "ORIGINAL",
    "RECORD_FORMAT",
    "RECORD_FORMAT_VERSION",
    "AmendmentRef",
    "RecordFormatError",
    "SealedRecord",
    "amend",
    "canonical_json",
    "new_record_id",
    "preparation_content",
    "preparation_sha256",
    "seal",
    "sha256_hex",
    "stamp",
]
