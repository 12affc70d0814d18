"""Corrections of a sealed record (amendments): started, saved while being made, discarded with a reason, or
sealed as a new record that corrects the newest one. The preparation's own row and its original record never
change. What a correction may change is ``domain.amendment`` and ``domain.guards.check_same_dose``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.guards import DoseKeys, check_same_dose, dose_keys
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, AuditAction
from hemgenix_desktop.storage.amendment_rows import (
    AmendmentSummary,
    amendment_not_found,
    amendment_query,
    amendment_row,
    require_amendment_draft,
    to_amendment_summary,
)
from hemgenix_desktop.storage.audit import changes as audit_changes
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.errors import PreparationClosed, StorageError
from hemgenix_desktop.storage.preparation_rows import carton_columns, patient_columns, require_sealed, row_of
from hemgenix_desktop.storage.schema import amendments
from hemgenix_desktop.storage.sealed_records import keep_record, newest_kept
from hemgenix_desktop.storage.search import add_search_terms
from hemgenix_desktop.storage.signatures import signature_count
from hemgenix_desktop.storage.trail_guard import dose_key_fields
from hemgenix_desktop.storage.users import User
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import first_line, when


class Amendments:
    """The corrections of sealed records in one database. Obtain it as ``store.corrections``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start_amendment(
        self,
        prep: Preparation,
        *,
        reason: str,
        changes: Sequence[Mapping[str, str]],
        amends_record_id: str,
        amends_sha256: str,
        user: User,
        workstation: str,
    ) -> AmendmentSummary:
        """Start correcting a sealed preparation's record: a new draft amendment, numbered after the
        preparation's earlier ones, holding ``prep`` (the corrected preparation, same id as the stored one), the
        reason, what changed, and the sealed record it corrects (``amends_record_id``: the newest record, the
        original's or the latest sealed amendment's). The preparations row is not changed. Refused with a
        sentence when the preparation is not sealed, another correction of it is being made, or that record was
        corrected already."""
        self._db.check_practice(prep)
        reason, listed, data = _amendment_reason(reason), _field_changes(changes), prep.to_dict()
        amendment_id = str(uuid.uuid4())
        try:
            with self._db.writing() as w:
                row = row_of(w.conn, prep.id)
                require_sealed(row)
                _require_same_dose(row, prep)
                w.require_active_user(user.username)
                conflict = _amendment_conflict(w.conn, prep.id, amends_record_id)
                if conflict is not None:
                    raise conflict
                _require_newest_record(w.conn, prep.id, amends_record_id, amends_sha256)
                latest = w.conn.execute(
                    select(func.max(amendments.c.number)).where(amendments.c.preparation_id == prep.id)
                ).scalar_one()
                number = (latest or 0) + 1
                w.conn.execute(
                    insert(amendments).values(
                        id=amendment_id,
                        preparation_id=prep.id,
                        number=number,
                        status=AmendmentStatus.DRAFT.value,
                        reason=reason,
                        changes=listed,
                        data=data,
                        amends_record_id=amends_record_id,
                        amends_sha256=amends_sha256,
                        record_id=None,
                        record_sha256=None,
                        void_reason=None,
                        created_by=user.username,
                        created_at=w.now,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                    )
                )
                w.audit(
                    user,
                    workstation,
                    AuditAction.AMENDMENT_STARTED,
                    f"Started amendment {number} of preparation {short_id(prep.id)}, correcting record "
                    f"{amends_record_id}: {reason}",
                    preparation_id=prep.id,
                    after={
                        "number": number,
                        "reason": reason,
                        "changes": listed,
                        "amends_record_id": amends_record_id,
                        "amends_sha256": amends_sha256,
                    },
                )
        except IntegrityError as exc:  # another workstation started one at the same moment
            with self._db.reading() as conn:
                conflict = _amendment_conflict(conn, prep.id, amends_record_id)
            if conflict is None:
                raise StorageError(
                    f"The database refused to save the correction of preparation {short_id(prep.id)} "
                    f"({first_line(exc.orig)}). Nothing was saved. Call IT support."
                ) from exc
            raise conflict from exc
        return self.amendment(amendment_id)

    def update_amendment(
        self,
        amendment_id: str,
        prep: Preparation,
        *,
        reason: str,
        changes: Sequence[Mapping[str, str]],
        user: User,
        workstation: str,
    ) -> AmendmentSummary:
        """Save a correction that is still being made (a draft amendment) with new corrected values, reason and
        list of changes, with an audit event of what changed. A sealed or discarded one is never changed."""
        self._db.check_practice(prep)
        reason, listed, data = _amendment_reason(reason), _field_changes(changes), prep.to_dict()
        with self._db.writing() as w:
            row = amendment_row(w.conn, amendment_id)
            if row.preparation_id != prep.id:
                raise InvalidInput(
                    f"Correction {row.number} belongs to preparation {short_id(row.preparation_id)}, not to "
                    f"preparation {short_id(prep.id)}. Open the correction from its own preparation."
                )
            require_amendment_draft(row, "changed")
            prep_row = row_of(w.conn, prep.id)
            require_sealed(prep_row)
            _require_same_dose(prep_row, prep)
            w.require_active_user(user.username)
            if reason != row.reason and _amendment_signed(w.conn, row):
                raise InvalidInput(
                    f"Signatures were given on correction {row.number} with the reason “{row.reason}”, so its reason "
                    "cannot change now. Keep it, or discard the correction and start again."
                )
            w.conn.execute(
                update(amendments)
                .where(amendments.c.id == amendment_id)
                .values(
                    reason=reason,
                    changes=listed,
                    data=data,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            before, after = _amendment_diff(row, reason, listed, data)
            count = len(before.keys() | after.keys())
            what = "no value changed" if count == 0 else f"{count} value{'' if count == 1 else 's'} changed"
            w.audit(
                user,
                workstation,
                AuditAction.AMENDMENT_CHANGED,
                f"Saved amendment {row.number} of preparation {short_id(prep.id)} ({what}).",
                preparation_id=prep.id,
                before=before,
                after=after,
            )
        return self.amendment(amendment_id)

    def void_amendment(self, amendment_id: str, reason: str, user: User, workstation: str) -> None:
        """Discard a correction that is still being made, with a reason (it keeps its number; the record it
        was correcting may be corrected again). A sealed amendment can never be discarded."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Give the reason for discarding the correction, in a few words, then discard it again.")
        with self._db.writing() as w:
            row = amendment_row(w.conn, amendment_id)
            require_amendment_draft(row, "discarded")
            w.require_active_user(user.username)
            # The event first: the database lets the status change only right after its event (0007).
            w.audit(
                user,
                workstation,
                AuditAction.AMENDMENT_VOIDED,
                f"Discarded amendment {row.number} of preparation {short_id(row.preparation_id)}: {reason}",
                preparation_id=row.preparation_id,
                before={"status": AmendmentStatus.DRAFT.value},
                after={"status": AmendmentStatus.VOIDED.value, "void_reason": reason},
            )
            w.conn.execute(
                update(amendments)
                .where(amendments.c.id == amendment_id)
                .values(
                    status=AmendmentStatus.VOIDED.value,
                    void_reason=reason,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )

    def seal_amendment(
        self,
        amendment_id: str,
        user: User,
        workstation: str,
        *,
        record_id: str,
        record_sha256: str,
        canonical: str | None,
    ) -> None:
        """Sealing a correction, in ONE transaction (as ``seal_preparation``): the sealed record's canonical text
        kept in the audit trail (action ``record_sealed``, with its amendment number; ``canonical=None`` when it
        is kept already), the amendment marked sealed with its record, and the corrected patient's search terms
        added to the preparation's (the original's stay, so History finds it by either). The preparations row
        is not changed. Sealed already with this record: nothing to do (a retry after a crash is safe)."""
        with self._db.writing() as w:
            row = amendment_row(w.conn, amendment_id)
            status = AmendmentStatus(row.status)
            if status is AmendmentStatus.SEALED:
                if row.record_id == record_id:
                    return
                raise PreparationClosed(
                    f"Amendment {row.number} of preparation {short_id(row.preparation_id)} is sealed already as "
                    f"record {row.record_id}, and a sealed record never changes. Nothing was changed."
                )
            require_amendment_draft(row, "sealed")
            prep_row = row_of(w.conn, row.preparation_id)
            require_sealed(prep_row)
            w.require_active_user(user.username)
            signed = signature_count(w.conn, row.preparation_id, row.number)
            if not signed:
                raise InvalidInput(
                    f"Amendment {row.number} of preparation {short_id(row.preparation_id)} has no signature yet. "
                    "Sign it before sealing it."
                )
            prep_id, number = row.preparation_id, row.number
            fixed = Preparation.from_dict(row.data)
            if canonical is not None:
                keep_record(
                    w,
                    user,
                    workstation,
                    prep_id,
                    record_id=record_id,
                    sha256=record_sha256,
                    canonical=canonical,
                    amendment=number,
                    dose_keys=dose_key_fields(patient_columns(fixed) | carton_columns(fixed)),
                )
            # The event first: the database lets the status change only right after its event (0007).
            w.audit(
                user,
                workstation,
                AuditAction.AMENDMENT_SEALED,
                f"Amendment {number} of preparation {short_id(prep_id)} is sealed as record {record_id}, "
                f"correcting record {row.amends_record_id}.",
                preparation_id=prep_id,
                before={"status": AmendmentStatus.DRAFT.value},
                after={"status": AmendmentStatus.SEALED.value, "record_id": record_id, "record_sha256": record_sha256},
            )
            sealing = w.conn.execute(  # compare-and-set: only a draft amendment becomes sealed, once
                update(amendments)
                .where(amendments.c.id == amendment_id, amendments.c.status == AmendmentStatus.DRAFT.value)
                .values(
                    status=AmendmentStatus.SEALED.value,
                    record_id=record_id,
                    record_sha256=record_sha256,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            if sealing.rowcount != 1:
                raise PreparationClosed(
                    f"Amendment {number} of preparation {short_id(prep_id)} was sealed by another transaction a "
                    "moment ago. Nothing of this sealing was kept."
                )
            add_search_terms(w.conn, prep_id, patient_columns(fixed))

    def amendment(self, amendment_id: str) -> AmendmentSummary:
        with self._db.reading() as conn:
            row = conn.execute(amendment_query().where(amendments.c.id == amendment_id)).one_or_none()
        if row is None:
            raise amendment_not_found(amendment_id)
        return to_amendment_summary(row)

    def amendments(self, prep_id: str) -> list[AmendmentSummary]:
        """Every correction of a preparation's record (sealed, being made, discarded), by number."""
        query = amendment_query().where(amendments.c.preparation_id == prep_id).order_by(amendments.c.number)
        with self._db.reading() as conn:
            return [to_amendment_summary(row) for row in conn.execute(query)]

    def open_amendment(self, prep_id: str) -> AmendmentSummary | None:
        """The correction of a preparation's record being made now (its draft amendment), or None."""
        query = amendment_query().where(
            amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.DRAFT.value
        )
        with self._db.reading() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else to_amendment_summary(row)

    def load_amendment(self, amendment_id: str) -> Preparation:
        """The corrected preparation an amendment holds, as last saved."""
        with self._db.reading() as conn:
            row = amendment_row(conn, amendment_id)
        return Preparation.from_dict(row.data)


def _require_same_dose(row: Row[Any], prep: Preparation) -> None:
    """A correction is of the same dose (``domain.guards.check_same_dose``), its order filled in as saved."""
    patient_columns(prep) | carton_columns(prep)  # refuses a preparation without its order or identifier
    sealed = DoseKeys(row.patient_identifier, row.patient_date_of_birth, row.carton_gtin, row.carton_serial)
    check_same_dose(sealed, dose_keys(prep), short_id(row.id))


def _amendment_conflict(conn: Connection, prep_id: str, amends_record_id: str) -> InvalidInput | None:
    """Why a new correction cannot start now: another one of this preparation is being made, or the record
    was corrected already (each record is corrected at most once; the next correction corrects the newest)."""
    draft = conn.execute(
        amendment_query().where(
            amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.DRAFT.value
        )
    ).first()
    if draft is not None:
        return InvalidInput(
            f"{draft.created_by_name} is already correcting this record (started {when(draft.created_at)} at "
            f"{draft.workstation}). Continue that correction or discard it first."
        )
    corrected = conn.execute(
        select(amendments.c.number, amendments.c.record_id).where(
            amendments.c.amends_record_id == amends_record_id,
            amendments.c.status != AmendmentStatus.VOIDED.value,
        )
    ).first()
    if corrected is not None:
        return InvalidInput(
            f"Record {amends_record_id} was corrected already by amendment {corrected.number} (record "
            f"{corrected.record_id}). Correct the newest record."
        )
    return None


def _require_newest_record(conn: Connection, prep_id: str, record_id: str, sha256: str) -> None:
    """The record a correction corrects is the preparation's newest: its latest sealed amendment's (as the
    amendments table says), or else the original's as kept when it was sealed (``sealed_records.newest_kept``; a
    preparation sealed without keeping its record, or whose kept record cannot be trusted, has nothing to compare
    with)."""
    newest = conn.execute(
        select(amendments.c.record_id, amendments.c.record_sha256)
        .where(amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.SEALED.value)
        .order_by(amendments.c.number.desc())
        .limit(1)
    ).first()
    expected: tuple[str, str] | None = None
    if newest is not None:
        expected = (newest.record_id, newest.record_sha256)
    else:
        original = newest_kept(conn, prep_id, amendment=0)
        if original is not None:
            expected = (original.record_id, original.sha256)
    if expected is None:
        return
    if record_id != expected[0]:
        raise InvalidInput(
            f"Record {record_id} is not the newest record of preparation {short_id(prep_id)} (that is record "
            f"{expected[0]}). Correct the newest record."
        )
    if sha256 != expected[1]:
        raise InvalidInput(
            f"The SHA-256 given for record {record_id} is not the one it was sealed with, so it cannot be corrected. "
            "Open the preparation from the History window again."
        )


def _amendment_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give the reason for the correction (what was wrong in the record), then save it again.")
    return reason


def _field_changes(listed: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """What a correction changed, as ``FieldChange.to_dict()`` dicts (each checked to be one)."""
    if not listed:
        raise InvalidInput(
            "Nothing was changed, so there is nothing to correct. Change the value that is wrong in the record, or "
            "cancel the correction."
        )
    try:
        return [FieldChange.from_dict(change).to_dict() for change in listed]
    except KeyError as exc:
        raise ValueError(f"a change lacks its {exc.args[0]!r}: give FieldChange.to_dict() dicts") from exc


def _amendment_diff(
    row: Row[Any], reason: str, listed: list[dict[str, str]], data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a saved correction changed (reason, list of changes, corrected values), as flattened paths."""
    return audit_changes(
        {"reason": row.reason, "changes": row.changes, "data": row.data},
        {"reason": reason, "changes": listed, "data": data},
    )


def _amendment_signed(conn: Connection, row: Row[Any]) -> bool:
    """Somebody has signed this correction (on any of its contents)."""
    return signature_count(conn, row.preparation_id, row.number) > 0


__all__ = ["AmendmentSummary", "Amendments"]
