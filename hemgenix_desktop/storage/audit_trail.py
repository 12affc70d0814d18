"""The audit trail as a repository: events that go with no stored change, the trail read back, and the walk that
verifies its hash chain (the hashing itself is ``storage.audit``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.exc import DatabaseError

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage.approvals import Approval, ApprovalSignature, approval_signatures, record_approval
from hemgenix_desktop.storage.audit import AuditEvent, ChainVerification
from hemgenix_desktop.storage.chain_walk import broken_at, walk_chain
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.preparation_rows import row_of
from hemgenix_desktop.storage.schema import audit_events, audit_head
from hemgenix_desktop.storage.schema_check import object_findings, revision_finding
from hemgenix_desktop.storage.state_check import StateReplay
from hemgenix_desktop.storage.trail_reader import iso_column_reader, iso_reader, stream_chunks
from hemgenix_desktop.storage.writer import DATABASE_ID_KEY, Who


class AuditTrail:
    """The audit trail of one database. Obtain it as ``store.audit``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_event(
        self,
        who: Who,
        workstation: str,
        action: AuditAction,
        summary: str,
        *,
        preparation_id: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        approval: Approval | None = None,
    ) -> AuditEvent:
        """Append an event that goes with no stored change (the screen locked, a record printed, …). With
        ``approval`` (a second pharmacist's, whose details ``after`` carries), its signature row is added with it."""
        with self._db.writing() as w:
            if preparation_id is not None:
                row_of(w.conn, preparation_id)
            event = w.audit(
                who, workstation, action, summary, preparation_id=preparation_id, before=before, after=after
            )
            record_approval(w, event, approval)
            return event

    def approvals(self, seqs: Iterable[int] | None = None) -> dict[int, ApprovalSignature]:
        """The approval signatures ("Approved by"), by the number of the event each approved."""
        with self._db.reading() as conn:
            return approval_signatures(conn, seqs)

    def audit_trail(self, prep_id: str | None = None) -> list[AuditEvent]:
        """Every event in order, or those of one preparation."""
        query = select(audit_events).order_by(audit_events.c.seq)
        if prep_id is not None:
            query = query.where(audit_events.c.preparation_id == prep_id)
        with self._db.reading() as conn:
            return [_event(row) for row in conn.execute(query)]

    def verify_audit_chain(self) -> ChainVerification:
        """Walk the chain from the first event: numbers without gaps, each event's hash matching its
        content, each linking to the one before, and the last one matching the head. Reads one consistent
        snapshot, so events appended meanwhile by another workstation do not disturb it."""
        return self.verify_trail_and_state(check_state=False)[0]

    def verify_trail_and_state(self, *, check_state: bool = True) -> tuple[ChainVerification, list[str]]:
        """The chain's verification, and (``check_state``, the chain intact) every difference between the tables and
        what the trail says, each a sentence (``state_check``), read in one pass over the events, one snapshot. The
        events are streamed (``trail_reader``): memory does not grow with the trail."""
        replay = StateReplay() if check_state else None
        with self._db.reading(snapshot=True) as conn:
            head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one_or_none()
            broken, checked, expected_prev = walk_chain(
                stream_chunks(conn), iso_reader(conn.dialect), replay, iso_column_reader(conn.dialect)
            )
            result = self._end_of_chain(head, broken, checked, expected_prev)
            # the tables cannot be checked against a trail that was itself changed
            findings = replay.findings(conn) if replay is not None and result.intact else []
        return result, findings

    def schema_version_finding(self) -> str | None:
        """A sentence when the database's schema version is not this program's (``schema_check``), else None. Run
        first: the other checks read the tables as this program's schema defines them."""
        with self._db.reading() as conn:
            return revision_finding(conn)

    def schema_findings(self) -> list[str]:
        """One sentence per trigger, index or trigger function the migrations make that is missing, changed or
        disabled (``schema_check``)."""
        with self._db.reading() as conn:
            return object_findings(conn)

    def database_id(self) -> str | None:
        """The database's ID: the random one its first event names, or (a database whose first event was written
        before 0007) the first 32 characters of that event's hash; None while the trail is empty."""
        with self._db.reading() as conn:
            first = conn.execute(
                select(audit_events.c.after, audit_events.c.hash).where(audit_events.c.seq == 1)
            ).first()
        if first is None:
            return None
        named = json.loads(first.after).get(DATABASE_ID_KEY)
        return str(named) if isinstance(named, str) else str(first.hash)[:32]

    def head(self) -> tuple[int, str]:
        """The chain's head: the newest event's number and hash (0 and the genesis hash while empty)."""
        with self._db.reading() as conn:
            row = conn.execute(select(audit_head.c.last_seq, audit_head.c.last_hash).where(audit_head.c.id == 1)).one()
        return int(row.last_seq), str(row.last_hash)

    def hashes(self, seqs: Iterable[int]) -> dict[int, str]:
        """The stored hash of each of these events (an event that is not there is left out)."""
        wanted = sorted(set(seqs))
        with self._db.reading() as conn:
            rows = conn.execute(select(audit_events.c.seq, audit_events.c.hash).where(audit_events.c.seq.in_(wanted)))
            return {int(row.seq): str(row.hash) for row in rows}

    def sealing_events_after(self, seq: int) -> list[AuditEvent]:
        """The sealing events (a record kept, a preparation or an amendment sealed) after event ``seq``."""
        actions = (
            AuditAction.RECORD_SEALED.value,
            AuditAction.PREPARATION_SEALED.value,
            AuditAction.AMENDMENT_SEALED.value,
        )
        query = select(audit_events).where(audit_events.c.seq > seq, audit_events.c.action.in_(actions))
        with self._db.reading() as conn:
            return [_event(row) for row in conn.execute(query.order_by(audit_events.c.seq))]

    def integrity_problems(self) -> list[str]:
        """The database's own check of its file (SQLite's ``PRAGMA integrity_check``): what it found, or nothing.
        PostgreSQL checks its pages itself as it reads them; nothing to run here."""
        with self._db.reading() as conn:
            if conn.dialect.name != "sqlite":
                return []
            try:
                lines = [str(line) for line in conn.exec_driver_sql("PRAGMA integrity_check").scalars()]
            except DatabaseError as exc:
                return [str(exc.orig)]
        return [] if lines == ["ok"] else lines

    @staticmethod
    def _end_of_chain(
        head: Row[Any] | None, broken: ChainVerification | None, checked: int, expected_prev: str
    ) -> ChainVerification:
        if broken is not None:
            return broken
        last_seq = checked
        if head is None:
            return broken_at(last_seq + 1, checked, "the trail's head record is missing, so the end cannot be checked")
        if head.last_seq > last_seq:
            missing = (
                f"event {last_seq + 1} at the end of the trail is missing, so it was deleted"
                if head.last_seq == last_seq + 1
                else f"events {last_seq + 1} to {head.last_seq} at the end of the trail are missing, so they were deleted"
            )
            return broken_at(last_seq + 1, checked, missing)
        if head.last_seq < last_seq or head.last_hash != expected_prev:
            return broken_at(
                head.last_seq + 1 if head.last_seq < last_seq else last_seq,
                checked,
                "the last events do not match the trail's head record, so they were added or changed outside "
                "Hemgenix Prep",
            )
        noun = "event" if checked == 1 else "events"
        return ChainVerification(True, checked, None, f"The audit trail is intact: {checked} {noun} checked.")


def _event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        at=row.at,
        username=row.username,
        full_name=row.full_name,
        workstation=row.workstation,
        action=row.action,
        preparation_id=row.preparation_id,
        summary=row.summary,
        before=json.loads(row.before),
        after=json.loads(row.after),
        prev_hash=row.prev_hash,
        hash=row.hash,
        software_version=row.software_version,
    )


__all__ = ["AuditTrail"]
