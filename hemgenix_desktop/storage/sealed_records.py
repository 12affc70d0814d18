"""Sealed records kept in the database: the one home of "the record in force".

When a preparation or a correction of it (an amendment) is sealed, the sealed record's canonical text is kept in
the audit trail, in the same transaction (action ``record_sealed``: its record id, its SHA-256, the text, and the
amendment number for a correction). The record in force is the newest one kept: the latest sealed amendment's, or
else the original's. Storage does not read what a record says (``security.seal.SealedRecord`` does): it gives the
text back with what it needs to choose one, and skips a kept record whose text no longer matches its SHA-256 or
cannot be read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage.audit import canonical_json
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.schema import audit_events
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import Who, Writer


@dataclass(frozen=True)
class KeptRecord:
    """A sealed record as kept: its canonical text (read it with ``SealedRecord.from_canonical``) and what chooses
    it. ``amendment``: 0 for the original record, N for amendment N's. ``content_sha256``: the preparation content
    its signatures were given on."""

    record_id: str
    sha256: str
    canonical: str
    amendment: int
    content_sha256: str

    @property
    def canonical_bytes(self) -> bytes:
        return self.canonical.encode("utf-8")


@dataclass(frozen=True)
class Sealer:
    """Who sealed a kept record, at which workstation, when."""

    username: str
    full_name: str
    workstation: str
    at: datetime
    # The event that closed the sealing transaction (``preparation_sealed`` or ``amendment_sealed``, right after the
    # ``record_sealed`` event that keeps the record): its number and hash, the chain's head when the sealing
    # committed, which the checkpoint written right after the seal names.
    seq: int = 0
    hash: str = ""


_SEALING = (AuditAction.PREPARATION_SEALED.value, AuditAction.AMENDMENT_SEALED.value)


class SealedRecords:
    """The sealed records kept in one database. Obtain it as ``store.records``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def newest(
        self, prep_id: str, *, content_sha256: str | None = None, amendment: int | None = None
    ) -> KeptRecord | None:
        """The newest sealed record kept for the preparation, or None. Without a filter it is the record in force
        (the latest amendment's when the record was corrected). With ``content_sha256``: the newest given on that
        content; with ``amendment``: the original record (0) or amendment N's."""
        with self._db.reading() as conn:
            return newest_kept(conn, prep_id, content_sha256=content_sha256, amendment=amendment)

    def kept(self, prep_id: str) -> list[KeptRecord]:
        """Every readable sealed record kept for the preparation, the newest first."""
        with self._db.reading() as conn:
            return list(_kept(conn, prep_id))

    def sealer(self, prep_id: str, record_id: str) -> Sealer | None:
        """Who sealed the kept record ``record_id`` of the preparation, at which workstation, when, and that
        ``record_sealed`` event's number and hash in the chain; None when no such record is kept."""
        query = (
            select(audit_events.c.username, audit_events.c.full_name, audit_events.c.workstation, audit_events.c.at)
            .add_columns(audit_events.c.after, audit_events.c.seq, audit_events.c.hash)
            .where(audit_events.c.preparation_id == prep_id, audit_events.c.action == AuditAction.RECORD_SEALED.value)
            .order_by(audit_events.c.seq)
        )
        with self._db.reading() as conn:
            for row in conn.execute(query):
                kept = _read(row.after)
                if kept is not None and kept.record_id == record_id:
                    closing = conn.execute(
                        select(audit_events.c.seq, audit_events.c.hash, audit_events.c.at).where(
                            audit_events.c.seq == row.seq + 1,
                            audit_events.c.preparation_id == prep_id,
                            audit_events.c.action.in_(_SEALING),
                        )
                    ).one_or_none()
                    head = closing if closing is not None else row
                    return Sealer(row.username, row.full_name, row.workstation, head.at, int(head.seq), str(head.hash))
        return None

    def preparations_with(self, record_id: str) -> list[str]:
        """The preparations that keep a sealed record of this ID (case ignored), in the order they were sealed:
        one, or none (an ID is unique per preparation, ``security.seal.new_record_id``)."""
        wanted = record_id.strip().upper()
        query = (
            select(audit_events.c.preparation_id, audit_events.c.after)
            .where(audit_events.c.action == AuditAction.RECORD_SEALED.value)
            .order_by(audit_events.c.seq)
        )
        found: list[str] = []
        with self._db.reading() as conn:
            for prep_id, text in conn.execute(query):
                record = _read(text)
                if record is not None and record.record_id.upper() == wanted and prep_id not in found:
                    found.append(prep_id)
        return found


def matching(
    records: Iterable[KeptRecord], *, content_sha256: str | None = None, amendment: int | None = None
) -> Iterator[KeptRecord]:
    """The kept records (in the order given) on that content and of that amendment (0: the original)."""
    for record in records:
        if amendment is not None and record.amendment != amendment:
            continue
        if content_sha256 is None or record.content_sha256 == content_sha256:
            yield record


def newest_kept(
    conn: Connection, prep_id: str, *, content_sha256: str | None = None, amendment: int | None = None
) -> KeptRecord | None:
    """``SealedRecords.newest`` inside an open connection or transaction."""
    return next(matching(_kept(conn, prep_id), content_sha256=content_sha256, amendment=amendment), None)


def keep_record(
    w: Writer,
    who: Who,
    workstation: str,
    prep_id: str,
    *,
    record_id: str,
    sha256: str,
    canonical: str,
    amendment: int,
    dose_keys: Mapping[str, Any],
) -> None:
    """Keep a sealed record's canonical text in the audit trail, inside the sealing transaction ``w``, with the
    dose keys it holds (``trail_guard.dose_key_fields``) named plainly for the one-dose and one-carton guards, and the
    patient's name, date of birth and MRN for ``audit verify``'s comparison with the sealed row."""
    after: dict[str, Any] = {"record_id": record_id, "sha256": sha256, "record": canonical, **dose_keys}
    if amendment:
        after["amendment"] = amendment
        what = f"Record {record_id} (amendment {amendment} of preparation {short_id(prep_id)})"
    else:
        what = f"Record {record_id} of preparation {short_id(prep_id)}"
    w.audit(
        who,
        workstation,
        AuditAction.RECORD_SEALED,
        f"{what} was sealed (SHA-256 {sha256}).",
        preparation_id=prep_id,
        after=after,
    )


def _kept(conn: Connection, prep_id: str) -> Iterator[KeptRecord]:
    query = (
        select(audit_events.c.after)
        .where(audit_events.c.preparation_id == prep_id, audit_events.c.action == AuditAction.RECORD_SEALED.value)
        .order_by(audit_events.c.seq.desc())
    )
    for text in conn.execute(query).scalars():
        record = _read(text)
        if record is not None:
            yield record


def _refuse_float(text: str) -> Any:
    raise ValueError(f"a sealed record holds no float: {text}")


def _read(event_after: str) -> KeptRecord | None:
    """The kept record of one ``record_sealed`` event, or None when it cannot be trusted: its text is not a
    canonical JSON object, does not match the SHA-256 kept with it, or lacks its record id or content hash."""
    try:
        after = json.loads(event_after)
        canonical, sha256, record_id = after["record"], after["sha256"], after["record_id"]
        if not all(isinstance(value, str) for value in (canonical, sha256, record_id)):
            return None
        if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != sha256:
            return None
        data = json.loads(canonical, parse_float=_refuse_float)
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(data, dict) or canonical_json(data) != canonical:
        return None
    content_sha256, amends = data.get("content_sha256"), data.get("amends")
    if data.get("record_id") != record_id or not isinstance(content_sha256, str):
        return None
    number = amends.get("number", 0) if isinstance(amends, dict) else 0
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    return KeptRecord(record_id, sha256, canonical, number, content_sha256)


__all__ = ["KeptRecord", "SealedRecords", "Sealer", "keep_record", "matching", "newest_kept"]
