"""The audit trail read for verifying: every event in order as plain tuples, straight from the database driver.

``audit verify`` reads each of a million events once. Through SQLAlchemy's rows each one cost more than hashing
it; here the driver's own cursor streams them inside the SQLAlchemy connection's transaction (so the verifier
still reads one snapshot): SQLite's cursor steps through the table in chunks, PostgreSQL's server-side (named)
cursor sends a chunk at a time. Only the current chunk is ever in memory.

The time column is read as ``UTCDateTime`` reads it (an aware UTC datetime), with the dialect's own conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect

from hemgenix_desktop.storage.schema import audit_events

# Rows handed on at a time: few enough that a chunk is still in the processor's cache while it is hashed and replayed
# (at a million events, 128 took a fifth less time than 2,000).
CHUNK = 128
SERVER_CHUNK = 2000  # PostgreSQL: rows fetched from the server-side cursor at a time (each fetch is a round trip)

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


def stream_chunks(conn: Connection) -> Iterator[list[EventRow]]:
    """Every event in order of their numbers, a chunk (a list of up to ``CHUNK`` tuples) at a time, as
    ``stream_events`` reads them."""
    return _chunks(conn, _select(), ())


def raw_rows(conn: Connection, query: str, params: tuple[Any, ...] = ()) -> Iterator[EventRow]:
    """The rows of a plain SQL query, streamed through the driver's cursor in ``conn``'s current transaction
    (PostgreSQL: a server-side cursor, so the rows are never all in memory at once)."""
    for chunk in _chunks(conn, query, params):
        yield from chunk


def _chunks(conn: Connection, query: str, params: tuple[Any, ...]) -> Iterator[list[EventRow]]:
    conn.exec_driver_sql("SELECT 1").close()  # the transaction begins here if it has not yet
    driver = conn.connection.driver_connection
    if driver is None:  # pragma: no cover - an open Connection always has its driver connection
        raise RuntimeError("the database connection is closed")
    # PostgreSQL: a named (server-side) cursor; SQLite's cursor steps through the table as it is fetched from.
    postgresql = conn.dialect.name == "postgresql"
    cursor = driver.cursor(name="hemgenix_verify") if postgresql else driver.cursor()
    try:
        cursor.execute(query, params)
        if not postgresql:
            while chunk := cursor.fetchmany(CHUNK):
                yield chunk
            return
        while fetched := cursor.fetchmany(max(CHUNK, SERVER_CHUNK)):  # one round trip to the server for many chunks
            for start in range(0, len(fetched), CHUNK):
                yield fetched[start : start + CHUNK]
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


# SQLite's text as SQLAlchemy writes it (always six digits of microseconds), with hours, minutes and seconds in range
# (ASCII digits only: ``\d`` would take other scripts' digits, which the datetime parser refuses)
_STORED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}) ((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])(\.[0-9]{6})")


# A whole chunk's times in that form, joined by newlines (each exactly 26 characters): checked by one match
_STORED_RUN = re.compile(
    r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}\n)*"
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}"
)
_STORED_LENGTH = 26
_day = itemgetter(slice(0, 10))


def iso_reader(dialect: Dialect) -> Callable[[Any], str]:
    """The ISO 8601 text of the ``at`` column's moment: exactly ``time_reader(dialect)(value).isoformat()`` (the same
    text, or the same refusal), which is what an event's hash is taken of. SQLite's text in the form SQLAlchemy writes
    is rewritten as text, without making a datetime (``audit verify`` does it a million times): a day is checked once
    per run, as the date it names; anything else goes through ``time_reader``."""
    read = time_reader(dialect)
    if dialect.name != "sqlite":
        return lambda value: read(value).isoformat()
    match = _STORED.fullmatch
    parse_day = datetime.fromisoformat
    days: set[str] = set()  # days already found to be real dates (not 2026-02-30)

    def iso(value: Any) -> str:
        found = match(value) if type(value) is str else None
        if found is None:
            return read(value).isoformat()
        day, clock, fraction = found.groups()
        if day not in days:
            parse_day(day)  # ValueError for a day that does not exist, as reading the whole value gives
            days.add(day)
        return f"{day}T{clock}+00:00" if fraction == ".000000" else f"{day}T{clock}{fraction}+00:00"

    return iso


def iso_column_reader(dialect: Dialect) -> Callable[[Sequence[Any]], list[str]]:
    """``list(map(iso_reader(dialect), values))`` (the same texts, or the same refusal), a chunk at a time: SQLite's
    texts, when every one of a chunk is in the form SQLAlchemy writes, are checked by one match over them all and
    rewritten by a few replacements of the joined text, not one by one (``audit verify`` reads a million). Anything
    else, and a chunk with a day not yet seen that is not a real date, goes through ``iso_reader`` value by value."""
    iso = iso_reader(dialect)
    if dialect.name != "sqlite":
        return lambda values: list(map(iso, values))
    match = _STORED_RUN.fullmatch
    parse_day = datetime.fromisoformat
    days: set[str] = set()  # days already found to be real dates
    width = _STORED_LENGTH + 1

    def isos(values: Sequence[Any]) -> list[str]:
        try:
            text = "\n".join(values)
        except TypeError:  # a value that is not text
            return list(map(iso, values))
        if not values or len(text) != width * len(values) - 1 or match(text) is None:
            return list(map(iso, values))
        for day in set(map(_day, values)) - days:
            try:
                parse_day(day)
            except ValueError:  # no such day: refused where reading it value by value refuses it
                return list(map(iso, values))
            days.add(day)
        # each value is now exactly "YYYY-MM-DD HH:MM:SS.ffffff": its one space, its fraction at its end
        text = text.replace(" ", "T").replace(".000000\n", "\n")
        if text.endswith(".000000"):
            text = text[: -len(".000000")]
        return (text.replace("\n", "+00:00\n") + "+00:00").split("\n")

    return isos


__all__ = [
    "COLUMNS",
    "EventRow",
    "iso_column_reader",
    "iso_reader",
    "raw_rows",
    "stream_chunks",
    "stream_events",
    "time_reader",
]
