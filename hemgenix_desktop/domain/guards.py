"""The one-dose and one-carton guards and the same-dose rule of a correction, in the words the user reads
(pure: no Qt, no SQL, no PDF).

The database holds the guards (unique indexes); when one refuses a write, storage finds the preparation that holds
the patient or the carton and raises the clinical stop made here, which names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus, status_words


def utc_minute(moment: datetime) -> str:
    """A moment as sentences show it: ``2026-05-04 08:30 UTC``."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Holder:
    """The preparation that already holds a patient or a carton, as a stop names it."""

    id: str
    short_id: str
    patient_name: str
    identifier_entered: str  # the patient-specific identifier as written on the order
    status: PreparationStatus
    created_by: str
    created_by_name: str
    created_at: datetime

    def named(self) -> str:
        return (
            f"preparation {self.short_id} for {self.patient_name} (identifier “{self.identifier_entered}”), "
            f"{status_words(self.status)}, started by {self.created_by_name} ({self.created_by}) on "
            f"{utc_minute(self.created_at)}"
        )


def second_dose_stop(holder: Holder) -> PatientAlreadyHasPreparation:
    """Hemgenix is given once: the patient already has a preparation (not voided)."""
    return PatientAlreadyHasPreparation(
        f"This patient already has {holder.named()}. Hemgenix is given only once: do not prepare a second dose. "
        "Resume or void that preparation, or call the pharmacist in charge.",
        holder.id,
    )


def carton_reuse_stop(holder: Holder, serial: str) -> CartonAlreadyUsed:
    """One carton is for one preparation: this carton (``serial``) is used already."""
    return CartonAlreadyUsed(
        f"This carton (serial “{serial}”) is already used by {holder.named()}. One carton is for one preparation "
        "only: set this carton aside and call the pharmacist in charge.",
        holder.id,
    )


class DoseKeys(NamedTuple):
    """What identifies the dose made at the cabinet: the patient-specific identifier (normalised) and the date of
    birth checked against the carton, and the carton itself."""

    patient_identifier: str
    patient_date_of_birth: date
    carton_gtin: str | None
    carton_serial: str | None


def dose_keys(prep: Preparation) -> DoseKeys | None:
    """The preparation's dose keys, or None while it has no order."""
    if prep.order is None:
        return None
    patient = prep.order.patient
    carton = prep.carton
    return DoseKeys(
        normalise_identifier(patient.patient_specific_id),
        patient.date_of_birth,
        None if carton is None else carton.gtin,
        None if carton is None else carton.serial,
    )


def check_same_dose(sealed: DoseKeys, corrected: DoseKeys | None, prep_short_id: str) -> None:
    """A correction is of the same dose: the patient-specific identifier, the date of birth and the carton, checked
    against each other at the cabinet (and held by the one-dose and one-carton guards), stay as sealed."""
    if corrected != sealed:
        raise InvalidInput(
            f"A correction cannot change the patient-specific identifier, the date of birth or the carton of "
            f"preparation {prep_short_id}: they were checked against the carton when the dose was made. If one "
            "of them is wrong, call the pharmacist in charge and report it under your site's procedure."
        )


__all__ = [
    "DoseKeys",
    "Holder",
    "carton_reuse_stop",
    "check_same_dose",
    "dose_keys",
    "second_dose_stop",
    "utc_minute",
]
