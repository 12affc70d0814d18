"""The patient: identifiers kept as entered, compared trimmed and case-insensitively; age in whole years."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hemgenix_desktop.domain.errors import DateOfBirthMismatch, IdentifierMismatch


@dataclass(frozen=True)
class Patient:
    full_name: str
    date_of_birth: date
    mrn: str
    patient_specific_id: str  # the identifier on the order, to match the one on the outer carton


def normalise_identifier(value: str) -> str:
    """The one-dose guard's form of an identifier: surrounding space trimmed, case ignored (so that "77AB" and "77ab"
    can never be two patients' identifiers, whatever the identifier's format turns out to be). Not the identity
    check's comparison: that one is exact (:func:`identifiers_match`)."""
    return value.strip().casefold()


def identifiers_match(a: str, b: str) -> bool:
    """The identity check's comparison: exactly the same characters once the surrounding space is trimmed. No source
    confirms the identifier's format, so a difference in letter case is a difference (issue 21)."""
    return a.strip() == b.strip()


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a date (a birthday on 29 February counts from 1 March in other years)."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (1 if before_birthday else 0)


@dataclass(frozen=True)
class PersonOverride:
    """A pharmacist's finding that an earlier preparation whose patient matched this one (on MRN, or on name and
    date of birth) is a different person: who (never the preparer), when, what matched, and how it was shown."""

    earlier_id: str  # the earlier preparation's id
    earlier_short_id: str
    match: str  # what matched, in words
    username: str
    printed_name: str
    role: str
    reason: str  # how it was shown to be a different person
    at: datetime  # aware

    def to_dict(self) -> dict[str, str]:
        return {
            "earlier_id": self.earlier_id,
            "earlier_short_id": self.earlier_short_id,
            "match": self.match,
            "username": self.username,
            "printed_name": self.printed_name,
            "role": self.role,
            "reason": self.reason,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersonOverride:
        return cls(
            earlier_id=str(data["earlier_id"]),
            earlier_short_id=str(data["earlier_short_id"]),
            match=str(data["match"]),
            username=str(data["username"]),
            printed_name=str(data["printed_name"]),
            role=str(data["role"]),
            reason=str(data["reason"]),
            at=datetime.fromisoformat(str(data["at"])),
        )


@dataclass(frozen=True)
class IdentityCheck:
    carton_identifier: str
    carton_date_of_birth: date


def verify_identity(patient: Patient, check: IdentityCheck) -> None:
    """Stop unless the carton's patient-specific identifier and date of birth match the order.

    The entry is blind, and stays so on a mismatch: the stop repeats what was typed from the carton and says which
    value differs, never the order's value it was compared with (shown, it could be typed back in to make the stop go
    away; the pharmacist in charge compares the carton with the order itself).
    """
    carton = check.carton_identifier.strip()
    if not identifiers_match(patient.patient_specific_id, check.carton_identifier):
        if normalise_identifier(patient.patient_specific_id) == normalise_identifier(check.carton_identifier):
            raise IdentifierMismatch(
                f"The patient-specific identifier typed from the carton, “{carton}”, differs from the order's only in "
                "letter case. The identifier is compared exactly. Stop: do not prepare this kit until the pharmacist "
                "in charge has confirmed with the manufacturer which identifier is right."
            )
        raise IdentifierMismatch(
            f"The patient-specific identifier typed from the carton, “{carton}”, does not match the order's. Stop: "
            "this kit may belong to another patient. Do not prepare it; call the pharmacist in charge, who compares "
            "the carton with the order."
        )
    if check.carton_date_of_birth != patient.date_of_birth:
        raise DateOfBirthMismatch(
            f"The date of birth typed from the carton, {check.carton_date_of_birth.isoformat()}, does not match the "
            "order's. Stop: do not prepare this kit; call the pharmacist in charge, who compares the carton with the "
            "order."
        )
