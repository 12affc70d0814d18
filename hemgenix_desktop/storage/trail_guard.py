"""The one-dose and one-carton guards read the audit trail too (issue 15).

The unique indexes on ``preparations`` hold the guards while the rows tell the truth. Someone with the database
file can drop the triggers and edit a sealed preparation's row (set it "voided", change its identifier or carton),
and the indexes would then let a second dose through. The sealed records kept in the hash-chained trail
(``record_sealed`` events) cannot be edited without ``audit verify`` finding it, so before a preparation takes a
patient or a carton the trail is asked too: a patient or a carton named by another preparation's sealed record is
taken for good (a sealed dose is never voided; a correction keeps the patient and the carton).

Each ``record_sealed`` event written since 0007 names its dose keys in plain fields (``patient_identifier``, the
normalised identifier; ``carton_gtin``, ``carton_serial``), found by a text match on the event's canonical JSON and
then read exactly; an older event is read through its record's preparation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, not_, or_, select

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.guards import dose_keys
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage.audit import canonical_json
from hemgenix_desktop.storage.schema import audit_events

KEY_FIELDS = ("patient_identifier", "carton_gtin", "carton_serial")
_HAS_KEYS = '%"patient_identifier":%'


def dose_key_fields(columns: Mapping[str, Any]) -> dict[str, Any]:
    """The dose keys a ``record_sealed`` event names, from a preparation's patient and carton columns, and the
    patient's name, date of birth (ISO text) and MRN as its row keeps them, which ``audit verify`` compares with the
    sealed row (``state_check``)."""
    born = columns.get("patient_date_of_birth")
    return {field: columns.get(field) for field in KEY_FIELDS} | {
        "patient_name": columns.get("patient_name"),
        "patient_date_of_birth": born.isoformat() if isinstance(born, date) else born,
        "patient_mrn": columns.get("patient_mrn"),
    }


def _like(field: str, value: str) -> str:
    """A LIKE pattern finding ``"field":value`` in canonical JSON (LIKE's own characters escaped with ``\\``)."""
    text = f'"{field}":{canonical_json(value)}'
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def sealed_holder(conn: Connection, prep_id: str, columns: Mapping[str, Any]) -> tuple[str, str] | None:
    """("patient" or "carton", the holder's preparation id) when another preparation's sealed record in the trail
    names this patient or this carton; None otherwise."""
    identifier = columns["patient_identifier"]
    gtin, serial = columns.get("carton_gtin"), columns.get("carton_serial")
    matches = [audit_events.c.after.like(_like("patient_identifier", identifier), escape="\\")]
    if serial is not None:
        matches.append(audit_events.c.after.like(_like("carton_serial", serial), escape="\\"))
    matches.append(not_(audit_events.c.after.like(_HAS_KEYS)))  # written before 0007: read the record itself
    query = (
        select(audit_events.c.preparation_id, audit_events.c.after)
        .where(
            and_(
                audit_events.c.action == AuditAction.RECORD_SEALED.value,
                audit_events.c.preparation_id != prep_id,
                or_(*matches),
            )
        )
        .order_by(audit_events.c.seq)
    )
    for holder_id, text in conn.execute(query):
        keys = _keys(text)
        if keys is None:
            continue
        if keys.get("patient_identifier") == identifier:
            return "patient", holder_id
        if serial is not None and (keys.get("carton_gtin"), keys.get("carton_serial")) == (gtin, serial):
            return "carton", holder_id
    return None


def _keys(event_after: str) -> dict[str, Any] | None:
    """The dose keys a ``record_sealed`` event names, or those of its record's preparation (older events)."""
    try:
        after = json.loads(event_after)
        if "patient_identifier" in after:
            return {field: after.get(field) for field in KEY_FIELDS}
        record = json.loads(after["record"])
        keys = dose_keys(Preparation.from_dict({**record["preparation"], "step": "sealed"}))
    except (ValueError, TypeError, KeyError, AttributeError, DomainError):
        return None  # not a record the program made: audit verify reports a changed event
    if keys is None:
        return None
    return {
        "patient_identifier": keys.patient_identifier,
        "carton_gtin": keys.carton_gtin,
        "carton_serial": keys.carton_serial,
    }


__all__ = ["dose_key_fields", "sealed_holder"]
