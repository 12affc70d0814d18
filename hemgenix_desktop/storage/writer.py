"""One writing transaction, with the audit trail's head locked: every change and its audit event
commit together or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.storage.audit import AuditEvent, canonical_json, event_content, event_hash
from hemgenix_desktop.storage.engine import WRITE_OPTION
from hemgenix_desktop.storage.errors import StorageError, UserNotActive, UserNotFound, damaged
from hemgenix_desktop.storage.schema import audit_events, audit_head, users

Clock = Callable[[], datetime]

MAX_ACTION_LENGTH = 50
DATABASE_ID_KEY = "database_id"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Who(Protocol):
    """Whoever an audit event is about: a signed-in user, or the command line's operator."""

    @property
    def username(self) -> str: ...

    @property
    def full_name(self) -> str: ...


class Writer:
    """The open transaction. ``now`` is one moment for everything written in it."""

    def __init__(self, conn: Connection, now: datetime, last_seq: int, last_hash: str) -> None:
        self.conn = conn
        self.now = now
        self._last_seq = last_seq
        self._last_hash = last_hash

    def audit(
        self,
        who: Who,
        workstation: str,
        action: AuditAction,
        summary: str,
        *,
        preparation_id: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Append one event to the chain (and move the head), inside this transaction."""
        name = str(action)  # an AuditAction is stored as its plain name
        if not name or len(name) > MAX_ACTION_LENGTH:
            raise ValueError(f"an audit action is 1 to {MAX_ACTION_LENGTH} characters: {name!r}")
        seq = self._last_seq + 1
        if seq == 1:  # the database's random ID, named once in its first event (issue 15)
            after = {**(after or {}), DATABASE_ID_KEY: uuid.uuid4().hex}
        before_text = canonical_json(before or {})
        after_text = canonical_json(after or {})
        values: dict[str, Any] = {
            "seq": seq,
            "at": self.now,
            "username": who.username,
            "full_name": who.full_name,
            "workstation": workstation,
            "action": name,
            "preparation_id": preparation_id,
            "summary": summary,
            "before": before_text,
            "after": after_text,
            "prev_hash": self._last_hash,
            "software_version": __version__,
        }
        digest = event_hash(event_content(**values))
        self.conn.execute(insert(audit_events).values(**values, hash=digest))
        self.conn.execute(update(audit_head).where(audit_head.c.id == 1).values(last_seq=seq, last_hash=digest))
        self._last_seq, self._last_hash = seq, digest
        return AuditEvent(
            seq=seq,
            at=self.now,
            username=who.username,
            full_name=who.full_name,
            workstation=workstation,
            action=name,
            preparation_id=preparation_id,
            summary=summary,
            before=dict(before or {}),
            after=dict(after or {}),
            prev_hash=values["prev_hash"],
            hash=digest,
            software_version=__version__,
        )

    def user_row(self, username: str) -> Row[Any]:
        row = self.conn.execute(select(users).where(users.c.username == username)).one_or_none()
        if row is None:
            raise UserNotFound(f"There is no user “{username}”. Check the username, or add the user first.")
        return row

    def require_active_user(self, username: str) -> Row[Any]:
        """The user's row; refuses a disabled account (it may not save, sign or change anything)."""
        row = self.user_row(username)
        if not row.active:
            raise UserNotActive(
                f"The account “{username}” is disabled, so it cannot save, sign or change anything. "
                "Sign in with an active account, or ask a pharmacist to enable this one."
            )
        return row


@contextmanager
def open_writer(engine: Engine, clock: Clock) -> Iterator[Writer]:
    """A writing transaction that holds the audit head's lock until it commits or rolls back."""
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            head = conn.execute(
                select(audit_head.c.last_seq, audit_head.c.last_hash).where(audit_head.c.id == 1).with_for_update()
            ).one()
            yield Writer(conn, clock().astimezone(UTC), head.last_seq, head.last_hash)
    except OperationalError as exc:
        raise StorageError(
            "The database could not be written, so nothing was saved "
            f"({first_line(exc.orig)}). Try again; if it keeps failing, call IT support."
        ) from exc
    except DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise damaged(engine.url.render_as_string(hide_password=True), first_line(exc.orig)) from exc


def is_damage(exc: DatabaseError) -> bool:
    """A database error that says the database is damaged or not ours (SQLite's "file is not a database" and
    "database disk image is malformed" are plain ``DatabaseError``; a missing table or column on PostgreSQL is a
    ``ProgrammingError``), not one a repository handles (a unique index's ``IntegrityError``) or a fault of the
    moment (``OperationalError``)."""
    return type(exc) is DatabaseError or isinstance(exc, ProgrammingError)


def when(moment: datetime) -> str:
    """A moment as the storage layer's sentences show it: ``2026-05-04 08:30 UTC``."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def first_line(error: BaseException | None) -> str:
    """The first line of a database error, for a sentence (PostgreSQL's messages go on with DETAIL and HINT
    lines)."""
    text = str(error) if error is not None else "unknown error"
    return text.splitlines()[0] if text else "unknown error"
