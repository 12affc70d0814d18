"""A correction's row (an amendment of a sealed record): its summary as stored, and the checks of its status that
the amendments and the signatures repositories share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, select

from hemgenix_desktop.domain.vocabulary import AmendmentStatus
from hemgenix_desktop.storage.errors import AmendmentNotFound, PreparationClosed
from hemgenix_desktop.storage.schema import amendments, users
from hemgenix_desktop.storage.values import short_id


@dataclass(frozen=True)
class AmendmentSummary:
    """A correction of a sealed preparation's record (an amendment), as stored. ``changes`` holds
    ``domain.amendment.FieldChange.to_dict()`` dicts; ``amends_record_id``/``amends_sha256`` name the sealed
    record it corrects; ``record_id``/``record_sha256`` its own record, once sealed."""

    id: str
    preparation_id: str
    number: int
    status: AmendmentStatus
    reason: str
    changes: tuple[dict[str, str], ...]
    amends_record_id: str
    amends_sha256: str
    record_id: str | None
    record_sha256: str | None
    void_reason: str | None
    created_by: str
    created_by_name: str
    created_at: datetime
    updated_by: str
    updated_by_name: str
    updated_at: datetime
    workstation: str  # where it was last saved


def amendment_query() -> Select[Any]:
    creator = users.alias("creator")
    updater = users.alias("updater")
    return (
        select(
            amendments,
            creator.c.full_name.label("created_by_name"),
            updater.c.full_name.label("updated_by_name"),
        )
        .join(creator, creator.c.username == amendments.c.created_by)
        .join(updater, updater.c.username == amendments.c.updated_by)
    )


def to_amendment_summary(row: Row[Any]) -> AmendmentSummary:
    return AmendmentSummary(
        id=row.id,
        preparation_id=row.preparation_id,
        number=row.number,
        status=AmendmentStatus(row.status),
        reason=row.reason,
        changes=tuple({str(k): str(v) for k, v in change.items()} for change in row.changes),
        amends_record_id=row.amends_record_id,
        amends_sha256=row.amends_sha256,
        record_id=row.record_id,
        record_sha256=row.record_sha256,
        void_reason=row.void_reason,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_by_name=row.updated_by_name,
        updated_at=row.updated_at,
        workstation=row.workstation,
    )


def amendment_row(conn: Connection, amendment_id: str) -> Row[Any]:
    row = conn.execute(select(amendments).where(amendments.c.id == amendment_id)).one_or_none()
    if row is None:
        raise amendment_not_found(amendment_id)
    return row


def amendment_number_row(conn: Connection, prep_id: str, number: int) -> Row[Any]:
    row = conn.execute(
        select(amendments).where(amendments.c.preparation_id == prep_id, amendments.c.number == number)
    ).one_or_none()
    if row is None:
        raise AmendmentNotFound(
            f"Preparation {short_id(prep_id)} has no amendment {number}. Open the preparation from the History "
            "window and start or continue its correction there."
        )
    return row


def amendment_not_found(amendment_id: str) -> AmendmentNotFound:
    return AmendmentNotFound(
        f"There is no correction “{amendment_id}”. Open the preparation from the History window and look at its "
        "corrections there."
    )


def require_amendment_draft(row: Row[Any], verb: str) -> None:
    status = AmendmentStatus(row.status)
    if status is AmendmentStatus.DRAFT:
        return
    which = f"Amendment {row.number} of preparation {short_id(row.preparation_id)}"
    if status is AmendmentStatus.SEALED:
        raise PreparationClosed(
            f"{which} is sealed, so it cannot be {verb}: a sealed record never changes. To correct it, start a new "
            "correction of the record in force."
        )
    if verb == "discarded":
        raise PreparationClosed(f"{which} was discarded already ({row.void_reason}). Nothing was changed.")
    raise PreparationClosed(
        f"{which} was discarded ({row.void_reason}), so it cannot be {verb}. Start a new correction from the "
        "History window."
    )


__all__ = [
    "AmendmentSummary",
    "amendment_not_found",
    "amendment_number_row",
    "amendment_query",
    "amendment_row",
    "require_amendment_draft",
    "to_amendment_summary",
]
