"""Electronic signatures on a Preparation, in the manner of 21 CFR Part 11 (pure: no Qt, no SQL, no PDF).

Who may sign what, in which order:

1. The **preparer** (a technician or a pharmacist) signs a complete preparation: meaning "Prepared by".
2. An **independent pharmacist** verifies: a different person with the pharmacist role. Before signing, the
   verifier does a *blind* check (their own weight, vial count and dose volume, entered without seeing the
   preparer's figures); any difference is a clinical stop that names no figure (both go to the audit trail).
   Meaning "Verified by".
3. Each override the wizard allowed (a weight below the policy's kit table, a weight-drift notice) is
   approved by a pharmacist with a reason: meaning "Override approved".

Passwords are checked by ``security/`` before these functions are called; these functions hold the rules.
Each signature carries the SHA-256 of the preparation content it was given on (``content_sha256``,
computed by ``security.seal.preparation_sha256``), so a signature cannot be moved to another record and
does not survive a change to the preparation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hemgenix_desktop.domain.checks import CheckContext, Checklist, Section, load_checklist, problem_with
from hemgenix_desktop.domain.dose import DOSE_ML_STEP
from hemgenix_desktop.domain.eligibility import check_eligibility
from hemgenix_desktop.domain.errors import (
    BlindCheckMismatch,
    ChangedAfterSigning,
    InvalidInput,
    OverrideNotPharmacist,
    SameSignerRefused,
    SignerRefused,
    VerifierNotPharmacist,
)
from hemgenix_desktop.domain.guards import check_person_overrides
from hemgenix_desktop.domain.parsing import AmountWords, CountWords, parse_count, parse_ml
from hemgenix_desktop.domain.patient import verify_identity
from hemgenix_desktop.domain.permissions import may_approve_override, may_prepare, may_verify
from hemgenix_desktop.domain.preparation import Attribution, Preparation  # Attribution lives with the Preparation
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.domain.weight import SHOWN_KG, Weight

PHARMACIST = Role.PHARMACIST.value
TECHNICIAN = Role.TECHNICIAN.value
IDENTITY_STEP = "identity"  # the attribution key for the identity check (the others are checklist ids)


class Meaning(StrEnum):
    """The meaning of a signature, printed beside it (21 CFR 11.50)."""

    PREPARED_BY = "Prepared by"
    VERIFIED_BY = "Verified by"
    OVERRIDE_APPROVED = "Override approved"
    AMENDED_BY = "Amended by"  # the person who corrected a sealed record, on the amendment record


# The first signature of a record: "Prepared by" on an original record, "Amended by" on an amendment.
FIRST_SIGNATURES = (Meaning.PREPARED_BY, Meaning.AMENDED_BY)


@dataclass(frozen=True)
class Signer:
    """A signed-in person, as the users layer knows them."""

    username: str
    printed_name: str
    role: str  # "technician" or "pharmacist"
    person: str = ""  # the person's employee (or licence) number: one person, one number, whatever the username


def _local(at: datetime, tz: tzinfo | None) -> datetime:
    """``at`` in the workstation's zone (``tz``, or the system's own when None)."""
    return at.astimezone(tz) if tz is not None else at.astimezone()


def _aware_utc(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("signature times must carry a time zone")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class Signature:
    """One electronic signature: who, as what, when (UTC and local with zone), where, on which content."""

    meaning: Meaning
    username: str
    printed_name: str
    role: str
    signed_at: datetime  # UTC
    local_time: datetime  # the same instant in the workstation's zone
    zone: str  # the zone's name at that instant, e.g. "CST"
    workstation: str
    content_sha256: str
    subject: str = ""  # override: what was overridden (the wizard's warning or notice)
    reason: str = ""  # override: why the pharmacist approved it
    person: str = ""  # the signer's employee (or licence) number ("" in records signed before it was kept)

    def signer(self) -> Signer:
        return Signer(self.username, self.printed_name, self.role, self.person)

    def to_dict(self) -> dict[str, str]:
        person = {"person": self.person} if self.person else {}  # records sealed before it was kept stay as they were
        return person | {
            "meaning": self.meaning.value,
            "username": self.username,
            "printed_name": self.printed_name,
            "role": self.role,
            "signed_at_utc": self.signed_at.isoformat(),
            "signed_at_local": self.local_time.isoformat(),
            "zone": self.zone,
            "workstation": self.workstation,
            "content_sha256": self.content_sha256,
            "subject": self.subject,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Signature:
        return cls(
            meaning=Meaning(data["meaning"]),
            username=str(data["username"]),
            printed_name=str(data["printed_name"]),
            role=str(data["role"]),
            signed_at=datetime.fromisoformat(data["signed_at_utc"]),
            local_time=datetime.fromisoformat(data["signed_at_local"]),
            zone=str(data["zone"]),
            workstation=str(data["workstation"]),
            content_sha256=str(data["content_sha256"]),
            subject=str(data.get("subject", "")),
            reason=str(data.get("reason", "")),
            person=str(data.get("person", "")),
        )


def attribute(step_ids: Iterable[str], signer: Signer, at: datetime) -> dict[str, Attribution]:
    """The attributions for every step of one wizard page, answered by ``signer`` at ``at``."""
    return {step: Attribution(signer.username, signer.printed_name, at) for step in step_ids}


def attribute_page(
    prep: Preparation, page_key: str, signer: Signer, at: datetime, checklist: Checklist | None = None
) -> None:
    """Record in ``prep.attributions`` that ``signer`` committed the wizard page ``page_key`` at ``at``: the page
    itself and the steps the sealed record names on it (the identity check; each item of a checklist page)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("attribution times must carry a time zone")
    steps = [page_key]
    if page_key in {section.value for section in Section}:
        steps += [item.id for item in (checklist or load_checklist()).section(Section(page_key))]
    prep.attributions.update(attribute(steps, signer, at))


def unattributed_steps(prep: Preparation, checklist: Checklist | None = None) -> list[str]:
    """The steps the sealed record must name a person for (the identity check, every checklist item) that
    ``prep.attributions`` does not; empty when every step is attributed."""
    needed = [IDENTITY_STEP, *(item.id for item in (checklist or load_checklist()).items)]
    return [step for step in needed if step not in prep.attributions]


def signature_needs_user_id(continuous_session: bool, signed_before_in_session: bool) -> bool:
    """21 CFR 11.200: the first signing in a continuous session uses both components (user ID and password);
    a later signing in the same continuous session needs the password only. A session that was broken (the
    screen locked, another user took over) starts again: both components."""
    return not (continuous_session and signed_before_in_session)


def same_person(a: str, b: str) -> bool:
    """Usernames compare trimmed and case-insensitively (the users layer keeps them unique that way)."""
    return a.strip().casefold() == b.strip().casefold()


def same_signer(a: Signer | Signature, b: Signer | Signature) -> bool:
    """One person, whatever their accounts: the same username, or the same employee (or licence) number. The
    independence rules (verifier, override approver, a second pharmacist's approval) compare persons so."""
    if same_person(a.username, b.username):
        return True
    return bool(a.person.strip()) and a.person.strip().casefold() == b.person.strip().casefold()


# --- what must be true before the preparer signs ----------------------------------------------------
def problems_before_signing(prep: Preparation, checklist: Checklist | None = None) -> list[str]:
    """Sentences naming what is still missing before the preparer may sign; empty when complete.

    Clinical stops met on the way (a failed criterion, an identity mismatch, a wrong kit, a failed
    inspection, a drawn volume that is not the dose) are raised, not listed.
    """
    checklist = checklist or load_checklist()
    problems: list[str] = []
    order = prep.order
    if order is None:
        return ["Enter the order first: the preparation has no order."]
    if prep.eligibility is None:
        problems.append("Answer the eligibility criteria first.")
    else:
        check_eligibility(prep.eligibility, order.patient.date_of_birth, order.infusion_date)
    if prep.identity is None:
        problems.append("Check the patient's identity against the carton first.")
    else:
        verify_identity(order.patient, prep.identity)
    dose = prep.dose
    if dose is None:
        problems.append("Enter today's weight first.")
    else:
        prep.drift()
        if dose.warnings and not prep.below_table_acknowledged:
            problems.append("Acknowledge on the weight page that the weight is below the policy's kit table.")
    if prep.weight_today is not None and prep.weight_measured_at is None:
        problems.append("Enter when today's weight was measured.")
    if prep.carton is None:
        problems.append("Scan the kit carton first.")
    else:
        prep.check_kit(prep.carton)
        if prep.vials_counted is None:
            problems.append("Count the vials in the carton first.")
        else:
            prep.check_vial_count(prep.vials_counted)
    if prep.prepared_at is None:
        problems.append("Enter the time the dose was prepared.")
        return problems
    context = CheckContext(dose.dose_ml if dose is not None else None, prep.prepared_at.date())
    for item in checklist.items:
        problem = problem_with(item, prep.checks.get(item.id), context)
        if problem is not None:
            problems.append(problem)
    return problems


def overrides_required(prep: Preparation) -> tuple[str, ...]:
    """The warnings and notices the wizard let through that need a pharmacist's approval with a reason.

    Each is the sentence the wizard showed; an override signature names it as its ``subject``.
    """
    dose = prep.dose
    if dose is None:
        return ()
    subjects = list(dose.warnings)
    notice = prep.drift()
    if notice is not None and notice.needs_override:  # up to the site's percentage, a notice only (issue 21)
        subjects.append(notice.message)
    return tuple(subjects)


# --- signer rules -----------------------------------------------------------------------------------
def _check_role(signer: Signer) -> None:
    if not may_prepare(signer.role):
        raise SignerRefused(
            f"{signer.printed_name} has the role “{signer.role}”, which cannot sign preparations. Ask a technician "
            "or a pharmacist to sign."
        )


def check_verifier(preparer: Signature, verifier: Signer) -> None:
    """Refuse the preparer (or the person correcting, on an amendment) as verifier, and anyone but a pharmacist."""
    if same_signer(preparer, verifier):
        if preparer.meaning is Meaning.AMENDED_BY:
            raise SameSignerRefused(
                f"{verifier.printed_name}, you made this correction, so you cannot also verify it. Ask a pharmacist "
                "who did not make the correction to do the blind check and sign."
            )
        raise SameSignerRefused(
            f"{verifier.printed_name}, you signed this preparation as the preparer, so you cannot also verify it. "
            "Ask a pharmacist who did not prepare it to do the blind check and sign."
        )
    if not may_verify(verifier.role):
        who = "did not make the correction" if preparer.meaning is Meaning.AMENDED_BY else "did not prepare it"
        raise VerifierNotPharmacist(
            f"{verifier.printed_name} is a {verifier.role}; only a pharmacist may verify a preparation. Ask a "
            f"pharmacist who {who} to do the blind check and sign."
        )


def check_override_approver(approver: Signer, preparer: Signature) -> None:
    """Refuse anyone but a pharmacist, and the preparer (or the person correcting, on an amendment) even when a
    pharmacist: an override is a second person's decision."""
    if not may_approve_override(approver.role):
        raise OverrideNotPharmacist(
            f"{approver.printed_name} is a {approver.role}; only a pharmacist may approve an override. Ask a "
            "pharmacist to approve it and give the reason."
        )
    if same_signer(preparer, approver):
        did = "made this correction" if preparer.meaning is Meaning.AMENDED_BY else "prepared this dose"
        raise SameSignerRefused(
            f"{approver.printed_name}, you {did}, so you cannot also approve its override. Ask another pharmacist "
            "to approve it and give the reason."
        )


# --- the blind check ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlindCheck:
    """The verifier's own figures, entered without seeing the preparer's.

    ``weight`` is the weight the dose is based on, as the verifier reads it from the order or weight record
    (parsed with ``parse_weight``); ``vials`` and ``dose_ml`` are what the verifier computed from it.
    """

    weight: Weight
    vials: int
    dose_ml: Decimal


BLIND_VIALS = CountWords(
    empty="Enter the number of vials you computed from the weight, in digits.",
    not_a_count="is not a number of vials. Type the vial count you computed, in digits.",
    zero="The vial count must be a whole number greater than zero. Compute it again.",
)
BLIND_DOSE = AmountWords(
    empty="Enter the dose volume you computed, as a number of mL.",
    comma="The dose volume has a comma. Use a decimal point (.) instead.",
    not_a_number="is not a volume. Type the dose volume you computed as a number of mL.",
    not_positive="The dose volume must be a number of mL greater than zero.",
    too_large="The dose volume cannot be over 10,000 mL. Compute it again and type it.",
)


def parse_blind_vials(text: str) -> int:
    """The vial count the verifier computed, typed in digits (read as the carton count is read)."""
    return parse_count(text, BLIND_VIALS)


def parse_blind_dose_ml(text: str) -> Decimal:
    """The dose volume the verifier computed, in mL (``144`` or ``144 mL``), read as the volume drawn up is read."""
    return parse_ml(text, BLIND_DOSE)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def blind_check(prep: Preparation, entry: BlindCheck, *, correction: bool = False) -> None:
    """Compare the verifier's figures with the preparation's; raise :class:`BlindCheckMismatch` on any difference.
    Its sentence names no figure and not which entries differ, only that they do not all agree: naming the entries
    that differ tells the verifier which of their figures were right, so a second try (theirs, or another
    pharmacist's after :data:`BLIND_CHECK_TRIES`) would be partly a copy (issue 21). Both values of each difference go
    to the audit trail (``differences``). On a ``correction`` (an amendment) it sends the verifier to the person who
    made the correction, whom the rule excludes (:func:`check_verifier`), not to the preparer."""
    dose = prep.dose
    if dose is None:
        raise InvalidInput("The preparation has no weight yet, so there is nothing to verify.")
    differences: list[tuple[str, str, str]] = []
    # Compared at the precision the record prints (0.01 kg, 0.01 mL), not digit for digit: a verifier who converts
    # 160 lb exactly (145.15 mL) matches; the dose volume is compared with the exact dose, before rounding up.
    if entry.weight.kg_shown != dose.weight.kg_shown:
        differences.append(("weight", f"{entry.weight.kg} kg", f"{dose.weight.kg} kg"))
    if entry.vials != dose.vials:
        differences.append(("vials", _plural(entry.vials, "vial"), _plural(dose.vials, "vial")))
    if abs(entry.dose_ml - dose.exact_ml) >= DOSE_ML_STEP:
        differences.append(("dose volume", f"{entry.dose_ml} mL", f"{dose.dose_ml} mL"))
    if differences:
        raise BlindCheckMismatch(
            "The blind check does not match the preparation: your figures do not all agree with it. Stop: do not "
            "sign. Work out the weight, the vial count and the dose volume again yourself, then do the blind check "
            f"once more; if it differs again, {_NEXT_MISMATCH[correction]} {BLIND_PRECISION}",
            tuple(differences),
        )


_NEXT_MISMATCH = {
    False: "another pharmacist must do the blind check, or the preparer must look at the order and the calculation "
    "again.",
    True: "another pharmacist who did not make this correction must do the blind check, or the person who made it "
    "must look at the correction and the calculation again.",
}

BLIND_PRECISION = (
    f"The weight is compared to {SHOWN_KG} kg and the dose volume to {DOSE_ML_STEP} mL, as the record prints them."
)


def blind_check_instruction(prep: Preparation) -> str:
    """Which weight the blind check is on, and the precision it compares at; never the weight itself (issue 21:
    "the order or today's weight record" invited the wrong one when the weight changed)."""
    order, today = prep.order, prep.weight_today
    if order is not None and today is not None and today.kg != order.prescription_weight.kg:
        where = (
            "The dose is based on today's weight, from today's weight record, which differs from the prescription "
            "weight on the order: work from today's weight, not the order's."
        )
    else:
        where = "The dose is based on today's weight, which is the same as the prescription weight on the order."
    return f"{where} {BLIND_PRECISION}"


BLIND_CHECK_TRIES = 2  # a verifier whose blind check differs this often stops: another pharmacist, or the preparer


def blind_check_exhausted(printed_name: str, *, correction: bool = False) -> str:
    """The stop after a verifier's blind check differed :data:`BLIND_CHECK_TRIES` times on the same signed
    preparation (issue 21: a third try would be guessing); on a ``correction``, in its words (the person who made it
    is excluded, not the preparer)."""
    if correction:
        return (
            f"{printed_name}, your blind check has not matched the corrected preparation twice. Stop: do not sign. "
            "Another pharmacist who did not make this correction must do the blind check, or the person who made it "
            "must look at the correction and the calculation again (the blind check starts anew once they sign the "
            "correction again)."
        )
    return (
        f"{printed_name}, your blind check has not matched the preparation twice. Stop: do not sign. Another "
        "pharmacist who did not prepare it must do the blind check, or the preparer must look at the order and the "
        "calculation again (the blind check starts anew once the preparer signs again)."
    )


# --- giving signatures ------------------------------------------------------------------------------
def _signature(
    meaning: Meaning,
    signer: Signer,
    *,
    workstation: str,
    content_sha256: str,
    at: datetime | None,
    tz: tzinfo | None,
    subject: str = "",
    reason: str = "",
) -> Signature:
    if not workstation.strip():
        raise InvalidInput("The workstation has no name. Set the workstation name in Settings, then sign again.")
    utc = _aware_utc(at)
    local = _local(utc, tz)
    return Signature(
        meaning=meaning,
        username=signer.username,
        printed_name=signer.printed_name,
        role=str(signer.role),
        signed_at=utc,
        local_time=local,
        zone=local.tzname() or local.strftime("UTC%z"),
        workstation=workstation.strip(),
        content_sha256=content_sha256,
        subject=subject,
        reason=reason,
        person=signer.person,
    )


def sign_as_preparer(
    prep: Preparation,
    signer: Signer,
    *,
    workstation: str,
    content_sha256: str,
    checklist: Checklist | None = None,
    at: datetime | None = None,
    tz: tzinfo | None = None,
    amending: bool = False,
) -> Signature:
    """The preparer's signature ("Prepared by"), or on an amendment (``amending``) the signature of the person
    who made the correction ("Amended by"). Refused while anything is missing (one sentence each)."""
    _check_role(signer)
    problems = problems_before_signing(prep, checklist)
    if problems:
        raise InvalidInput("The preparation is not complete, so it cannot be signed yet. " + " ".join(problems))
    meaning = Meaning.AMENDED_BY if amending else Meaning.PREPARED_BY
    return _signature(meaning, signer, workstation=workstation, content_sha256=content_sha256, at=at, tz=tz)


def sign_as_verifier(
    prep: Preparation,
    preparer: Signature,
    signer: Signer,
    entry: BlindCheck,
    *,
    workstation: str,
    content_sha256: str,
    at: datetime | None = None,
    tz: tzinfo | None = None,
) -> Signature:
    """The verifier's signature ("Verified by"), after the signer rules and the blind check. ``preparer`` is
    the first signature: "Prepared by", or "Amended by" on an amendment."""
    if preparer.meaning not in FIRST_SIGNATURES:
        raise InvalidInput("The preparer has not signed yet. The preparer signs first, then the verifier.")
    check_verifier(preparer, signer)
    if preparer.content_sha256 != content_sha256:
        raise ChangedAfterSigning(
            f"The preparation changed after {preparer.printed_name} signed it as preparer. The preparer must review "
            "it and sign again before it can be verified."
        )
    blind_check(prep, entry, correction=preparer.meaning is Meaning.AMENDED_BY)
    return _signature(Meaning.VERIFIED_BY, signer, workstation=workstation, content_sha256=content_sha256, at=at, tz=tz)


def approve_override(
    prep: Preparation,
    subject: str,
    reason: str,
    signer: Signer,
    *,
    preparer: Signature,
    workstation: str,
    content_sha256: str,
    at: datetime | None = None,
    tz: tzinfo | None = None,
) -> Signature:
    """A pharmacist's approval ("Override approved") of one of :func:`overrides_required`, with a reason; never
    by the person who signed ``preparer`` ("Prepared by", or "Amended by" on a correction)."""
    check_override_approver(signer, preparer)
    if subject not in overrides_required(prep):
        raise InvalidInput("There is no such warning to override in this preparation. Choose one the wizard showed.")
    if not reason.strip():
        raise InvalidInput("Enter the reason for the override in a few words, then sign again.")
    return _signature(
        Meaning.OVERRIDE_APPROVED,
        signer,
        workstation=workstation,
        content_sha256=content_sha256,
        at=at,
        tz=tz,
        subject=subject,
        reason=reason.strip(),
    )


def check_signatures_complete(
    prep: Preparation, signatures: Sequence[Signature], content_sha256: str, *, amendment: bool = False
) -> None:
    """Before sealing: one preparer ("Amended by" on an ``amendment``, and no "Prepared by"), one independent
    pharmacist verifier, every override approved, and every signature given on exactly this content. Raises
    with the sentence saying what is missing."""
    first, other = (Meaning.AMENDED_BY, Meaning.PREPARED_BY) if amendment else (Meaning.PREPARED_BY, Meaning.AMENDED_BY)
    prepared = [s for s in signatures if s.meaning is first]
    verified = [s for s in signatures if s.meaning is Meaning.VERIFIED_BY]
    if any(s.meaning is other for s in signatures):
        raise InvalidInput(
            f"A signature “{other.value}” does not belong on this record. Sign it again with the right meaning."
        )
    if len(prepared) != 1:
        raise InvalidInput(f"The record needs exactly one signature “{first.value}” before it is sealed.")
    if len(verified) != 1:
        raise InvalidInput("The record needs exactly one verifier's signature (Verified by) before it is sealed.")
    check_verifier(prepared[0], verified[0].signer())
    for signature in signatures:
        if signature.meaning is Meaning.OVERRIDE_APPROVED:
            check_override_approver(signature.signer(), prepared[0])
        if signature.content_sha256 != content_sha256:
            raise ChangedAfterSigning(
                f"The preparation changed after {signature.printed_name} signed it ({signature.meaning.value}). "
                "That signature no longer applies: sign again."
            )
    check_person_overrides(prep, prepared[0].username)
    approved = {s.subject for s in signatures if s.meaning is Meaning.OVERRIDE_APPROVED}
    missing = [subject for subject in overrides_required(prep) if subject not in approved]
    if missing:
        raise InvalidInput(
            "A pharmacist must approve this override with a reason before the record is sealed: " + missing[0]
        )
