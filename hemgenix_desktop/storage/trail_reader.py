"""The audit trail read for verifying: every event in order as plain tuples, straight from the database driver.

``audit verify`` reads each of a million events once. Through SQLAlchemy's rows each one cost more than hashing
it; here the driver's own cursor streams them inside the SQLAlchemy connection's transaction (so the verifier
still reads one snapshot): SQLite's cursor steps through the table in chunks, PostgreSQL's server-side (named)
cursor sends a chunk at a time. Only the current chunk is ever in memory.

The time column is read as ``UTCDateTime`` reads it (an aware UTC datetime), with the dialect's own conversion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect

from hemgenix_desktop.storage.schema import audit_events

CHUNK = 2000  # rows fetched at a time

# The columns in the order each tuple holds them.
COLUMNS = (
    "seq",
    "at",
    "username",
    "full_name",
    "workstation",
    "action",
    "preparation_id",
    "summary",
    "before",
    "after",
    "prev_hash",
    "software_version",
    "hash",
)
# The places in each tuple of what the state checks read.
SEQ, USERNAME, ACTION, PREPARATION_ID, SUMMARY, AFTER, HASH = (
    COLUMNS.index(name) for name in ("seq", "username", "action", "preparation_id", "summary", "after", "hash")
)

EventRow = tuple[Any, ...]


def _select(where: str = "") -> str:
    columns = ", ".join(f'"{name}"' for name in COLUMNS)
    return f"SELECT {columns} FROM audit_events{where} ORDER BY seq"


def stream_events(conn: Connection, *, actions: tuple[str, ...] = ()) -> Iterator[EventRow]:
    """Every event (or those with one of ``actions``) in order of their numbers, as tuples in ``COLUMNS`` order,
    read in ``conn``'s current transaction. Read it to the end (or close it) before using ``conn`` again."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    where = f" WHERE action IN ({', '.join(marker for _ in actions)})" if actions else ""
    return raw_rows(conn, _select(where), actions)


def raw_rows(conn: Connection, query: str, params: tuple[Any, ...] = ()) -> Iterator[EventRow]:
    """The rows of a plain SQL query, streamed through the driver's cursor in ``conn``'s current transaction
    (PostgreSQL: a server-side cursor, so the rows are never all in memory at once)."""
    conn.exec_driver_sql("SELECT 1").close()  # the transaction begins here if it has not yet
    driver = conn.connection.driver_connection
    if driver is None:  # pragma: no cover - an open Connection always has its driver connection
        raise RuntimeError("the database connection is closed")
    # PostgreSQL: a named (server-side) cursor; SQLite's cursor steps through the table as it is fetched from.
    cursor = driver.cursor(name="hemgenix_verify") if conn.dialect.name == "postgresql" else driver.cursor()
    try:
        cursor.execute(query, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield from chunk
    finally:
        cursor.close()


def time_reader(dialect: Dialect) -> Callable[[Any], datetime]:
    """The driver's value of the ``at`` column as an aware UTC datetime, exactly as ``UTCDateTime`` gives it."""
    general = audit_events.c.at.type.dialect_impl(dialect).result_processor(dialect, None)
    if general is None:  # pragma: no cover - UTCDateTime always converts
        raise RuntimeError("the time column has no conversion")
    parse = datetime.fromisoformat  # what SQLite's DATETIME conversion is for a text value
    sqlite = dialect.name == "sqlite"

    def read(value: Any) -> datetime:
        if sqlite and type(value) is str:
            return parse(value).replace(tzinfo=UTC)
        moment = general(value)  # anything else as SQLAlchemy reads it (and refuses it)
        if not isinstance(moment, datetime):
            raise TypeError(f"unexpected stored time {value!r}")
        return moment

    return read


__all__ = ["COLUMNS", "EventRow", "raw_rows", "stream_events", "time_reader"]
