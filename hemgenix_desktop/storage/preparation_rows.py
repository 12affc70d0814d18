"""A preparation's row: its columns made from a ``Preparation``, its summary as the lists show it, and the checks
of its status that several repositories share (preparations, amendments, signatures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, and_, func, select

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, AuditAction, PreparationStatus, status_words
from hemgenix_desktop.storage.errors import PreparationClosed, PreparationNotFound
from hemgenix_desktop.storage.schema import amendments, audit_events, preparations, users
from hemgenix_desktop.storage.values import short_id


@dataclass(frozen=True)
class Lease:
    """A draft open at a workstation: by whom, where, until when (it runs out by itself)."""

    username: str
    full_name: str
    workstation: str
    until: datetime


@dataclass(frozen=True)
class PreparationSummary:
    """One row of the unfinished list and of the History window."""

    id: str
    status: PreparationStatus
    step: str
    patient_name: str
    patient_date_of_birth: date
    patient_mrn: str
    patient_identifier: str  # as written on the order
    carton_gtin: str | None
    carton_serial: str | None
    void_reason: str | None
    practice: bool
    created_by: str
    created_by_name: str
    created_at: datetime
    updated_by: str
    updated_by_name: str
    updated_at: datetime
    workstation: str  # where it was last saved
    amendments: int = 0  # how many corrections (amendments) of its record are sealed
    correcting: bool = False  # a correction of its record is being made (a draft amendment)
    version: int = 1  # the row version: raised by every write (a stale draft save is refused)
    lease: Lease | None = None  # who last had the draft open, where, until when (compare ``until`` with now)
    outputs_pending: bool = False  # sealed, its record and label never saved (the program stopped before)

    @property
    def short_id(self) -> str:
        return short_id(self.id)


def patient_columns(prep: Preparation) -> dict[str, Any]:
    if prep.order is None:
        raise InvalidInput(
            "The order and the patient are not filled in yet, so the preparation cannot be saved. "
            "Fill in the order first."
        )
    patient = prep.order.patient
    identifier = normalise_identifier(patient.patient_specific_id)
    if not identifier:
        raise InvalidInput(
            "The patient-specific identifier is empty, so the preparation cannot be saved. "
            "Enter the identifier printed on the order."
        )
    return {
        "patient_identifier": identifier,
        "patient_identifier_entered": patient.patient_specific_id.strip(),
        "patient_name": patient.full_name.strip(),
        "patient_date_of_birth": patient.date_of_birth,
        "patient_mrn": patient.mrn.strip(),
    }


def carton_columns(prep: Preparation) -> dict[str, Any]:
    carton = prep.carton
    return {
        "carton_gtin": None if carton is None else carton.gtin,
        "carton_serial": None if carton is None else carton.serial,
    }


def row_of(conn: Connection, prep_id: str) -> Row[Any]:
    row = conn.execute(select(preparations).where(preparations.c.id == prep_id)).one_or_none()
    if row is None:
        raise not_found(prep_id)
    return row


def not_found(prep_id: str) -> PreparationNotFound:
    return PreparationNotFound(
        f"There is no preparation “{prep_id}”. Check its id in the History window or with “hemgenix-prep audit show”."
    )


def require_status(row: Row[Any], wanted: PreparationStatus, verb: str) -> None:
    status = PreparationStatus(row.status)
    if status is not wanted:
        raise PreparationClosed(
            f"Preparation {short_id(row.id)} for {row.patient_name} is {status_words(status)}, so it cannot be "
            f"{verb}. Open it from the History window to see it, or start a new preparation."
        )


def require_sealed(row: Row[Any]) -> None:
    """Only a sealed preparation's record is corrected (a draft or signed one is still changed or signed)."""
    status = PreparationStatus(row.status)
    if status is PreparationStatus.SEALED:
        return
    then = (
        "A voided preparation has no record in force to correct."
        if status is PreparationStatus.VOIDED
        else "Finish its signatures so that it is sealed, or change it as it is."
    )
    raise PreparationClosed(
        f"Only a sealed preparation's record can be corrected; preparation {short_id(row.id)} for "
        f"{row.patient_name} is {status_words(status)}. {then}"
    )


def originals_not_saved() -> ColumnElement[bool]:
    """A sealed preparation whose original record and label PDFs were never saved: sealed by a version that audits
    the saving (``outputs_audited``) and no ``originals_saved`` event in its audit trail."""
    saved = (
        select(audit_events.c.seq)
        .where(
            audit_events.c.preparation_id == preparations.c.id,
            audit_events.c.action == AuditAction.ORIGINALS_SAVED.value,
        )
        .correlate(preparations)
        .exists()
    )
    return and_(
        preparations.c.status == PreparationStatus.SEALED.value, preparations.c.outputs_audited.is_(True), ~saved
    )


def summary_query() -> Select[Any]:
    creator = users.alias("creator")
    updater = users.alias("updater")
    lessee = users.alias("lessee")
    # Per preparation, through the (preparation_id, status) index: its sealed amendments and its draft one.
    of_this = amendments.c.preparation_id == preparations.c.id
    sealed_amendments = (
        select(func.count())
        .select_from(amendments)
        .where(of_this, amendments.c.status == AmendmentStatus.SEALED.value)
        .correlate(preparations)
        .scalar_subquery()
    )
    correcting = (
        select(amendments.c.id)
        .where(of_this, amendments.c.status == AmendmentStatus.DRAFT.value)
        .correlate(preparations)
        .exists()
    )
    return (
        select(
            preparations.c.id,
            preparations.c.status,
            preparations.c.step,
            preparations.c.patient_name,
            preparations.c.patient_date_of_birth,
            preparations.c.patient_mrn,
            preparations.c.patient_identifier_entered,
            preparations.c.carton_gtin,
            preparations.c.carton_serial,
            preparations.c.void_reason,
            preparations.c.practice,
            preparations.c.created_by,
            creator.c.full_name.label("created_by_name"),
            preparations.c.created_at,
            preparations.c.updated_by,
            updater.c.full_name.label("updated_by_name"),
            preparations.c.updated_at,
            preparations.c.workstation,
            sealed_amendments.label("amendments"),
            correcting.label("correcting"),
            preparations.c.row_version,
            preparations.c.lease_by,
            lessee.c.full_name.label("lease_by_name"),
            preparations.c.lease_workstation,
            preparations.c.lease_until,
            originals_not_saved().label("outputs_pending"),
        )
        .join(creator, creator.c.username == preparations.c.created_by)
        .join(updater, updater.c.username == preparations.c.updated_by)
        .outerjoin(lessee, lessee.c.username == preparations.c.lease_by)
    )


def to_summary(row: Row[Any]) -> PreparationSummary:
    return PreparationSummary(
        id=row.id,
        status=PreparationStatus(row.status),
        step=row.step,
        patient_name=row.patient_name,
        patient_date_of_birth=row.patient_date_of_birth,
        patient_mrn=row.patient_mrn,
        patient_identifier=row.patient_identifier_entered,
        carton_gtin=row.carton_gtin,
        carton_serial=row.carton_serial,
        void_reason=row.void_reason,
        practice=bool(row.practice),
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_by_name=row.updated_by_name,
        updated_at=row.updated_at,
        workstation=row.workstation,
        amendments=int(row.amendments),
        correcting=bool(row.correcting),
        version=int(row.row_version),
        lease=None
        if row.lease_by is None or row.lease_until is None or row.lease_workstation is None
        else Lease(row.lease_by, row.lease_by_name or row.lease_by, row.lease_workstation, row.lease_until),
        outputs_pending=bool(row.outputs_pending),
    )


__all__ = [
    "Lease",
    "PreparationSummary",
    "carton_columns",
    "not_found",
    "originals_not_saved",
    "patient_columns",
    "require_sealed",
    "require_status",
    "row_of",
    "summary_query",
    "to_summary",
]
