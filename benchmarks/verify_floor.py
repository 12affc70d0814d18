"""``audit verify`` against its floor (issue 13 item 2): what reading the events and hashing them costs at least.

The floor is measured in the same run as the program, on the same database: the events' columns read with the
database's own driver (the standard library's ``sqlite3``; psycopg's server-side cursor on PostgreSQL) and nothing
else done with them, plus SHA-256 over each event's stored canonical content (the bytes its hash is of, built
beforehand, untimed). The program's walk (``verify_trail_and_state``: the chain and the state checks) is timed in
this process between them, so both see the same load; the ratio of the two is the figure the issue asks for. SQLite's
``PRAGMA integrity_check``, which ``audit verify`` runs first, is timed alone: it reads the whole file, not only the
trail.

The state checks also read the tables they compare with the trail; their floor adds reading the same columns of those
tables with the same driver (``Floor.tables``), so that the walk with the state checks is measured against reading
everything it must read and hashing what it must hash.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, insert, select, update

from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.audit import event_content
from hemgenix_desktop.storage.schema import amendments, audit_events, audit_head, preparations, signatures, users
from hemgenix_desktop.storage.state_check import PREPARATIONS_QUERY, SIGNATURES_QUERY
from hemgenix_desktop.storage.trail_reader import COLUMNS

CHUNK = 20_000
SELECT = "SELECT " + ", ".join('"' + name + '"' for name in COLUMNS) + " FROM audit_events ORDER BY seq"
# What the state checks read of the tables (the small ones whole, as they do)
TABLE_QUERIES = (
    "SELECT * FROM users",
    PREPARATIONS_QUERY,
    SIGNATURES_QUERY,
    "SELECT * FROM amendments",
    "SELECT * FROM approvals",
)


@dataclass(frozen=True)
class Floor:
    """Seconds: the raw SELECT alone, SHA-256 of the stored content alone, reading the compared tables alone."""

    select: float
    hashing: float
    tables: float

    @property
    def total(self) -> float:
        """The chain's floor: the events read and hashed."""
        return self.select + self.hashing

    @property
    def with_tables(self) -> float:
        """The floor of the chain and the state checks: also the tables they compare read."""
        return self.total + self.tables


def _contents(rows: Iterable[tuple[Any, ...]], at_of: Any) -> list[bytes]:
    values = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    for value in values:
        value["at"] = at_of(value["at"])
        del value["hash"]
    return [event_content(**value).encode("utf-8") for value in values]


def _hash_seconds(chunks: Iterator[list[tuple[Any, ...]]], at_of: Any) -> float:
    seconds = 0.0
    sha256 = hashlib.sha256
    for chunk in chunks:
        contents = _contents(chunk, at_of)  # built untimed: the floor is only the hashing
        started = time.perf_counter()
        for content in contents:
            sha256(content).hexdigest()
        seconds += time.perf_counter() - started
    return seconds


def _sqlite_at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _pg_at(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def sqlite_floor(path: str) -> Floor:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        for _ in conn.execute(SELECT):
            pass
        selecting = time.perf_counter() - started
        cursor = conn.execute(SELECT)
        hashing = _hash_seconds(iter(lambda: cursor.fetchmany(CHUNK), []), _sqlite_at)
        started = time.perf_counter()
        for query in TABLE_QUERIES:
            for _ in conn.execute(query):
                pass
        tables = time.perf_counter() - started
    finally:
        conn.close()
    return Floor(selecting, hashing, tables)


def sqlite_integrity_check(path: str) -> float:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        result = conn.execute("PRAGMA integrity_check").fetchall()
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    if result != [("ok",)]:
        raise RuntimeError(f"the benchmark database is damaged: {result[:3]}")
    return seconds


def postgres_floor(url: str) -> Floor:
    import psycopg

    engine = create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            driver: psycopg.Connection[Any] = raw.driver_connection  # type: ignore[assignment]
            with driver.transaction(), driver.cursor(name="floor") as cursor:
                started = time.perf_counter()
                cursor.execute(SELECT)
                while cursor.fetchmany(2000):
                    pass
                selecting = time.perf_counter() - started
            with driver.transaction(), driver.cursor(name="floor_hash") as cursor:
                cursor.execute(SELECT)
                hashing = _hash_seconds(iter(lambda: cursor.fetchmany(CHUNK), []), _pg_at)
            with driver.transaction():
                started = time.perf_counter()
                for query in TABLE_QUERIES:
                    with driver.cursor(name="floor_tables") as cursor:
                        cursor.execute(query)
                        while cursor.fetchmany(2000):
                            pass
                tables = time.perf_counter() - started
        finally:
            raw.close()
    finally:
        engine.dispose()
    return Floor(selecting, hashing, tables)


def walk_seconds(url: str, *, check_state: bool = True) -> tuple[float, str]:
    """The program's own walk (the chain, and with ``check_state`` the state checks) in this process, and its
    sentence."""
    with Store.open(url) as store:
        started = time.perf_counter()
        result, findings = store.audit.verify_trail_and_state(check_state=check_state)
        seconds = time.perf_counter() - started
    if not result.intact or findings:
        raise RuntimeError(f"the benchmark trail does not verify: {result.message} {findings[:2]}")
    return seconds, result.message


def copy_to_postgres(sqlite_url: str, pg_url: str) -> None:
    """The SQLite database's rows into a new PostgreSQL schema (migrated by the program), the guards' triggers off
    while copying, as a restore does; the trail is the same, so it verifies the same."""
    Store.open(pg_url).close()  # migrate
    source, target = create_engine(sqlite_url), create_engine(pg_url)
    try:
        with source.connect() as read, target.begin() as write:
            for table in (users, preparations, signatures, amendments, audit_events, audit_head):
                write.exec_driver_sql(f"ALTER TABLE {table.name} DISABLE TRIGGER USER")
            for table in (users, preparations, signatures, amendments, audit_events):
                result = read.execution_options(yield_per=CHUNK).execute(select(table))
                for chunk in result.partitions():
                    write.execute(insert(table), [row._asdict() for row in chunk])
            head = read.execute(select(audit_head.c.last_seq, audit_head.c.last_hash)).one()
            write.execute(update(audit_head).values(last_seq=head.last_seq, last_hash=head.last_hash))
            for table in (users, preparations, signatures, amendments, audit_events, audit_head):
                write.exec_driver_sql(f"ALTER TABLE {table.name} ENABLE TRIGGER USER")
    finally:
        source.dispose()
        target.dispose()


def postgres_schema_url(url: str, schema: str) -> str:
    """The URL with its own schema first on the search path (the shared test database's public schema is the
    tests')."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    finally:
        engine.dispose()
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def drop_postgres_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        engine.dispose()
