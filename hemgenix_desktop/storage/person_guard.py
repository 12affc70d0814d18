"""One dose per person, in the database: the earlier preparation (not voided) whose patient matches a new one on
MRN, or on name and date of birth, under another patient-specific identifier (the rule and its sentence are
``domain.guards``'); and the holder a stop names, with its record and infusion date when it is sealed.

No index can hold this guard (the comparison is normalised in the domain, and a pharmacist may find that a match is
a different person), so it is a query in the transaction that writes the preparation. The preparations a site
makes of a one-time therapy are few: the query reads the identifying columns of those not voided.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, and_, select

from hemgenix_desktop.domain.guards import Holder, Person, person_match
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.storage.preparation_rows import summary_query
from hemgenix_desktop.storage.schema import preparations
from hemgenix_desktop.storage.sealed_records import newest_kept
from hemgenix_desktop.storage.values import short_id


def holder_of(conn: Connection, row: Row[Any]) -> Holder:
    """The preparation of a summary row as a stop names it; a sealed one with its record in force and the infusion
    date of its order (the patient received Hemgenix then)."""
    status = PreparationStatus(row.status)
    record_id: str | None = None
    dose_date: date | None = None
    if status is PreparationStatus.SEALED:
        kept = newest_kept(conn, row.id)
        record_id = None if kept is None else kept.record_id
        data = conn.execute(select(preparations.c.data).where(preparations.c.id == row.id)).scalar_one()
        order = Preparation.from_dict(data).order
        dose_date = None if order is None else order.infusion_date
    return Holder(
        id=row.id,
        short_id=short_id(row.id),
        patient_name=row.patient_name,
        identifier_entered=row.patient_identifier_entered,
        status=status,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        record_id=record_id,
        dose_date=dose_date,
    )


def same_person_holder(
    conn: Connection, prep: Preparation, columns: dict[str, Any]
) -> tuple[Holder, Person, str] | None:
    """The oldest preparation, not voided and under another identifier, whose patient may be this one's (what
    matched, in words), leaving out those a pharmacist found to be a different person; None when there is none."""
    if prep.order is None:
        return None
    new = Person.of(prep.order.patient)
    query = summary_query().where(
        and_(
            preparations.c.id != prep.id,
            preparations.c.status != PreparationStatus.VOIDED.value,
            preparations.c.patient_identifier != columns["patient_identifier"],
            preparations.c.practice == prep.practice,
        )
    )
    for row in conn.execute(query.order_by(preparations.c.created_at, preparations.c.id)):
        if row.id in prep.person_overrides:
            continue
        earlier = Person(row.patient_name, row.patient_date_of_birth, row.patient_mrn)
        match = person_match(new, earlier)
        if match is not None:
            return holder_of(conn, row), earlier, match
    return None


__all__ = ["holder_of", "same_person_holder"]
