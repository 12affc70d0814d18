"""Drafting: the wizard's autosave, with no Qt.

The first page committed starts the preparation in the store (``Store.start_preparation``); every later one saves
the draft (``Store.save_draft``) at the page to resume at. The database's guards (one dose per patient, one carton
per preparation) refuse there with their sentence. A draft resumed at its Review after signatures were given on it
keeps the review's earlier attribution when nothing else changed (:func:`keep_signed_review`), so those signatures
stay valid.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.domain.carton import check_carton_for_mode
from hemgenix_desktop.domain.errors import DomainError, InvalidInput, SamePersonHasPreparation, SignerRefused
from hemgenix_desktop.domain.guards import approve_person_override
from hemgenix_desktop.domain.patient import PersonOverride
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.security.seal import preparation_sha256
from hemgenix_desktop.security.signin import Purpose, SignInService
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import AmendmentSummary, PreparationSummary, StaleDraft, StorageError, Store, User
from hemgenix_desktop.storage.audit import changes
from hemgenix_desktop.storage.values import short_id

if TYPE_CHECKING:  # the database's modules load with the database, after the first screen
    from hemgenix_desktop.storage.preparation_rows import Lease

REVIEW_STEP = "review"  # the wizard's last page
VOIDED_BY = "Voided by"  # the meaning of the electronic signature that voids a preparation


class ResumeIn(Enum):
    """Where an unfinished preparation goes on."""

    WIZARD = "wizard"  # a draft: the wizard, at its saved step
    SIGNING = "signing"  # signed, its record not sealed (the program stopped while sealing): the signing seals it;
    # or sealed, its record and label never saved (stopped after the sealing's commit): the signing makes the
    # originals from the sealed record and saves them
    CORRECTION = "correction"  # sealed, with a correction started: the correction, with its values
    NOWHERE = "nowhere"  # no longer unfinished (sealed or voided meanwhile, perhaps at another workstation)


def resume_in(summary: PreparationSummary) -> ResumeIn:
    if summary.status is PreparationStatus.SIGNED or summary.outputs_pending:
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
    """The drafts, the signed preparations not yet sealed, the sealed ones whose record and label were never saved,
    and the sealed ones whose correction was started and not sealed; the most recently saved first.

    A preparation is marked signed, then its record sealed and kept, then marked sealed; one that stays signed
    was interrupted while sealing, and is finished by resuming it (Store.unfinished() lists drafts only). One
    sealed whose PDFs were never saved was interrupted after the sealing's commit: resuming it makes the
    originals."""
    found = store.unfinished() + store.search(status=PreparationStatus.SIGNED) + store.preparations.outputs_not_saved()
    drafts = sorted(found, key=lambda s: s.updated_at, reverse=True)
    listed = {s.id for s in drafts}
    return drafts + [s for s in store.corrections_in_progress() if s.id not in listed]


def open_elsewhere(summary: PreparationSummary, workstation: str, user: User | None, now: datetime) -> Lease | None:
    """Who has this draft open at another workstation (or as someone else) now, or None: a lease that has not run
    out (``Store.preparations.take_lease``; a crashed workstation's runs out by itself)."""
    lease = summary.lease
    if summary.status is not PreparationStatus.DRAFT or lease is None or lease.until <= now:
        return None
    if lease.workstation == workstation and user is not None and lease.username == user.username:
        return None
    return lease


def correction_in_progress(store: Store, summary: PreparationSummary) -> AmendmentSummary | None:
    """The correction (draft amendment) being made of a sealed preparation listed to resume, or None."""
    return store.open_amendment(summary.id) if correcting(summary) else None


def may_void(summary: PreparationSummary) -> bool:
    """A draft or a signed preparation may be voided from the list; a correction is discarded on its own screen,
    and a sealed preparation (one whose PDFs were never saved is listed too) is never voided."""
    return summary.status in (PreparationStatus.DRAFT, PreparationStatus.SIGNED) and not correcting(summary)


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


@dataclass(frozen=True)
class DifferentPerson:
    """What the pharmacist types to let a possible same person go on: who (with the password), whether the earlier
    patient was shown to be a different person, and how."""

    username: str
    password: str
    reason: str
    shown: bool


def approve_different_person(
    ws: Workstation, prep: Preparation, stop: SamePersonHasPreparation, *, preparer: User, entry: DifferentPerson
) -> PersonOverride:
    """One dose per person: a pharmacist other than ``preparer`` (the person signed in, preparing the dose), with
    the password, finds that the earlier preparation of ``stop`` is a different person and says how it was shown.
    The finding goes into ``prep`` (it is saved with the next page and printed on the record) and into the earlier
    preparation's audit trail; a refusal is audited there too. Raises ``ClinicalStop`` or ``InvalidInput`` with
    the sentence."""
    confirmed = ws.sign_in.confirm_for_signature(entry.username, entry.password, ws.workstation)
    earlier = ws.store.summary(stop.existing_id)
    try:
        found = approve_person_override(
            stop,
            earlier.short_id,
            approver_username=confirmed.username,
            approver_name=confirmed.full_name,
            approver_role=confirmed.role.value,
            preparer_username=preparer.username,
            reason=entry.reason,
            different_person_shown=entry.shown,
            at=ws.now(),
        )
    except SignerRefused as exc:
        ws.store.record_event(
            confirmed,
            ws.workstation,
            AuditAction.SIGNATURE_REFUSED,
            f"Refused to approve going on with preparation {short_id(prep.id)} beside {earlier.short_id}: {exc.message}",
            preparation_id=earlier.id,
        )
        raise
    ws.store.record_event(
        confirmed,
        ws.workstation,
        AuditAction.PERSON_OVERRIDE_APPROVED,
        f"{confirmed.full_name} found that the patient of preparation {earlier.short_id} ({stop.match}) is not the "
        f"patient of preparation {short_id(prep.id)}: {found.reason}",
        preparation_id=earlier.id,
        after={"preparation_id": prep.id, **found.to_dict()},
    )
    prep.person_overrides[found.earlier_id] = found
    return found


@dataclass(frozen=True)
class Difference:
    """One value the draft holds now (saved at another workstation) and what was typed here instead."""

    what: str  # the value's path in the preparation, e.g. "weight value"
    theirs: str
    yours: str


class DraftChangedElsewhere(InvalidInput):
    """A stale save refused: another workstation saved the draft since it was read here. ``newer``: the draft as
    saved there (the page shows its values); ``differences``: where it differs from what was typed here."""

    def __init__(self, message: str, newer: Preparation, differences: tuple[Difference, ...]) -> None:
        super().__init__(message)
        self.newer = newer
        self.differences = differences


IGNORED = ("step", "attributions", "events")  # who did what when, and where to resume: not values typed
MAX_LISTED = 12
DERIVED = ("value", "kg")  # a weight's figures, read from what was entered and its unit


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in IGNORED}


def _shown(value: object) -> str:
    return "(empty)" if value is None or value == "" else f"“{value}”"


def differences(newer: dict[str, Any], yours: dict[str, Any]) -> tuple[Difference, ...]:
    """Each value (as a flattened path) where what was typed here differs from the draft saved elsewhere."""
    theirs, mine = changes(_typed(newer), _typed(yours))
    paths = theirs.keys() | mine.keys()
    found = []
    for path in sorted(paths):
        head, _, leaf = path.rpartition(".")
        if leaf in DERIVED and f"{head}.entered" in paths:  # a weight's figures: "entered" says it
            continue
        shown = _shown(theirs.get(path)), _shown(mine.get(path))
        if shown[0] != shown[1]:
            found.append(Difference(path.replace(".", " ").replace("_", " "), *shown))
    return tuple(found)


class Drafting:
    """The autosave of one preparation being entered; ``stored``: it is in the store already (a resumed draft,
    ``loaded`` as it was read, before the wizard showed it). Every save names the row version it was made on, so
    a save made on values another workstation changed meanwhile is refused (``DraftChangedElsewhere``)."""

    def __init__(
        self, ws: Workstation, *, stored: bool, loaded: Preparation | None = None, user: User | None = None
    ) -> None:
        self.ws = ws
        self.stored = stored
        self.base: dict[str, Any] | None = None if loaded is None else copy.deepcopy(loaded.to_dict())
        self.version: int | None = None  # the row version of the last save here (None: none yet)
        self.prep_id = None if loaded is None else loaded.id
        if stored and loaded is not None and user is not None:
            self._lease(user)

    def _lease(self, user: User, *, release: bool = False) -> None:
        """This draft is open here (or no longer, ``release``): others see "open at …" until the lease runs out."""
        if self.prep_id is None or not self.stored:
            return
        try:
            self.ws.store.preparations.take_lease(self.prep_id, user, self.ws.workstation, release=release)
        except (StorageError, DomainError):  # a lease only informs; it runs out by itself
            return

    def release(self, user: User | None) -> None:
        """The wizard is closed: the draft is no longer open here."""
        if user is not None:
            self._lease(user, release=True)

    def _refused(self, prep: Preparation) -> DraftChangedElsewhere:
        """The refusal of a stale save, naming who changed what where; the next save is made on the newer draft."""
        store = self.ws.store
        newer, version = store.preparations.load_versioned(prep.id)
        summary = store.summary(prep.id)
        newer_data = newer.to_dict()
        theirs = changes(_typed(self.base or {}), _typed(newer_data))
        changed = sorted(theirs[0].keys() | theirs[1].keys())
        found = differences(newer_data, prep.to_dict())
        what = ", ".join(path.replace(".", " ").replace("_", " ") for path in changed[:MAX_LISTED]) or "its step"
        lines = "".join(f"\n• {d.what}: now {d.theirs}; yours {d.yours}" for d in found[:MAX_LISTED])
        self.base, self.version = copy.deepcopy(newer_data), version
        return DraftChangedElsewhere(
            f"{summary.updated_by_name} ({summary.updated_by}) changed this preparation at {summary.workstation} on "
            f"{summary.updated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC while it was open here ({what}). This save was refused, so nothing was "
            "overwritten. The pages now show the values saved there (a field empty there keeps what you typed); "
            + (f"yours are kept beside them, not saved:{lines}" if lines else "nothing of yours differs.")
            + "\nCheck the values, then press Next again to save.",
            newer,
            found,
        )

    def _version(self, prep: Preparation) -> int:
        """The row version this save is made on: the last save's here, or (the first save of a resumed draft) the
        one read now when the draft is still as it was loaded."""
        if self.version is not None:
            return self.version
        current, version = self.ws.store.preparations.load_versioned(prep.id)
        if self.base is not None and changes(_typed(self.base), _typed(current.to_dict())) != ({}, {}):
            raise self._refused(prep)
        return version

    def save(self, prep: Preparation, page: str, user: User | None) -> None:
        """Save the page just committed (``page``, the wizard's key). Raises ``InvalidInput`` (a ``DomainError``)
        with the sentence when nobody is signed in or the database refuses or cannot be written; the wizard then
        stays on the page. A practice carton code outside practice mode is a ``ClinicalStop``: nothing is saved."""
        if user is None:
            raise InvalidInput("Nobody is signed in, so nothing can be saved. Sign in again.")
        if prep.carton is not None:
            check_carton_for_mode(prep.carton, practice=self.ws.practice and prep.practice)
        store, ws = self.ws.store, self.ws.workstation
        try:
            if self.stored:
                if page == REVIEW_STEP:
                    keep_signed_review(store, prep)
                self.version = store.save_draft(prep, prep.step, user, ws, version=self._version(prep))
            else:
                store.start_preparation(prep, user, ws)
                self.stored, self.version, self.prep_id = True, 1, prep.id
        except StaleDraft as exc:  # another workstation saved it meanwhile: refused, nothing overwritten
            raise self._refused(prep) from exc
        except StorageError as exc:  # the database could not be written: the page says so and stays
            raise InvalidInput(exc.message) from exc
        saved = prep.to_dict()
        saved["step"] = prep.step
        self.base = copy.deepcopy(saved)

    def approve_different_person(
        self, prep: Preparation, stop: SamePersonHasPreparation, preparer: User | None, entry: DifferentPerson
    ) -> PersonOverride:
        """:func:`approve_different_person` for the person signed in (``preparer``) preparing ``prep``."""
        if preparer is None:
            raise InvalidInput("Nobody is signed in, so nothing can be approved. Sign in again.")
        return approve_different_person(self.ws, prep, stop, preparer=preparer, entry=entry)


__all__ = [
    "REVIEW_STEP",
    "VOIDED_BY",
    "Difference",
    "DifferentPerson",
    "DraftChangedElsewhere",
    "Drafting",
    "ResumeIn",
    "approve_different_person",
    "correcting",
    "keep_signed_review",
    "may_void",
    "open_elsewhere",
    "resumable",
    "resume_in",
    "void",
]
