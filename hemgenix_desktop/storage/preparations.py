"""A preparation's life in the database: started as a draft, saved as it goes, signed, sealed (with its record
kept, in one transaction), or voided with a reason; and the lists of those to resume.

The one-dose and one-carton guards are unique indexes in the database; when one refuses a write, the repository
names the preparation that holds the patient or the carton (the clinical stop is ``domain.guards``').
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import Connection, Row, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.guards import Holder, carton_reuse_stop, second_dose_stop
from hemgenix_desktop.domain.permissions import void_refusal
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, AuditAction, PreparationStatus
from hemgenix_desktop.storage.audit import changes
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.errors import PreparationClosed, StorageError
from hemgenix_desktop.storage.preparation_rows import (
    PreparationSummary,
    carton_columns,
    not_found,
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
from hemgenix_desktop.storage.users import User
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import Writer, first_line

MAX_STEP_LENGTH = 50


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
        return self.summary(prep.id)

    def save_draft(self, prep: Preparation, step: str, user: User, workstation: str) -> None:
        """Save the draft as it is now, to be resumed at ``step``, with an audit event of the values that
        changed (one transaction). The stored step is ``step``; ``prep`` itself is not changed."""
        self._db.check_practice(prep)
        data = prep.to_dict()
        data["step"] = _step(step)
        columns = patient_columns(prep) | carton_columns(prep)
        try:
            with self._db.writing() as w:
                row = row_of(w.conn, prep.id)
                require_status(row, PreparationStatus.DRAFT, "saved")
                w.require_active_user(user.username)
                w.conn.execute(
                    update(preparations)
                    .where(preparations.c.id == prep.id)
                    .values(
                        step=data["step"],
                        data=data,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                        **columns,
                    )
                )
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

    def load(self, prep_id: str) -> Preparation:
        """The preparation exactly as last saved (its ``step`` is where to resume)."""
        with self._db.reading() as conn:
            row = row_of(conn, prep_id)
        return Preparation.from_dict(row.data)

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
            w.conn.execute(
                update(preparations)
                .where(preparations.c.id == prep_id)
                .values(
                    status=PreparationStatus.VOIDED.value,
                    void_reason=reason,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
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

    def mark_signed(self, prep: Preparation, user: User, workstation: str) -> None:
        """Draft → signed, saving the final values. Needs at least one signature; from now on the
        preparation cannot be changed, only sealed or voided."""
        self._db.check_practice(prep)
        with self._db.writing() as w:
            _sign(w, prep, user, workstation)

    def mark_sealed(self, prep_id: str, user: User, workstation: str) -> None:
        """Signed → sealed (the record has been sealed and issued)."""
        with self._db.writing() as w:
            _seal(w, prep_id, user, workstation)

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
        sealed at all, never in between. Draft → signed (as ``mark_signed``; skipped when it is signed
        already), the sealed record's canonical text kept in the audit trail (action ``record_sealed``;
        ``canonical=None`` when that record is kept already), signed → sealed."""
        self._db.check_practice(prep)
        with self._db.writing() as w:
            row = row_of(w.conn, prep.id)
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
                )
            _seal(w, prep.id, user, workstation)

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
        holder = Holder(
            id=row.id,
            short_id=short_id(row.id),
            patient_name=row.patient_name,
            identifier_entered=row.patient_identifier_entered,
            status=PreparationStatus(row.status),
            created_by=row.created_by,
            created_by_name=row.created_by_name,
            created_at=row.created_at,
        )
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
        raise stop from exc


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
    """Draft → signed inside the transaction ``w`` (for ``mark_signed`` and ``seal_preparation``)."""
    data = prep.to_dict()
    row = row_of(w.conn, prep.id)
    require_status(row, PreparationStatus.DRAFT, "signed")
    w.require_active_user(user.username)
    if not signature_count(w.conn, prep.id, 0):
        raise InvalidInput(f"Preparation {short_id(prep.id)} has no signature yet. Sign it before marking it signed.")
    data["step"] = row.step
    w.conn.execute(
        update(preparations)
        .where(preparations.c.id == prep.id)
        .values(
            status=PreparationStatus.SIGNED.value,
            data=data,
            updated_by=user.username,
            updated_at=w.now,
            workstation=workstation,
            **(patient_columns(prep) | carton_columns(prep)),
        )
    )
    write_search_terms(w.conn, prep.id, patient_columns(prep))
    before, after = changes(row.data, data)
    w.audit(
        user,
        workstation,
        AuditAction.PREPARATION_SIGNED,
        f"Preparation {short_id(prep.id)} is signed; it can no longer be changed.",
        preparation_id=prep.id,
        before={"status": row.status, **before},
        after={"status": PreparationStatus.SIGNED.value, **after},
    )


def _seal(w: Writer, prep_id: str, user: User, workstation: str) -> None:
    """Signed → sealed inside the transaction ``w`` (for ``mark_sealed`` and ``seal_preparation``)."""
    row = row_of(w.conn, prep_id)
    require_status(row, PreparationStatus.SIGNED, "sealed")
    w.require_active_user(user.username)
    w.conn.execute(
        update(preparations)
        .where(preparations.c.id == prep_id)
        .values(
            status=PreparationStatus.SEALED.value,
            updated_by=user.username,
            updated_at=w.now,
            workstation=workstation,
        )
    )
    w.audit(
        user,
        workstation,
        AuditAction.PREPARATION_SEALED,
        f"Preparation {short_id(prep_id)} is sealed.",
        preparation_id=prep_id,
        before={"status": row.status},
        after={"status": PreparationStatus.SEALED.value},
    )


def _step(step: str) -> str:
    step = step.strip()
    if not step or len(step) > MAX_STEP_LENGTH:
        raise ValueError(f"a step name is 1 to {MAX_STEP_LENGTH} characters: {step!r}")
    return step


__all__ = ["MAX_STEP_LENGTH", "Preparations"]
