"""Who may do what: the one home of every role rule (pure: no Qt, no SQL, no PDF).

=========================  ==========  ==========
may …                      technician  pharmacist
=========================  ==========  ==========
prepare (sign "Prepared")  yes         yes
correct (sign "Amended")   yes         yes
verify (blind check)       no          yes
approve an override        no          yes
void a draft               yes         yes
void a signed one          no          yes
void a sealed one          no          no
administer (settings)      no          yes
=========================  ==========  ==========

Any other role (an account from a newer version, a typing error) may do nothing. Being a different person
from the preparer (the verifier, the pharmacist approving an override) is a signing rule, not a role rule:
``domain.signing.check_verifier`` and ``check_override_approver``.
The database checks the stored role again when a signature or a change is saved.
"""

from __future__ import annotations

from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role, status_words


def _role(role: str) -> Role | None:
    try:
        return Role(role)
    except ValueError:
        return None


def may_prepare(role: str) -> bool:
    """Prepare a dose and sign it as the preparer ("Prepared by")."""
    return _role(role) in (Role.TECHNICIAN, Role.PHARMACIST)


def may_correct(role: str) -> bool:
    """Correct a sealed record and sign the correction ("Amended by"): whoever may prepare."""
    return may_prepare(role)


def may_verify(role: str) -> bool:
    """Do the blind check and sign as the independent verifier ("Verified by")."""
    return _role(role) is Role.PHARMACIST


def may_approve_override(role: str) -> bool:
    """Approve a warning or a notice the wizard let through, with a reason ("Override approved")."""
    return _role(role) is Role.PHARMACIST


def may_void(role: str, status: PreparationStatus | str) -> bool:
    """Void a preparation: a draft, whoever may prepare; a signed one, a pharmacist only; a sealed one, nobody (its
    dose was issued: a wrong record is corrected by an amendment, and voiding would free the patient for a second
    dose and the carton for another preparation)."""
    stage = PreparationStatus(status)
    if stage is PreparationStatus.DRAFT:
        return may_prepare(role)
    if stage is PreparationStatus.SEALED:
        return False
    return _role(role) is Role.PHARMACIST


def may_administer(role: str) -> bool:
    """Change this workstation's settings (and the site's accounts)."""
    return _role(role) is Role.PHARMACIST


def void_refusal(role: str, status: PreparationStatus | str, prep_short_id: str) -> str | None:
    """The sentence refusing ``role`` to void the preparation (``prep_short_id``) that is ``status``; None when
    they may void it."""
    if may_void(role, status):
        return None
    if PreparationStatus(status) is PreparationStatus.DRAFT:
        return (
            f"Preparation {prep_short_id} may be voided only by a technician or a pharmacist. Ask the pharmacist "
            "in charge."
        )
    if PreparationStatus(status) is PreparationStatus.SEALED:
        return (
            f"Preparation {prep_short_id} is sealed: its dose was issued, so it can never be voided (the patient "
            "cannot have a second dose). To correct its record, select it in History and choose “Correct this record…”."
        )
    return (
        f"Preparation {prep_short_id} is {status_words(status)}, so only a pharmacist may void it. Ask the "
        "pharmacist in charge."
    )


__all__ = [
    "may_administer",
    "may_approve_override",
    "may_correct",
    "may_prepare",
    "may_verify",
    "may_void",
    "void_refusal",
]
