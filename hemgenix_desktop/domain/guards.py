"""The one-dose and one-carton guards and the same-dose rule of a correction, in the words the user reads
(pure: no Qt, no SQL, no PDF).

The database holds the identifier and carton guards (unique indexes); when one refuses a write, storage finds the
preparation that holds the patient or the carton and raises the clinical stop made here, which names it.

One dose per PERSON (issue 21): a reship, a transfer or a re-enrolment can issue a new patient-specific identifier,
so an earlier preparation (not voided) whose patient has the same MRN, or the same name and date of birth, stops
too (:func:`person_match`, :func:`same_person_stop`). Both compare in a normalised form: letter case, spaces and
punctuation, accents and the common look-alike letters of other alphabets ignored (and, in an MRN, O for 0 and I
or L for 1). Only a pharmacist other than the preparer, with a reason that says how the earlier patient was shown
to be a different person, lets the preparation go on (:func:`approve_person_override`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from hemgenix_desktop.domain.errors import (
    CartonAlreadyUsed,
    InvalidInput,
    OverrideNotPharmacist,
    PatientAlreadyHasPreparation,
    SamePersonHasPreparation,
    SameSignerRefused,
)
from hemgenix_desktop.domain.patient import Patient, PersonOverride, normalise_identifier
from hemgenix_desktop.domain.permissions import may_approve_override
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
    record_id: str | None = None  # a sealed one: its record in force
    dose_date: date | None = None  # a sealed one: the infusion date of its order

    def named(self) -> str:
        return (
            f"preparation {self.short_id} for {self.patient_name} (identifier “{self.identifier_entered}”), "
            f"{status_words(self.status)}, started by {self.created_by_name} ({self.created_by}) on "
            f"{utc_minute(self.created_at)}"
        )

    def already(self) -> str:
        """What the patient already has, and what can be done about it: a sealed dose can never be undone (no
        "resume or void"), an open preparation can be finished or voided."""
        if self.status is PreparationStatus.SEALED:
            record = f"record {self.record_id}" if self.record_id else f"preparation {self.short_id}"
            when = f"for infusion on {self.dose_date.isoformat()}" if self.dose_date else "sealed"
            return (
                f"received Hemgenix: a dose was prepared {when} ({record}, for {self.patient_name}, identifier "
                f"“{self.identifier_entered}”). Hemgenix is given only once: no second dose is possible. Do not "
                "prepare it; set the kit aside and call the pharmacist in charge."
            )
        return (
            f"already has {self.named()}. Hemgenix is given only once: do not prepare a second dose. Resume or void "
            "that preparation, or call the pharmacist in charge."
        )


def second_dose_stop(holder: Holder) -> PatientAlreadyHasPreparation:
    """Hemgenix is given once: the patient (the same identifier) already has a preparation (not voided)."""
    return PatientAlreadyHasPreparation(f"This patient {holder.already()}", holder.id)


# --- one dose per person ------------------------------------------------------------------------------
# Letters of other alphabets that look like Latin ones (the common Cyrillic and Greek capitals and small letters).
# Capitals first (before case is folded: a Greek capital nu looks like N, its small letter like v), then small ones.
_CAPITAL_LOOK_ALIKES = str.maketrans("АВЕКМНОРСТУХІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEKMHOPCTYXIJSABEZHIKMNOPTYX")
_SMALL_LOOK_ALIKES = str.maketrans("аеорсухіјѕԁһӏοιυνκτ", "aeopcyxijsdhloiuvkt")
_MRN_DIGIT_LOOK_ALIKES = str.maketrans("oil", "011")


def _folded(text: str) -> str:
    """Compatibility forms unified, accents dropped, case folded, look-alike letters made Latin."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_CAPITAL_LOOK_ALIKES).casefold().translate(_SMALL_LOOK_ALIKES)


def mrn_key(mrn: str) -> str:
    """An MRN as the one-dose-per-person rule compares it: letters and digits only, case and look-alikes ignored,
    O read as 0 and I or L as 1 (``"MRN-00 12"``, ``"mrn0012"`` and ``"MRN OO12"`` are one MRN)."""
    return "".join(ch for ch in _folded(mrn) if ch.isalnum()).translate(_MRN_DIGIT_LOOK_ALIKES)


def name_key(full_name: str) -> str:
    """A name as the rule compares it: its words in any order (``"Smith, John"`` is ``"John Smith"``), case, accents,
    punctuation, spacing and look-alike letters ignored."""
    words = "".join(ch if ch.isalnum() else " " for ch in _folded(full_name)).split()
    return " ".join(sorted(words))


class Person(NamedTuple):
    """Who a preparation is for, as the one-dose-per-person rule compares it."""

    full_name: str
    date_of_birth: date
    mrn: str

    @classmethod
    def of(cls, patient: Patient) -> Person:
        return cls(patient.full_name, patient.date_of_birth, patient.mrn)


SAME_MRN = "the same MRN"
SAME_NAME_AND_BIRTH = "the same name and date of birth"


def person_match(new: Person, earlier: Person) -> str | None:
    """What makes ``earlier`` possibly the same person as ``new``, in words, or None: the same MRN, or the same name
    and date of birth (both, when both match)."""
    found = []
    mrn = mrn_key(new.mrn)
    if mrn and mrn == mrn_key(earlier.mrn):
        found.append(SAME_MRN)
    name = name_key(new.full_name)
    if name and name == name_key(earlier.full_name) and new.date_of_birth == earlier.date_of_birth:
        found.append(SAME_NAME_AND_BIRTH)
    if not found:
        return None
    return " and ".join(found) if len(found) == 1 else "the same MRN, and the same name and date of birth"


def same_person_stop(holder: Holder, earlier: Person, match: str) -> SamePersonHasPreparation:
    """The patient may be a person who already has Hemgenix: name the earlier record and what matched."""
    if holder.status is PreparationStatus.SEALED:
        record = f"record {holder.record_id}" if holder.record_id else f"preparation {holder.short_id}"
        when = f" for infusion on {holder.dose_date.isoformat()}" if holder.dose_date else ""
        same = f"they received Hemgenix{when} ({record}) and no second dose is possible"
    else:
        same = "do not prepare a second dose: resume or void that preparation, or call the pharmacist in charge"
    return SamePersonHasPreparation(
        f"This patient has {match} as the patient of {holder.named()} (MRN {earlier.mrn.strip()}, born "
        f"{earlier.date_of_birth.isoformat()}), under another patient-specific identifier. Hemgenix is given only "
        f"once: if it is the same person, {same}. Only when the earlier patient is shown to be a different person "
        "may a pharmacist other than the preparer approve going on, with the reason.",
        holder.id,
        match,
    )


def approve_person_override(
    stop: SamePersonHasPreparation,
    earlier_short_id: str,
    *,
    approver_username: str,
    approver_name: str,
    approver_role: str,
    preparer_username: str,
    reason: str,
    different_person_shown: bool,
    at: datetime,
) -> PersonOverride:
    """A pharmacist other than the preparer finds that the earlier preparation's patient is a different person,
    with the reason (how it was shown); anyone else, a missing reason or no finding is refused."""
    if not may_approve_override(approver_role):
        raise OverrideNotPharmacist(
            f"{approver_name} is a {approver_role}; only a pharmacist may find that the earlier patient is a "
            "different person. Ask a pharmacist who is not preparing this dose."
        )
    if approver_username.strip().casefold() == preparer_username.strip().casefold():
        raise SameSignerRefused(
            f"{approver_name}, you are preparing this dose, so you cannot also approve going on. Ask another "
            "pharmacist to check the earlier patient and give the reason."
        )
    if not different_person_shown:
        raise InvalidInput(
            "Going on is only possible when the earlier patient is shown to be a different person. Confirm that you "
            "have shown it, or stop: do not prepare this dose."
        )
    if not reason.strip():
        raise InvalidInput(
            "Say how the earlier patient was shown to be a different person (for instance which documents were "
            "compared), then approve again."
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("override times must carry a time zone")
    return PersonOverride(
        earlier_id=stop.existing_id,
        earlier_short_id=earlier_short_id,
        match=stop.match,
        username=approver_username.strip(),
        printed_name=approver_name,
        role=approver_role,
        reason=reason.strip(),
        at=at,
    )


def check_person_overrides(prep: Preparation, preparer_username: str) -> None:
    """Before sealing: every person override was approved by a pharmacist other than the person who signed
    "Prepared by" (a preparer who did not start the preparation is checked here)."""
    for found in prep.person_overrides.values():
        if not may_approve_override(found.role) or (
            found.username.strip().casefold() == preparer_username.strip().casefold()
        ):
            raise SameSignerRefused(
                f"{found.printed_name} approved going on although preparation {found.earlier_short_id}'s patient "
                f"had {found.match}, and is this preparation's preparer or not a pharmacist. Another pharmacist "
                "must check the earlier patient again before this record is sealed."
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
    "SAME_MRN",
    "SAME_NAME_AND_BIRTH",
    "DoseKeys",
    "Holder",
    "Person",
    "approve_person_override",
    "carton_reuse_stop",
    "check_person_overrides",
    "check_same_dose",
    "dose_keys",
    "mrn_key",
    "name_key",
    "person_match",
    "same_person_stop",
    "second_dose_stop",
    "utc_minute",
]
