"""The signing process after Review, as a state machine with no Qt (issue 5; 21 CFR 11.10(f), 11.200).

:class:`SigningProcess` holds where one preparation's signing stands; the UI draws its :class:`Step` and calls its
actions. The steps follow the permitted order, and a later one is never reached before an earlier one is done:

1. ``PREPARER``: the person signed in signs "Prepared by" (a correction: "Amended by") with the password, and the
   username too when the session's rule asks for it (:meth:`SigningSession.needs_user_id`).
2. ``OVERRIDE``: each warning the wizard let through needs a reason and a pharmacist's "Override approved".
3. ``VERIFIER``: a pharmacist other than the preparer signs in; the preparer or a technician is refused.
4. ``BLIND``: the verifier's own weight, vial count and dose volume; any difference stops. Then "Verified by".
5. ``SEAL``: sealed and kept (:mod:`.sealing`); ``DONE`` once its PDFs are made.

``VOIDED`` and ``DISCARDED`` end it: the preparation was voided, or the correction discarded.

Every action returns normally when its step is done, raises :class:`Stopped` (a STOP: a clinical stop, a refused
signer, a blind-check mismatch) or a ``DomainError``/``StorageError`` whose sentence says what is still needed.
Refused signers (``signature_refused``) and blind-check mismatches (``blind_check_mismatch``) are written to the
audit trail here. Nothing here changes the Preparation, so the content hash each signature carries stays true.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hemgenix_desktop.domain.errors import BlindCheckMismatch, ClinicalStop, DomainError, SignerRefused
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import (
    BLIND_CHECK_TRIES,
    FIRST_SIGNATURES,
    BlindCheck,
    Meaning,
    Signature,
    blind_check_exhausted,
    check_verifier,
    overrides_required,
    parse_blind_dose_ml,
    parse_blind_vials,
    same_person,
    sign_as_preparer,
    sign_as_verifier,
    signature_needs_user_id,
    unattributed_steps,
)
from hemgenix_desktop.domain.signing import approve_override as approve_override_signature
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.domain.weight import Weight, parse_weight
from hemgenix_desktop.security.seal import SealedRecord, preparation_sha256
from hemgenix_desktop.services.sealing import Amending, seal_and_keep, sealed_elsewhere
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import StorageError, User, short_id


class Step(StrEnum):
    """Where a signing stands (the values are the UI's screen keys)."""

    PREPARER = "signPreparer"
    OVERRIDE = "signOverride"
    VERIFIER = "signVerifier"
    BLIND = "blindCheck"
    SEAL = "seal"
    DONE = "done"
    VOIDED = "voided"  # the preparation was voided: nothing can be signed
    DISCARDED = "discarded"  # the correction was discarded: nothing can be signed


class Stopped(DomainError):  # noqa: N818 - the name reads as the screen shows it
    """A STOP on the step: a clinical stop, a refused signer or a blind-check mismatch (the last two audited; when
    the audit trail could not be written, the sentence says so too)."""


class NotThePersonSignedIn(DomainError):  # noqa: N818
    """The username typed for the preparer's signature is another person's: the preparer signs as the person
    signed in (the screen says so in its own words)."""

    def __init__(self, user: User) -> None:
        super().__init__(f"You are signed in as {user.full_name} ({user.username}).")
        self.user = user


class PagesNotAttributed(DomainError):  # noqa: N818
    """Pages completed while nobody was signed in: the record could not say who completed them. ``missing`` are
    the checklist steps without an attribution."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("The record cannot say who completed some pages.")
        self.missing = missing


class BlindEntryInvalid(DomainError):  # noqa: N818
    """Figures of the blind check that cannot be read: ``problems`` maps "weight", "vials", "dose" to sentences."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass
class SigningSession:
    """The signed-in person's session (21 CFR 11.200). ``continuous`` is False once it was broken (the screen
    locked, another person took over); ``signatures_given`` counts this person's signatures in it: the first
    one needs the username and the password, later ones the password."""

    user: User
    continuous: bool = True
    signatures_given: int = 0

    def needs_user_id(self) -> bool:
        return signature_needs_user_id(self.continuous, self.signatures_given > 0)


def read_blind_check(weight: str, unit: str | None, vials: str, dose: str) -> BlindCheck:
    """The verifier's figures as typed; raises :class:`BlindEntryInvalid` naming each one that cannot be read."""
    problems: dict[str, str] = {}
    read_weight: Weight | None = None
    read_vials: int | None = None
    read_dose: Decimal | None = None
    try:
        read_weight = parse_weight(weight, unit)
    except DomainError as exc:
        problems["weight"] = exc.message
    try:
        read_vials = parse_blind_vials(vials)
    except DomainError as exc:
        problems["vials"] = exc.message
    try:
        read_dose = parse_blind_dose_ml(dose)
    except DomainError as exc:
        problems["dose"] = exc.message
    if read_weight is None or read_vials is None or read_dose is None:
        raise BlindEntryInvalid(problems)
    return BlindCheck(read_weight, read_vials, read_dose)


class SigningProcess:
    """One preparation's (or one correction's, ``amending``) signatures, from what the store holds."""

    def __init__(
        self, preparation: Preparation, ws: Workstation, session: SigningSession, amending: Amending | None = None
    ) -> None:
        self.prep = preparation
        self.ws = ws
        self.session = session
        self.amending = amending
        self.amendment_number = amending.number if amending is not None else 0
        self.content = preparation_sha256(preparation)
        self.signatures: list[Signature] = []
        self.verifier: User | None = None  # the pharmacist signed in for the blind check
        self.record: SealedRecord | None = None  # once sealed and kept
        self.sealed_elsewhere: str | None = None  # who sealed it where and when, when another workstation did

    # --- where it stands ------------------------------------------------------------------------------------
    def preparer_signature(self) -> Signature | None:
        return next((s for s in self.signatures if s.meaning in FIRST_SIGNATURES), None)

    def blind_mismatches(self, who: User | str) -> int:
        """How often this *person*'s blind check differed since the preparer signed this content (read from the
        audit trail, so a restart does not reset it). A person is their employee number, so a second account of the
        same person gets no fresh tries; an account without a number (made before revision 0008) counts alone."""
        preparer = self.preparer_signature()
        if preparer is None:
            return 0
        person = self._person(who)
        signed = {"meaning": preparer.meaning.value, "content_sha256": preparer.content_sha256}
        count = 0
        for event in self.ws.store.audit_trail(self.prep.id):  # oldest first: count from the preparer's signature
            if event.action == AuditAction.SIGNATURE_ADDED and all(event.after.get(k) == v for k, v in signed.items()):
                count = 0
            elif event.action == AuditAction.BLIND_CHECK_MISMATCH:
                number = event.after.get("employee_number")  # named since issue 14; older events: the account's
                if (("person", str(number).casefold()) if number else self._person(event.username)) == person:
                    count += 1
        return count

    def _person(self, who: User | str) -> tuple[str, str]:
        """("person", employee number) or, for an account without one, ("account", username)."""
        user = who if not isinstance(who, str) else self.ws.store.users.get(who.strip().casefold())
        number = user.employee_number if user is not None else None
        if number:
            return "person", number.strip().casefold()
        return "account", (who if isinstance(who, str) else who.username).strip().casefold()

    def pending_overrides(self) -> list[str]:
        approved = {s.subject for s in self.signatures if s.meaning is Meaning.OVERRIDE_APPROVED}
        return [subject for subject in overrides_required(self.prep) if subject not in approved]

    def override_progress(self) -> tuple[int, int]:
        """(which override is asked for now, how many the preparation needs)."""
        total = len(overrides_required(self.prep))
        return total - len(self.pending_overrides()) + 1, total

    def status(self) -> PreparationStatus:
        """The preparation's status, or (correcting) the amendment's, whose draft / sealed / voided read alike."""
        store = self.ws.store
        if self.amending is None:
            return store.summary(self.prep.id).status
        return PreparationStatus(store.amendment(self.amending.amendment.id).status.value)

    def next_step(self) -> Step:
        """The first step not yet done, from what the store holds (its signatures are read again)."""
        status = self.status()
        self.signatures = self.ws.store.signatures(self.prep.id, self.content, amendment=self.amendment_number)
        if status is PreparationStatus.VOIDED:
            return Step.DISCARDED if self.amending is not None else Step.VOIDED
        if status is not PreparationStatus.DRAFT:
            return Step.SEAL
        if self.preparer_signature() is None:
            return Step.PREPARER
        if self.pending_overrides():
            return Step.OVERRIDE
        if not any(s.meaning is Meaning.VERIFIED_BY for s in self.signatures):
            return Step.BLIND if self.verifier is not None else Step.VERIFIER
        return Step.SEAL

    def unattributed(self) -> list[str]:
        return unattributed_steps(self.prep, self.ws.checklist)

    def set_session(self, session: SigningSession) -> None:
        """The session changed (a lock, another person): a verifier who had signed in must sign in again."""
        self.session = session
        self.verifier = None

    # --- 1. the preparer ------------------------------------------------------------------------------------
    def sign_as_preparer(self, username: str, password: str) -> Signature:
        """The person signed in signs (``username`` is theirs when the session does not ask for it)."""
        user = self.session.user
        typed = username if self.session.needs_user_id() else user.username
        if typed.strip() and not same_person(typed, user.username):
            raise NotThePersonSignedIn(user)
        missing = self.unattributed()
        if missing:
            raise PagesNotAttributed(missing)
        ws = self.ws
        confirmed = ws.sign_in.confirm_for_signature(typed, password, ws.workstation)
        try:
            signature = sign_as_preparer(
                self.prep,
                confirmed.signer(),
                workstation=ws.workstation,
                content_sha256=self.content,
                checklist=ws.checklist,
                at=ws.now(),
                tz=ws.tz,
                amending=self.amending is not None,
            )
            ws.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except ClinicalStop as exc:
            raise Stopped(exc.message) from exc
        self.session.signatures_given += 1
        self.signatures.append(signature)
        return signature

    # --- 2. overrides ---------------------------------------------------------------------------------------
    def approve_override(self, subject: str, reason: str, username: str, password: str) -> Signature:
        """A pharmacist other than the preparer approves the override ``subject`` with ``reason``; anyone else is
        refused (audited)."""
        preparer = self.preparer_signature()
        if preparer is None:
            raise DomainError("The preparer signs first.")
        ws = self.ws
        confirmed = ws.sign_in.confirm_for_signature(username, password, ws.workstation)
        try:
            signature = approve_override_signature(
                self.prep,
                subject,
                reason,
                confirmed.signer(),
                preparer=preparer,
                workstation=ws.workstation,
                content_sha256=self.content,
                at=ws.now(),
                tz=ws.tz,
            )
            ws.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except SignerRefused as exc:
            raise Stopped(exc.message + self._audit_refusal(confirmed, Meaning.OVERRIDE_APPROVED, exc.message)) from exc
        except ClinicalStop as exc:
            raise Stopped(exc.message) from exc
        self.signatures.append(signature)
        return signature

    # --- 3. the verifier signs in ---------------------------------------------------------------------------
    def verifier_signs_in(self, username: str, password: str) -> User:
        """A pharmacist who did not prepare the dose; the preparer or a technician is refused (audited)."""
        preparer = self.preparer_signature()
        if preparer is None:
            raise DomainError("The preparer signs first.")
        ws = self.ws
        confirmed = ws.sign_in.confirm_for_signature(username, password, ws.workstation)
        try:
            check_verifier(preparer, confirmed.signer())
        except SignerRefused as exc:
            raise Stopped(exc.message + self._audit_refusal(confirmed, Meaning.VERIFIED_BY, exc.message)) from exc
        if self.blind_mismatches(confirmed) >= BLIND_CHECK_TRIES:
            sentence = blind_check_exhausted(confirmed.full_name, correction=preparer.meaning is Meaning.AMENDED_BY)
            raise Stopped(sentence + self._audit_refusal(confirmed, Meaning.VERIFIED_BY, sentence))
        self.verifier = confirmed
        return confirmed

    def another_verifier(self) -> None:
        self.verifier = None

    # --- 4. the blind check ---------------------------------------------------------------------------------
    def blind_check(self, entry: BlindCheck) -> Signature:
        """Compare the verifier's figures with the preparation's and sign "Verified by"; a difference stops and is
        audited. After ``BLIND_CHECK_TRIES`` differences this verifier is signed out of the blind check."""
        preparer, verifier = self.preparer_signature(), self.verifier
        if preparer is None or verifier is None:
            raise DomainError("The preparer signs, then the verifier signs in, before the blind check.")
        correction = preparer.meaning is Meaning.AMENDED_BY  # the stops speak of the person correcting
        if self.blind_mismatches(verifier) >= BLIND_CHECK_TRIES:
            self.verifier = None
            raise Stopped(blind_check_exhausted(verifier.full_name, correction=correction))
        ws = self.ws
        try:
            signature = sign_as_verifier(
                self.prep,
                preparer,
                verifier.signer(),
                entry,
                workstation=ws.workstation,
                content_sha256=self.content,
                at=ws.now(),
                tz=ws.tz,
            )
            ws.store.add_signature(self.prep.id, signature, amendment=self.amendment_number)
        except BlindCheckMismatch as exc:
            problem = self._audit_mismatch(verifier, exc)
            if self.blind_mismatches(verifier) >= BLIND_CHECK_TRIES:
                self.verifier = None
                raise Stopped(blind_check_exhausted(verifier.full_name, correction=correction) + problem) from exc
            raise Stopped(exc.message + problem) from exc
        except SignerRefused as exc:
            raise Stopped(exc.message + self._audit_refusal(verifier, Meaning.VERIFIED_BY, exc.message)) from exc
        except ClinicalStop as exc:
            raise Stopped(exc.message) from exc
        self.verifier = None
        self.signatures.append(signature)
        return signature

    # --- 5. sealing -----------------------------------------------------------------------------------------
    def seal(self) -> SealedRecord:
        """The sealed record: the one kept already, or sealed and kept now (:func:`.sealing.seal_and_keep`)."""
        record = seal_and_keep(self.ws, self.prep, self.session.user, self.amending)
        self.sealed_elsewhere = sealed_elsewhere(self.ws, self.prep.id, record, self.session.user)
        self.record = record
        self.signatures = list(record.signatures)
        return record

    # --- the audit trail ------------------------------------------------------------------------------------
    def _audit_refusal(self, who: User, meaning: Meaning, sentence: str) -> str:
        """Record a refused signer; returns "" or the sentence saying the audit trail could not be written."""
        try:
            self.ws.store.record_event(
                who,
                self.ws.workstation,
                AuditAction.SIGNATURE_REFUSED,
                f"{who.full_name} ({who.username}, {who.role.value}) was refused as “{meaning.value}” on preparation "
                f"{short_id(self.prep.id)}: {sentence}",
                preparation_id=self.prep.id,
                after={"meaning": meaning.value, "username": who.username, "role": who.role.value},
            )
        except (DomainError, StorageError) as exc:
            return " " + exc.message
        return ""

    def _audit_mismatch(self, verifier: User, exc: BlindCheckMismatch) -> str:
        """A blind check that caught a difference is an intercepted error: it goes to the audit trail."""
        try:
            self.ws.store.record_event(
                verifier,
                self.ws.workstation,
                AuditAction.BLIND_CHECK_MISMATCH,
                f"The blind check by {verifier.full_name} ({verifier.username}) did not match preparation "
                f"{short_id(self.prep.id)}: {exc.message}",
                preparation_id=self.prep.id,
                after={
                    "employee_number": verifier.employee_number,
                    "differences": [
                        {"what": what, "verifier": yours, "preparation": theirs}
                        for what, yours, theirs in exc.differences
                    ],
                },
            )
        except (DomainError, StorageError) as problem:
            return " " + problem.message
        return ""


__all__ = [
    "Amending",
    "BlindEntryInvalid",
    "NotThePersonSignedIn",
    "PagesNotAttributed",
    "SigningProcess",
    "SigningSession",
    "Step",
    "Stopped",
    "read_blind_check",
]
