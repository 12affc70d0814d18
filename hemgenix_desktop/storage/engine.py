"""The SQLAlchemy engine, made from a URL.

SQLite (the default, one workstation): the file and its folder are created owner-only (0600/0700),
every connection runs in WAL mode with foreign keys on, a busy timeout and full sync (a commit survives
a power cut); writing transactions start with ``BEGIN IMMEDIATE`` so two processes never interleave a
read-then-write. ``sqlite://`` (no file) is an in-memory database shared by every thread, for practice.

PostgreSQL (several workstations): used as it is; the same schema and guards apply. ``sslmode`` (the site's
``database_sslmode`` setting, which ``Database.open`` reads), when given, is libpq's ``sslmode`` for every connection
(it comes before the URL's own).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from hemgenix_desktop.private_files import private_folder
from hemgenix_desktop.storage.errors import InvalidDatabaseURL, StorageError, UnusableDatabaseError

BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "hemgenix_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)

_URL_EXAMPLE = "sqlite:////path/to/hemgenix-prep.sqlite3 or postgresql+psycopg://user@host/hemgenix"


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidDatabaseURL(f"“{url}” is not a database URL. Give one like {_URL_EXAMPLE}.") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidDatabaseURL(
            f"The database “{parsed.get_backend_name()}” is not supported. Use SQLite or PostgreSQL, "
            f"for example {_URL_EXAMPLE}."
        )
    if parsed.get_backend_name() == "sqlite" and parsed.query and not (parsed.database or "").startswith("file:"):
        options = "&".join(f"{key}={value}" for key, value in sorted(parsed.query.items()))
        raise InvalidDatabaseURL(
            f"The SQLite database address has options after “?” ({options}), which Hemgenix Prep does not take: it "
            "sets SQLite's options itself (some options would open another file, or none at all). Give the file's "
            "address alone, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3."
        )
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for an in-memory database."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(database).expanduser()


_SQLITE_HEADER = b"SQLite format 3\x00"
_HEADER_BYTES = 100
_WRITE_VERSION = 18  # the header's file format write version: 1 rollback journal, 2 WAL
_FULL_PATH_EXAMPLE = "sqlite:////srv/hemgenix/hemgenix-prep.sqlite3"


def require_kept(url: str) -> None:
    """Refuse (:class:`UnusableDatabaseError`) a database that would keep nothing or land somewhere unforeseen: an
    in-memory SQLite database (everything is gone when the program ends: "Added…" and nothing kept), and a SQLite
    file without its full path (where it lands depends on the folder the program starts in). The practice
    database is opened by ``Database.open_practice``, not through here."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory" or database.startswith("file::memory:"):
        raise UnusableDatabaseError(
            "An in-memory database keeps nothing after the program ends, so it cannot hold the pharmacy's records; "
            f"nothing was done. Give a database file with its full path, for example {_FULL_PATH_EXAMPLE}."
        )
    path = database.removeprefix("file:").split("?")[0] if database.startswith("file:") else database
    if not Path(path).expanduser().is_absolute():
        raise UnusableDatabaseError(
            f"The SQLite file {path} is given without its full path, so where it lands depends on the folder the "
            f"program starts in; nothing was done. Give the full path, for example {_FULL_PATH_EXAMPLE}."
        )


def make_engine(url: str, *, sslmode: str | None = None) -> Engine:
    """An engine for the URL; the SQLite file is created owner-only if it does not exist yet. ``sslmode``: libpq's, for
    a PostgreSQL database (a SQLite file ignores it)."""
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        from hemgenix_desktop.storage.schema import for_postgresql

        for_postgresql()
        return create_engine(parsed, pool_pre_ping=True, connect_args=postgresql_connect_args(sslmode))
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StorageError(
            f"The database driver for “{parsed.drivername}” is not installed on this computer. "
            "Install it, or use a SQLite database."
        ) from exc


def postgresql_connect_args(sslmode: str | None) -> dict[str, Any]:
    """The driver's connection arguments for a PostgreSQL database: the site's ``sslmode``, when it names one."""
    return {} if sslmode is None else {"sslmode": sslmode}


def _sqlite_engine(url: URL) -> Engine:
    path = sqlite_file(url)
    kwargs: dict[str, Any] = {}
    if path is None:
        # One shared in-memory database for every thread (a practice session lives only in this process).
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        prepare_sqlite_file(path, url.render_as_string(hide_password=True))
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def prepare_sqlite_file(path: Path, shown: str) -> None:
    """Create the folder (0700) and the file (0600) if missing; make an existing file owner-only (``_owner_only``, once
    it is known to be a database this program may open). A path that is
    not a regular file (a folder, a device, a named pipe), or a file that is not a SQLite database, is refused
    with :class:`UnusableDatabaseError` before SQLite touches it (a named pipe would make it wait for ever);
    ``shown`` is the database's URL as the sentences name it."""
    try:
        if path.exists() and not path.is_file():
            raise UnusableDatabaseError(
                f"{path} is not a file (a folder, a device or a named pipe), so it cannot be the database. Give the "
                "database file's full path with --db."
            )
        if not path.parent.exists():
            private_folder(path.parent)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        with path.open("rb") as handle:
            header = handle.read(_HEADER_BYTES)
    except OSError as exc:
        raise _cannot_open(path, exc) from exc
    if header and not header.startswith(_SQLITE_HEADER):
        raise UnusableDatabaseError(  # the words the window has always used for such a file
            f"The database {shown} cannot be opened (file is not a database). Check that it is a Hemgenix Prep "
            "database, not damaged or made by a newer version, and that you may use it; or give another with --db."
        )
    if len(header) == _HEADER_BYTES and header[_WRITE_VERSION] == 1:  # not in WAL mode: never opened by this program
        _refuse_another_programs(path)
    try:
        _owner_only(path)
    except OSError as exc:
        raise _cannot_open(path, exc) from exc


def _owner_only(path: Path) -> None:
    """The database and its WAL files readable by their owner only: group and others lose their access; the owner's
    own permissions stay as they are (a copy made read-only stays so). Only once the file is known to be a database
    this program may open: a file it refuses keeps its mode."""
    for member in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if member.exists():
            mode = stat.S_IMODE(member.stat().st_mode)
            if mode != mode & 0o600:
                member.chmod(mode & 0o600)


def _cannot_open(path: Path, exc: OSError) -> StorageError:
    return StorageError(
        f"The database file {path} cannot be created or opened ({exc.strerror or exc}). "
        "Check the folder exists and is yours, or give another place with --db."
    )


def _refuse_another_programs(path: Path) -> None:
    """A SQLite file this program never opened (it would be in WAL mode) that holds tables, none of them Alembic's:
    another program's database, refused before the WAL switch or a migration changes anything in it. Read with the
    standard library, read-only; a file that cannot be read this instant is left to the normal opening."""
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return
    try:
        tables = [str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.Error:
        return
    finally:
        connection.close()
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise UnusableDatabaseError(
            f"The database file {path} holds another program's tables ({shown}), not Hemgenix Prep's, so nothing was "
            "changed in it. Give the pharmacy's Hemgenix Prep database with --db, or a new, empty one."
        )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own would always be DEFERRED).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        _ensure_wal(cursor)
    finally:
        cursor.close()


def _ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL once. The switch needs the file to itself, and SQLite answers "locked" at
    once (without its busy wait) when another program has it open at that moment, as when two programs
    start on a new database together: so wait and retry, up to the busy timeout."""
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _on_sqlite_begin(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
