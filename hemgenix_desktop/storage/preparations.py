"""A preparation's life in the database: started as a draft, saved as it goes, signed, sealed (with its record
kept, in one transaction), or voided with a reason; and the lists of those to resume.

The one-dose and one-carton guards are unique indexes in the database; when one refuses a write, the repository
names the preparation that holds the patient or the carton (the clinical stop is ``domain.guards``').
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any, NoReturn

from sqlalchemy import Connection, Row, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.guards import Holder, Person, carton_reuse_stop, same_person_stop, second_dose_stop
from hemgenix_desktop.domain.permissions import void_refusal
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, AuditAction, PreparationStatus
from hemgenix_desktop.storage.audit import changes
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.errors import AlreadySealed, PreparationClosed, StaleDraft, StorageError
from hemgenix_desktop.storage.person_guard import holder_of, same_person_holder
from hemgenix_desktop.storage.preparation_rows import (
    PreparationSummary,
    carton_columns,
    not_found,
    originals_not_saved,
    patient_columns,
    require_status,
    row_of,
    summary_query,
    to_summary,
)
from hemgenix_desktop.storage.schema import amendments, preparations
from hemgenix_desktop.storage.sealed_records import keep_record
from hemgenix_desktop.storage.search import write_search_terms
from hemgenix_desktop.storage.signatures import signature_count
from hemgenix_desktop.storage.trail_guard import dose_key_fields, sealed_holder
from hemgenix_desktop.storage.users import User
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import Writer, first_line, when

MAX_STEP_LENGTH = 50
LEASE = timedelta(minutes=20)  # a draft is shown "open at" its workstation this long after it was opened or saved
# The dose keys the guards hold: the trail is asked again only when a save changes one of them.
_KEY_COLUMNS = ("patient_identifier", "carton_gtin", "carton_serial")
_PERSON_COLUMNS = ("patient_identifier", "patient_name", "patient_date_of_birth", "patient_mrn")


class Preparations:
    """The preparations of one database. Obtain it as ``store.preparations``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start_preparation(self, prep: Preparation, user: User, workstation: str) -> PreparationSummary:
        """Save a new preparation as a draft (its order must be filled in). Raises
        ``PatientAlreadyHasPreparation`` or ``CartonAlreadyUsed`` naming the preparation that holds them."""
        self._db.check_practice(prep)
        data = prep.to_dict()
        columns = patient_columns(prep) | carton_columns(prep)
        try:
            with self._db.writing() as w:
                w.require_active_user(user.username)
                _check_trail(w, prep.id, columns)  # the exact identifier or carton first: no override can go on
                same_person = same_person_holder(w.conn, prep, columns)
                if same_person is not None:  # one dose per person: nothing is written (refused below)
                    raise _SamePerson(same_person)
                w.conn.execute(
                    insert(preparations).values(
                        id=prep.id,
                        status=PreparationStatus.DRAFT.value,
                        void_reason=None,
                        step=_step(prep.step),
                        data=data,
                        practice=prep.practice,
                        created_by=user.username,
                        created_at=w.now,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                        row_version=1,
                        **_lease(user, workstation, w),
                        **columns,
                    )
                )
                write_search_terms(w.conn, prep.id, columns)
                _, after = changes(None, data)
                w.audit(
                    user,
                    workstation,
                    AuditAction.PREPARATION_STARTED,
                    f"Started preparation {short_id(prep.id)} for {columns['patient_name']}.",
                    preparation_id=prep.id,
                    after=after,
                )
        except IntegrityError as exc:
            self._raise_guard(exc, prep.id, columns, user, workstation)
        except _SamePerson as found:
            self._refuse_same_person(found, prep.id, user, workstation)
        except _TrailHolds as held:
            self._refuse(held.kind, held.holder_id, prep.id, columns, user, workstation, cause=None)
        return self.summary(prep.id)

    def save_draft(
        self, prep: Preparation, step: str, user: User, workstation: str, *, version: int | None = None
    ) -> int:
        """Save the draft as it is now, to be resumed at ``step``, with an audit event of the values that
        changed (one transaction); returns the row's new version. The stored step is ``step``; ``prep`` itself is
        not changed. With ``version`` (the row version the values were loaded or last saved at) the save is a
        compare-and-set: when another save came in between, ``StaleDraft`` names who saved it where, and nothing
        is saved. The save also takes the draft's lease (it is open here)."""
        self._db.check_practice(prep)
        data = prep.to_dict()
        data["step"] = _step(step)
        columns = patient_columns(prep) | carton_columns(prep)
        try:
            with self._db.writing() as w:
                row = row_of(w.conn, prep.id)
                require_status(row, PreparationStatus.DRAFT, "saved")
                w.require_active_user(user.username)
                if version is not None and row.row_version != version:
                    raise _stale(w.conn, row)
                if any(getattr(row, key) != columns.get(key) for key in _KEY_COLUMNS):  # a new patient or carton
                    _check_trail(w, prep.id, columns)  # the exact identifier or carton first: no override goes on
                # One dose per person, asked again whenever who the patient is changes. Unchanged, the answer is the
                # one the start or an earlier save got: a later preparation of a matching patient was itself stopped
                # by this one at its start (or a pharmacist found the two to be different persons).
                if any(getattr(row, key) != columns.get(key) for key in _PERSON_COLUMNS):
                    same_person = same_person_holder(w.conn, prep, columns)
                    if same_person is not None:  # one dose per person: nothing is written (refused below)
                        raise _SamePerson(same_person)
                saved = w.conn.execute(
                    update(preparations)
                    .where(
                        preparations.c.id == prep.id,
                        preparations.c.status == PreparationStatus.DRAFT.value,
                        preparations.c.row_version == row.row_version,
                    )
                    .values(
                        step=data["step"],
                        data=data,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                        row_version=row.row_version + 1,
                        **_lease(user, workstation, w),
                        **columns,
                    )
                )
                if saved.rowcount != 1:  # changed between the read and the write: never overwrite it
                    raise _stale(w.conn, row_of(w.conn, prep.id))
                write_search_terms(w.conn, prep.id, columns)
                before, after = changes(row.data, data)
                count = len(before.keys() | after.keys())
                what = "no value changed" if count == 0 else f"{count} value{'' if count == 1 else 's'} changed"
                w.audit(
                    user,
                    workstation,
                    AuditAction.DRAFT_SAVED,
                    f"Saved preparation {short_id(prep.id)} at step “{data['step']}” ({what}).",
                    preparation_id=prep.id,
                    before=before,
                    after=after,
                )
        except IntegrityError as exc:
            self._raise_guard(exc, prep.id, columns, user, workstation)
        except _SamePerson as found:
            self._refuse_same_person(found, prep.id, user, workstation)
        except _TrailHolds as held:
            self._refuse(held.kind, held.holder_id, prep.id, columns, user, workstation, cause=None)
        return int(row.row_version) + 1

    def take_lease(self, prep_id: str, user: User, workstation: str, *, release: bool = False) -> None:
        """Mark the draft open at ``workstation`` by ``user`` for ``LEASE`` (``release``: no longer open, when it
        is this user's at this workstation). Not a change of the preparation: no row version, no audit event; a
        lease runs out by itself, so a workstation that crashed holds nothing for long."""
        with self._db.writing() as w:
            mine = and_(
                preparations.c.id == prep_id,
                preparations.c.status == PreparationStatus.DRAFT.value,
            )
            if release:
                mine = and_(mine, preparations.c.lease_by == user.username)
                mine = and_(mine, preparations.c.lease_workstation == workstation)
                values: dict[str, Any] = {"lease_by": None, "lease_workstation": None, "lease_until": None}
            else:
                values = _lease(user, workstation, w)
            w.conn.execute(update(preparations).where(mine).values(**values))

    def load(self, prep_id: str) -> Preparation:
        """The preparation exactly as last saved (its ``step`` is where to resume)."""
        return self.load_versioned(prep_id)[0]

    def load_versioned(self, prep_id: str) -> tuple[Preparation, int]:
        """The preparation as last saved and the row version it was read at (for the next ``save_draft``)."""
        with self._db.reading() as conn:
            row = row_of(conn, prep_id)
        return Preparation.from_dict(row.data), int(row.row_version)

    def summary(self, prep_id: str) -> PreparationSummary:
        with self._db.reading() as conn:
            row = conn.execute(summary_query().where(preparations.c.id == prep_id)).one_or_none()
        if row is None:
            raise not_found(prep_id)
        return to_summary(row)

    def unfinished(self) -> list[PreparationSummary]:
        """Drafts to resume or void, the most recently saved first."""
        query = (
            summary_query()
            .where(preparations.c.status == PreparationStatus.DRAFT.value)
            .order_by(preparations.c.updated_at.desc(), preparations.c.id)
        )
        with self._db.reading() as conn:
            return [to_summary(row) for row in conn.execute(query)]

    def outputs_not_saved(self) -> list[PreparationSummary]:
        """Sealed preparations whose record and label PDFs were never saved (the program stopped after the sealing
        committed and before the files): sealed by a version that audits the saving (``outputs_audited``) and no
        ``originals_saved`` event in their audit trail. The most recently sealed first."""
        query = (
            summary_query().where(originals_not_saved()).order_by(preparations.c.updated_at.desc(), preparations.c.id)
        )
        with self._db.reading() as conn:
            return [to_summary(row) for row in conn.execute(query)]

    def corrections_in_progress(self) -> list[PreparationSummary]:
        """Sealed preparations whose record is being corrected (a draft amendment), the most recently saved
        correction first."""
        drafts = (
            select(amendments.c.preparation_id, amendments.c.updated_at)
            .where(amendments.c.status == AmendmentStatus.DRAFT.value)
            .subquery()
        )
        query = (
            summary_query()
            .join(drafts, drafts.c.preparation_id == preparations.c.id)
            .where(preparations.c.status == PreparationStatus.SEALED.value)
            .order_by(drafts.c.updated_at.desc(), preparations.c.id)
        )
        with self._db.reading() as conn:
            return [to_summary(row) for row in conn.execute(query)]

    def void(self, prep_id: str, reason: str, user: User, workstation: str, *, meaning: str = "") -> None:
        """Void a preparation with a reason: its patient and carton are free again, the record stays. Who may void
        it is ``domain.permissions.may_void`` (a signed or sealed one: a pharmacist only). ``meaning``: the
        electronic signature's meaning ("Voided by") when the password was confirmed just before."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Give the reason for voiding the preparation, in a few words, then void it again.")
        with self._db.writing() as w:
            row = row_of(w.conn, prep_id)
            status = PreparationStatus(row.status)
            if status is PreparationStatus.VOIDED:
                raise PreparationClosed(
                    f"Preparation {short_id(prep_id)} was already voided ({row.void_reason}). Nothing was changed."
                )
            account = w.require_active_user(user.username)
            refusal = void_refusal(account.role, status, short_id(prep_id))
            if refusal is not None:
                raise PreparationClosed(refusal)
            # The event first: the database lets the status change only right after its event (0007).
            w.audit(
                user,
                workstation,
                AuditAction.PREPARATION_VOIDED,
                f"Voided preparation {short_id(prep_id)} for {row.patient_name}: {reason}"
                + (f" (signed “{meaning}” {user.full_name}, password confirmed)" if meaning else ""),
                preparation_id=prep_id,
                before={"status": status.value},
                after={"status": PreparationStatus.VOIDED.value, "void_reason": reason}
                | ({"signature_meaning": meaning} if meaning else {}),
            )
            w.conn.execute(
                update(preparations)
                .where(preparations.c.id == prep_id)
                .values(
                    status=PreparationStatus.VOIDED.value,
                    row_version=preparations.c.row_version + 1,
                    void_reason=reason,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )

    def seal_preparation(
        self,
        prep: Preparation,
        user: User,
        workstation: str,
        *,
        record_id: str,
        record_sha256: str,
        canonical: str | None,
    ) -> None:
        """Sealing, in ONE transaction: a crash or a failed write leaves the preparation wholly sealed or not
        sealed at all, never in between. Draft → signed (the final values saved; needs at least one
        signature; skipped when it is signed already), the sealed record's canonical text kept in the audit trail (action ``record_sealed``;
        ``canonical=None`` when that record is kept already), signed → sealed."""
        self._db.check_practice(prep)
        columns = patient_columns(prep) | carton_columns(prep)
        try:
            with self._db.writing() as w:
                row = row_of(w.conn, prep.id)
                if PreparationStatus(row.status) is PreparationStatus.SEALED:
                    raise _already_sealed(w.conn, prep.id)
                _guard_again(w, prep, columns)
                if PreparationStatus(row.status) is PreparationStatus.DRAFT:
                    _sign(w, prep, user, workstation)
                else:
                    require_status(row, PreparationStatus.SIGNED, "sealed")
                if canonical is not None:
                    keep_record(
                        w,
                        user,
                        workstation,
                        prep.id,
                        record_id=record_id,
                        sha256=record_sha256,
                        canonical=canonical,
                        amendment=0,
                        dose_keys=dose_key_fields(columns),
                    )
                _seal(w, prep.id, user, workstation)
        except _SamePerson as found:
            self._refuse_same_person(found, prep.id, user, workstation)
        except _TrailHolds as held:
            self._refuse(held.kind, held.holder_id, prep.id, columns, user, workstation, cause=None, sealed=held.sealed)

    # --- the one-dose and one-carton guards ----------------------------------------------------------
    def _raise_guard(
        self, exc: IntegrityError, prep_id: str, columns: dict[str, Any], user: User, workstation: str
    ) -> NoReturn:
        """A unique index refused the write: find the preparation that holds the patient or the carton,
        record the refusal in the audit trail, and raise the clinical stop that names it."""
        with self._db.reading() as conn:
            found = _holder(conn, prep_id, columns)
        if found is None:
            raise StorageError(
                f"The database refused to save preparation {short_id(prep_id)} ({first_line(exc.orig)}). Nothing was saved. "
                "Call IT support."
            ) from exc
        kind, row = found
        self._refuse(kind, row.id, prep_id, columns, user, workstation, cause=exc)

    def _refuse(
        self,
        kind: str,
        holder_id: str,
        prep_id: str,
        columns: dict[str, Any],
        user: User,
        workstation: str,
        *,
        cause: IntegrityError | None,
        sealed: bool = True,
    ) -> NoReturn:
        """Record the refusal in the audit trail and raise the clinical stop that names the holder. A holder found
        by its sealed record in the trail (``cause`` None and ``sealed``) is named sealed, whatever its row says
        now."""
        with self._db.reading() as conn:
            holder = holder_of(conn, conn.execute(summary_query().where(preparations.c.id == holder_id)).one())
        if cause is None and sealed and holder.status is not PreparationStatus.SEALED:  # the trail's record holds it
            holder = replace(holder, status=PreparationStatus.SEALED)
        stop: PatientAlreadyHasPreparation | CartonAlreadyUsed
        if kind == "patient":
            stop, action = second_dose_stop(holder), AuditAction.SECOND_PREPARATION_REFUSED
        else:
            stop, action = carton_reuse_stop(holder, columns["carton_serial"]), AuditAction.CARTON_REUSE_REFUSED
        with self._db.writing() as w:
            row_of(w.conn, holder.id)
            w.audit(
                user,
                workstation,
                action,
                f"Refused for preparation {short_id(prep_id)}: {stop.message}",
                preparation_id=holder.id,
                after={"refused_preparation_id": prep_id},
            )
        raise stop from cause

    def _refuse_same_person(self, found: _SamePerson, prep_id: str, user: User, workstation: str) -> NoReturn:
        """One dose per person: record the refusal in the earlier preparation's trail and raise the stop."""
        holder, earlier, match = found.holder
        stop = same_person_stop(holder, earlier, match)
        with self._db.writing() as w:
            w.audit(
                user,
                workstation,
                AuditAction.SAME_PERSON_REFUSED,
                f"Refused for preparation {short_id(prep_id)}: {stop.message}",
                preparation_id=holder.id,
                after={"refused_preparation_id": prep_id, "match": match},
            )
        raise stop from None


class _TrailHolds(Exception):  # noqa: N818 - a signal inside this module, never seen outside
    """The trail's sealed records name this patient or carton for another preparation (raised inside the writing
    transaction, so that it rolls back before the refusal is recorded); ``sealed`` False: another preparation's
    row holds it (found as a record is sealed, ``_guard_again``), as its row says."""

    def __init__(self, kind: str, holder_id: str, *, sealed: bool = True) -> None:
        super().__init__(kind, holder_id)
        self.kind = kind
        self.holder_id = holder_id
        self.sealed = sealed


def _check_trail(w: Writer, prep_id: str, columns: dict[str, Any]) -> None:
    """The one-dose and one-carton guards asked of the audit trail's sealed records too (``trail_guard``)."""
    found = sealed_holder(w.conn, prep_id, columns)
    if found is not None:
        raise _TrailHolds(*found)


def _guard_again(w: Writer, prep: Preparation, columns: dict[str, Any]) -> None:
    """The one-dose, one-carton and one-person guards asked once more in the transaction that seals the record.

    A start or a save asks them when the patient or the carton is entered or changed; nothing changes a signed
    preparation. But a row changed behind the program's back in between (a draft's patient renamed while another
    preparation for that person was sealed, then named back), or a unique index dropped, would let a second dose be
    sealed without a guard ever seeing both. So the last moment asks again: the trail's sealed records, the other
    preparations' rows (what the unique indexes would refuse) and the one-person rule; nothing is sealed when one
    holds (the caller records the refusal and raises the clinical stop)."""
    _check_trail(w, prep.id, columns)
    held = _holder(w.conn, prep.id, columns)
    if held is not None:
        raise _TrailHolds(held[0], held[1].id, sealed=False)
    same_person = same_person_holder(w.conn, prep, columns)
    if same_person is not None:
        raise _SamePerson(same_person)


class _SamePerson(Exception):  # noqa: N818 - leaves the writing transaction with nothing written
    def __init__(self, holder: tuple[Holder, Person, str]) -> None:
        super().__init__(holder[0].id)
        self.holder = holder


def _holder(conn: Connection, prep_id: str, columns: dict[str, Any]) -> tuple[str, Row[Any]] | None:
    others = and_(preparations.c.id != prep_id, preparations.c.status != PreparationStatus.VOIDED.value)
    row = conn.execute(
        summary_query().where(others, preparations.c.patient_identifier == columns["patient_identifier"])
    ).first()
    if row is not None:
        return "patient", row
    if columns.get("carton_serial") is not None:
        row = conn.execute(
            summary_query().where(
                others,
                preparations.c.carton_gtin == columns["carton_gtin"],
                preparations.c.carton_serial == columns["carton_serial"],
            )
        ).first()
        if row is not None:
            return "carton", row
    return None


def _sign(w: Writer, prep: Preparation, user: User, workstation: str) -> None:
    """Draft → signed inside the transaction ``w`` (for ``seal_preparation``): the final values saved; needs at
    least one signature; from now on the preparation cannot be changed, only sealed or voided."""
    data = prep.to_dict()
    row = row_of(w.conn, prep.id)
    require_status(row, PreparationStatus.DRAFT, "signed")
    w.require_active_user(user.username)
    if not signature_count(w.conn, prep.id, 0):
        raise InvalidInput(f"Preparation {short_id(prep.id)} has no signature yet. Sign it before marking it signed.")
    data["step"] = row.step
    before, after = changes(row.data, data)
    # The event first: the database lets the status change only right after its event (0007).
    w.audit(
        user,
        workstation,
        AuditAction.PREPARATION_SIGNED,
        f"Preparation {short_id(prep.id)} is signed; it can no longer be changed.",
        preparation_id=prep.id,
        before={"status": row.status, **before},
        after={"status": PreparationStatus.SIGNED.value, **after},
    )
    signing = w.conn.execute(
        update(preparations)
        .where(preparations.c.id == prep.id, preparations.c.status == PreparationStatus.DRAFT.value)
        .values(
            status=PreparationStatus.SIGNED.value,
            row_version=preparations.c.row_version + 1,
            lease_by=None,
            lease_workstation=None,
            lease_until=None,
            data=data,
            updated_by=user.username,
            updated_at=w.now,
            workstation=workstation,
            **(patient_columns(prep) | carton_columns(prep)),
        )
    )
    if signing.rowcount != 1:  # compare-and-set: only a draft becomes signed, once
        require_status(row_of(w.conn, prep.id), PreparationStatus.DRAFT, "signed")
    write_search_terms(w.conn, prep.id, patient_columns(prep))


def _seal(w: Writer, prep_id: str, user: User, workstation: str) -> None:
    """Signed → sealed inside the transaction ``w`` (for ``seal_preparation``)."""
    row = row_of(w.conn, prep_id)
    if PreparationStatus(row.status) is PreparationStatus.SEALED:
        raise _already_sealed(w.conn, prep_id)
    require_status(row, PreparationStatus.SIGNED, "sealed")
    w.require_active_user(user.username)
    w.audit(
        user,
        workstation,
        AuditAction.PREPARATION_SEALED,
        f"Preparation {short_id(prep_id)} is sealed.",
        preparation_id=prep_id,
        before={"status": row.status},
        after={"status": PreparationStatus.SEALED.value},
    )
    sealing = w.conn.execute(  # compare-and-set: the status changes only from signed, in this one statement
        update(preparations)
        .where(preparations.c.id == prep_id, preparations.c.status == PreparationStatus.SIGNED.value)
        .values(
            status=PreparationStatus.SEALED.value,
            row_version=preparations.c.row_version + 1,
            outputs_audited=True,
            updated_by=user.username,
            updated_at=w.now,
            workstation=workstation,
        )
    )
    if sealing.rowcount != 1:  # sealed (or voided) by another transaction: this one keeps nothing
        raise _already_sealed(w.conn, prep_id)


def _lease(user: User, workstation: str, w: Writer) -> dict[str, Any]:
    return {"lease_by": user.username, "lease_workstation": workstation, "lease_until": w.now + LEASE}


def _stale(conn: Connection, row: Row[Any]) -> StaleDraft:
    """The refusal of a save made on an older version of the draft ``row`` (as it is in the database now)."""
    summary = to_summary(conn.execute(summary_query().where(preparations.c.id == row.id)).one())
    return StaleDraft(
        f"Preparation {short_id(row.id)} for {row.patient_name} was changed by {summary.updated_by_name} "
        f"({summary.updated_by}) at {summary.workstation} on {when(summary.updated_at)}, after this workstation "
        "read it, so this save was refused and nothing was overwritten.",
        version=int(row.row_version),
        updated_by=summary.updated_by,
        updated_by_name=summary.updated_by_name,
        workstation=summary.workstation,
    )


def _already_sealed(conn: Connection, prep_id: str) -> AlreadySealed:
    summary = to_summary(conn.execute(summary_query().where(preparations.c.id == prep_id)).one())
    if summary.status is not PreparationStatus.SEALED:
        return AlreadySealed(
            f"Preparation {short_id(prep_id)} for {summary.patient_name} is {summary.status.value} now, so it cannot "
            "be sealed. Open it from the History window to see it."
        )
    return AlreadySealed(
        f"Preparation {short_id(prep_id)} for {summary.patient_name} was sealed already, by "
        f"{summary.updated_by_name} ({summary.updated_by}) at {summary.workstation} on {when(summary.updated_at)}. "
        "Its record is the one kept; nothing of this sealing was kept."
    )


def _step(step: str) -> str:
    step = step.strip()
    if not step or len(step) > MAX_STEP_LENGTH:
        raise ValueError(f"a step name is 1 to {MAX_STEP_LENGTH} characters: {step!r}")
    return step


__all__ = ["MAX_STEP_LENGTH", "Preparations"]
