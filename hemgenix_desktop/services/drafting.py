"""Drafting: the wizard's autosave, with no Qt.

The first page committed starts the preparation in the store (``Store.start_preparation``); every later one saves
the draft (``Store.save_draft``) at the page to resume at. The database's guards (one dose per patient, one carton
per preparation) refuse there with their sentence. A draft resumed at its Review after signatures were given on it
keeps the review's earlier attribution when nothing else changed (:func:`keep_signed_review`), so those signatures
stay valid.
"""

from __future__ import annotations

from enum import Enum

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.security.seal import preparation_sha256
from hemgenix_desktop.security.signin import Purpose, SignInService
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import AmendmentSummary, PreparationSummary, StorageError, Store, User

REVIEW_STEP = "review"  # the wizard's last page
VOIDED_BY = "Voided by"  # the meaning of the electronic signature that voids a preparation


class ResumeIn(Enum):
    """Where an unfinished preparation goes on."""

    WIZARD = "wizard"  # a draft: the wizard, at its saved step
    SIGNING = "signing"  # signed, its record not sealed (the program stopped while sealing): the signing seals it
    CORRECTION = "correction"  # sealed, with a correction started: the correction, with its values
    NOWHERE = "nowhere"  # no longer unfinished (sealed or voided meanwhile, perhaps at another workstation)


def resume_in(summary: PreparationSummary) -> ResumeIn:
    if summary.status is PreparationStatus.SIGNED:
        return ResumeIn.SIGNING
    if correcting(summary):
        return ResumeIn.CORRECTION
    return ResumeIn.WIZARD if summary.status is PreparationStatus.DRAFT else ResumeIn.NOWHERE


def resume(store: Store, prep_id: str) -> tuple[ResumeIn, PreparationSummary, Preparation | None]:
    """Where the unfinished preparation ``prep_id`` goes on, its summary, and the preparation itself when the wizard
    or the signing opens it (None for a correction, which loads its own values, and for one no longer unfinished).
    Raises ``StorageError`` (not found, the database) with its sentence."""
    summary = store.summary(prep_id)
    where = resume_in(summary)
    prep = store.load(prep_id) if where in (ResumeIn.WIZARD, ResumeIn.SIGNING) else None
    return where, summary, prep


def correcting(summary: PreparationSummary) -> bool:
    """A sealed preparation whose record is being corrected (listed to resume the correction)."""
    return summary.status is PreparationStatus.SEALED and summary.correcting


def resumable(store: Store) -> list[PreparationSummary]:
    """The drafts, the signed preparations not yet sealed, and the sealed ones whose correction was started and
    not sealed; the most recently saved first.

    A preparation is marked signed, then its record sealed and kept, then marked sealed; one that stays signed
    was interrupted while sealing, and is finished by resuming it (Store.unfinished() lists drafts only)."""
    found = store.unfinished() + store.search(status=PreparationStatus.SIGNED)
    drafts = sorted(found, key=lambda s: s.updated_at, reverse=True)
    return drafts + store.corrections_in_progress()


def correction_in_progress(store: Store, summary: PreparationSummary) -> AmendmentSummary | None:
    """The correction (draft amendment) being made of a sealed preparation listed to resume, or None."""
    return store.open_amendment(summary.id) if correcting(summary) else None


def may_void(summary: PreparationSummary) -> bool:
    """A draft or a signed preparation may be voided from the list; a correction is discarded on its own screen."""
    return not correcting(summary)


def void(
    store: Store,
    summary: PreparationSummary,
    reason: str,
    user: User,
    workstation: str,
    *,
    password: str,
    sign_in: SignInService,
) -> None:
    """Void an unfinished preparation with ``reason``: an electronic signature ("Voided by", 21 CFR 11.50 and
    11.200), so the person signed in types their password again (a wrong one counts toward the lockout) before
    ``Store.void`` (which refuses one without a reason, with the sentence). Raises ``InvalidInput`` for a
    correction (discarded on its own screen) and ``SignInRefused`` for a password not accepted; nothing is voided
    then."""
    if not may_void(summary):
        raise InvalidInput("A sealed preparation's correction is discarded on its own screen.")
    if not " ".join(reason.split()):
        raise InvalidInput("Give the reason for voiding the preparation, in a few words, then void it again.")
    if not password:
        raise InvalidInput("Voiding is signed: type your password again (Voided by), then void it again.")
    signer = sign_in.authenticate(user.username, password, workstation, Purpose.SIGNATURE)
    store.void(summary.id, reason, signer, workstation, meaning=VOIDED_BY)


def keep_signed_review(store: Store, prep: Preparation) -> None:
    """A draft resumed at its Review after signatures were given on it (the program stopped while signing):
    Finish attributes the review again, to the person signed in now and to this moment, which would change the
    content those signatures were given on. When nothing else changed, so that signatures are held on the content
    with the review's earlier attribution, that attribution is kept: the signatures stay valid and the signing
    reads them back. After any other change the new attribution stays, and the signatures no longer apply."""
    earlier = store.load(prep.id).attributions.get(REVIEW_STEP)
    if earlier is None or prep.attributions.get(REVIEW_STEP) == earlier:
        return
    candidate = Preparation.from_dict(prep.to_dict())
    candidate.attributions[REVIEW_STEP] = earlier
    if store.signatures(prep.id, preparation_sha256(candidate)):
        prep.attributions[REVIEW_STEP] = earlier


class Drafting:
    """The autosave of one preparation being entered; ``stored``: it is in the store already (a resumed draft)."""

    def __init__(self, ws: Workstation, *, stored: bool) -> None:
        self.ws = ws
        self.stored = stored

    def save(self, prep: Preparation, page: str, user: User | None) -> None:
        """Save the page just committed (``page``, the wizard's key). Raises ``InvalidInput`` (a ``DomainError``)
        with the sentence when nobody is signed in or the database refuses or cannot be written; the wizard then
        stays on the page."""
        if user is None:
            raise InvalidInput("Nobody is signed in, so nothing can be saved. Sign in again.")
        store, ws = self.ws.store, self.ws.workstation
        try:
            if self.stored:
                if page == REVIEW_STEP:
                    keep_signed_review(store, prep)
                store.save_draft(prep, prep.step, user, ws)
            else:
                store.start_preparation(prep, user, ws)
                self.stored = True
        except StorageError as exc:  # the database could not be written: the page says so and stays
            raise InvalidInput(exc.message) from exc


__all__ = [
    "REVIEW_STEP",
    "VOIDED_BY",
    "Drafting",
    "ResumeIn",
    "correcting",
    "keep_signed_review",
    "may_void",
    "resumable",
    "resume_in",
    "void",
]
