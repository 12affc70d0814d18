"""The open database every repository works in: the engine, the clock, reading and writing transactions, and
whether it is the practice database.

Every change is one writing transaction that also appends its audit event (``Writer.audit``), so a change and
its trace commit together or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from hemgenix_desktop.config import database_sslmode, resolve_db_url
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.storage import migrate
from hemgenix_desktop.storage.engine import describe_url, make_engine, require_kept
from hemgenix_desktop.storage.errors import StorageError, WrongStoreForPreparation, damaged
from hemgenix_desktop.storage.writer import Clock, Writer, first_line, is_damage, open_writer, utc_now

PRACTICE_URL = "sqlite://"


class Database:
    """One pharmacy's database (or one practice session's). Open it with ``Database.open(url)``."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now, practice: bool = False) -> None:
        self.engine = engine
        self.clock = clock
        self.practice = practice
        # The in-memory database has one connection for every thread (engine.py): one thread at a time uses it
        # (the GUI thread, or a worker checking a password off it: ui/background.py), so that two threads'
        # statements and transactions never interleave on it. A file or a server gives each thread its own.
        self._one_at_a_time = threading.RLock() if isinstance(engine.pool, StaticPool) else None

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if self._one_at_a_time is None:
            yield
            return
        with self._one_at_a_time:
            yield

    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock = utc_now, upgrade: bool = True) -> Database:
        """Open (and create or upgrade) the database at ``url``; None means the configured one
        (``HEMGENIX_DB_URL`` or the SQLite file in the user's data folder). A database that is not a usable
        Hemgenix Prep database as given (in memory, a relative path, not a database file, damaged, another
        program's, a newer schema) raises ``UnusableDatabaseError`` with its sentence, and nothing is changed in it.

        ``upgrade=False`` (``audit verify``, ``backup``: what is checked must be what is there) opens the database as
        it is: no migration, whatever its schema version (``schema_check.revision_finding`` says when it is not this
        program's); another program's tables are still refused."""
        if url is None:
            url = resolve_db_url()
        require_kept(url)
        engine = make_engine(url, sslmode=database_sslmode())
        try:
            if upgrade:
                migrate.upgrade(engine)
            else:
                migrate.refuse_foreign(engine)
        except OperationalError as exc:
            engine.dispose()
            raise StorageError(
                f"The database {describe_url(url)} cannot be opened ({first_line(exc.orig)}). "
                "Check the address and that you may use it, or give another with --db."
            ) from exc
        except DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
            engine.dispose()
            raise damaged(describe_url(url), first_line(exc.orig)) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock=clock, practice=False)

    @classmethod
    def open_practice(cls, *, clock: Clock = utc_now) -> Database:
        """A fresh in-memory database for practice mode: nothing reaches the pharmacy's records."""
        engine = make_engine(PRACTICE_URL)
        migrate.upgrade(engine)
        return cls(engine, clock=clock, practice=True)

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reading(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A read-only connection. ``snapshot``: every statement sees the same moment (PostgreSQL's
        REPEATABLE READ; a SQLite read transaction always does)."""
        try:
            with self._turn(), self.engine.connect() as conn:
                if snapshot and conn.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                yield conn
        except OperationalError as exc:
            raise StorageError(
                f"The database could not be read ({first_line(exc.orig)}). Try again; if it keeps failing, call IT support."
            ) from exc
        except DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise damaged(self.url, first_line(exc.orig)) from exc

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """A writing transaction (with the audit trail's head locked until it commits or rolls back)."""
        with self._turn(), open_writer(self.engine, self.clock) as writer:
            yield writer

    def check_practice(self, prep: Preparation) -> None:
        """A practice preparation is saved only in the practice database, a real one only in the pharmacy's."""
        if prep.practice and not self.practice:
            raise WrongStoreForPreparation(
                "A practice preparation is never saved in the pharmacy's records. Leave practice mode to "
                "prepare a real dose."
            )
        if not prep.practice and self.practice:
            raise WrongStoreForPreparation(
                "This is the practice database, so a real preparation cannot be saved here. Leave practice "
                "mode and start the preparation again."
            )


__all__ = ["PRACTICE_URL", "Database"]
