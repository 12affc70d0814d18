"""The domain's exceptions. Each carries the sentence shown to the user, in plain words.

``InvalidInput`` means the input cannot be understood (the user fixes it and tries again; exit code 2).
``ClinicalStop`` means the input is understood and preparation must not go on (exit code 3). There is
one subclass per clinical hard stop.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the clinical core raises. ``message`` is the sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):  # noqa: N818 - the name reads as the user sees it
    """What was typed or scanned cannot be used; the user corrects it."""


class ResultUndetermined(InvalidInput):
    """A laboratory result's report allows values on both sides of its limit; the sentence says what would settle it."""


class ResultTooOld(InvalidInput):
    """A laboratory result is older than the site accepts (setting ``lab_results_newer_than_days``)."""


class DataFileError(DomainError):
    """A data file in resources/ (or a site file) is broken; the program refuses to use it."""


class ClinicalStop(DomainError):  # noqa: N818
    """Preparation must not continue. Never clicked through."""


# --- identity and eligibility ---------------------------------------------------------------------
class IdentifierMismatch(ClinicalStop):
    """The carton's patient-specific identifier does not match the order."""


class DateOfBirthMismatch(ClinicalStop):
    """The date of birth shown with the carton identifier does not match the order."""


class NoAuthorization(ClinicalStop):
    """No prior authorization on file for this one dose."""


class UnderAge(ClinicalStop):
    """The patient is younger than the policy allows."""


class PriorGeneTherapy(ClinicalStop):
    """The patient has had AAV-vector gene therapy before."""


class InhibitorPositive(ClinicalStop):
    """The factor IX inhibitor result is not negative."""


class TitreOverLimit(ClinicalStop):
    """The anti-AAV5 neutralizing-antibody titre is above the assay's limit."""


# --- weight, dose and kit -------------------------------------------------------------------------
class NoKitForDose(ClinicalStop):
    """The dose needs more vials than the largest kit holds."""


class WeightDrift(ClinicalStop):
    """Today's weight needs a different vial count from the prescription weight the kit was ordered on."""


class NotHemgenixKit(ClinicalStop):
    """The scanned carton is not a Hemgenix kit."""


class VialCodeScanned(ClinicalStop):
    """A single vial's code was scanned instead of the kit carton's."""


class CartonExpired(ClinicalStop):
    """The kit expires before the infusion date."""


class KitTooSmall(ClinicalStop):
    """The kit holds fewer vials than the dose needs."""


class WrongKit(ClinicalStop):
    """The kit is not the kit ordered for this dose."""


class PracticeCarton(ClinicalStop):
    """A practice carton code (made by the program for training) was scanned outside practice mode."""


class VialCountMismatch(ClinicalStop):
    """The vials counted in the carton differ from the kit's vial count."""


# --- preparation checks ---------------------------------------------------------------------------
class FailedInspection(ClinicalStop):
    """Visual inspection failed: do not use."""


class DrawnVolumeMismatch(ClinicalStop):
    """The volume drawn up is not the dose volume."""


# --- one dose per patient, one carton per preparation (guarded by the database) ------------------
class PatientAlreadyHasPreparation(ClinicalStop):
    """The patient-specific identifier already has an open, signed or sealed preparation."""

    def __init__(self, message: str, existing_id: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class SamePersonHasPreparation(ClinicalStop):
    """The patient matches, on MRN or on name and date of birth, the patient of an earlier preparation that is not
    voided (under another patient-specific identifier): one dose per person, whatever identifier it carries."""

    def __init__(self, message: str, existing_id: str, match: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id
        self.match = match  # what matched, in words ("the same MRN", "the same name and date of birth")


class CartonAlreadyUsed(ClinicalStop):
    """The carton (GTIN and serial) already belongs to another preparation that is not voided."""

    def __init__(self, message: str, existing_id: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


# --- signatures (21 CFR Part 11 manner) -------------------------------------------------------------
class SignerRefused(ClinicalStop):
    """This person may not give this signature (same person twice, or the wrong role)."""


class SameSignerRefused(SignerRefused):
    """The verifier is the person who prepared the dose."""


class VerifierNotPharmacist(SignerRefused):
    """Only a pharmacist may verify a preparation."""


class OverrideNotPharmacist(SignerRefused):
    """Only a pharmacist may approve an override."""


class BlindCheckMismatch(ClinicalStop):
    """The verifier's own figures differ from the preparation's; both are shown.

    ``differences`` holds (what, the verifier's value, the preparation's value) for each difference.
    """

    def __init__(self, message: str, differences: tuple[tuple[str, str, str], ...]) -> None:
        super().__init__(message)
        self.differences = differences


class ChangedAfterSigning(ClinicalStop):
    """The preparation changed after a signature was given, so that signature no longer applies."""
