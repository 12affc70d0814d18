"""The one vocabulary of Hemgenix Prep: the roles people sign with, where a preparation and a correction
(amendment) stand, and the name of every audit event (pure: no Qt, no SQL, no PDF).

Each word is stored in the database as written here, so a value never changes once released: add new ones.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user account may do (see ``domain.permissions``)."""

    TECHNICIAN = "technician"
    PHARMACIST = "pharmacist"


class PreparationStatus(StrEnum):
    """Where a preparation stands: a draft (still changed), signed (only sealed or voided from now on), sealed (its
    record issued, never changed), or voided with a reason."""

    DRAFT = "draft"
    SIGNED = "signed"
    SEALED = "sealed"
    VOIDED = "voided"


class AmendmentStatus(StrEnum):
    """Where a correction of a sealed record stands: being made (draft), sealed (a record in force, never
    changed), or discarded with a reason (voided)."""

    DRAFT = "draft"
    SEALED = "sealed"
    VOIDED = "voided"


_STATUS_WORDS = {
    PreparationStatus.DRAFT: "a draft",
    PreparationStatus.SIGNED: "signed",
    PreparationStatus.SEALED: "sealed",
    PreparationStatus.VOIDED: "voided",
}


def status_words(status: PreparationStatus | str) -> str:
    """The status as a sentence says it: "Preparation … is {a draft | signed | sealed | voided}"."""
    return _STATUS_WORDS[PreparationStatus(status)]


class AuditAction(StrEnum):
    """The action of every audit event Hemgenix Prep writes (at most 50 characters each)."""

    # a preparation's life (storage, in the transaction of the change)
    PREPARATION_STARTED = "preparation_started"
    DRAFT_SAVED = "draft_saved"
    PREPARATION_VOIDED = "preparation_voided"
    SIGNATURE_ADDED = "signature_added"
    PREPARATION_SIGNED = "preparation_signed"
    RECORD_SEALED = "record_sealed"  # keeps a sealed record's canonical text (the record in force is found by it)
    PREPARATION_SEALED = "preparation_sealed"
    SECOND_PREPARATION_REFUSED = "second_preparation_refused"  # the one-dose guard
    CARTON_REUSE_REFUSED = "carton_reuse_refused"  # the one-carton guard
    SAME_PERSON_REFUSED = "same_person_refused"  # one dose per person: a match on MRN, or name and date of birth
    PERSON_OVERRIDE_APPROVED = "person_override_approved"  # a pharmacist found the earlier patient another person
    # corrections of a sealed record (amendments)
    AMENDMENT_STARTED = "amendment_started"
    AMENDMENT_CHANGED = "amendment_changed"
    AMENDMENT_VOIDED = "amendment_voided"
    AMENDMENT_SEALED = "amendment_sealed"
    # signing, as the signing process sees it
    SIGNATURE_REFUSED = "signature_refused"
    BLIND_CHECK_MISMATCH = "blind_check_mismatch"
    REVIEW_FINISHED = "review_finished"
    # the sealed record's outputs
    RECORD_REPRINTED = "record_reprinted"
    RECORD_PRINTED = "record_printed"
    RECORD_PRINT_FAILED = "record_print_failed"
    LABEL_PRINTED = "label_printed"
    LABEL_PRINT_FAILED = "label_print_failed"
    PDFS_SAVED = "pdfs_saved"
    ORIGINALS_SAVED = "originals_saved"  # a sealed record's original PDFs (not COPY) saved
    # accounts and sessions
    USER_ADDED = "user_added"
    USER_ENABLED = "user_enabled"
    USER_DISABLED = "user_disabled"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    USER_ROLE_CHANGED = "user_role_changed"
    USER_EMPLOYEE_NUMBER_SET = "user_employee_number_set"
    ADMINISTRATION_REFUSED = "administration_refused"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_REFUSED = "sign_in_refused"
    SCREEN_LOCKED = "screen_locked"
    SCREEN_UNLOCKED = "screen_unlocked"
    # the workstation
    SETTINGS_CHANGED = "settings_changed"
    SETTINGS_FROM_ENVIRONMENT = "settings_from_environment"  # a security setting the environment makes differ
    SITE_CERTIFICATE_IMPORTED = "site_certificate_imported"
    RETIRED_CERTIFICATE_TRUSTED = "retired_certificate_trusted"  # a pharmacist: records signed with it still count


def print_action(kind: str, printed: bool) -> AuditAction:
    """The action of printing the ``kind`` PDF ("record" or "label"): printed, or the print failed."""
    return AuditAction(f"{kind}_printed" if printed else f"{kind}_print_failed")


__all__ = ["AmendmentStatus", "AuditAction", "PreparationStatus", "Role", "print_action", "status_words"]
