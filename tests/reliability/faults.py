"""Faults to inject into a Store, each the way the real one happens, and the autosave hook they are met through.

* read-only: the database file opened read-only by SQLite (``mode=ro``), exactly what SQLite does when the
  file or its folder is not writable for the user. (``chmod`` cannot stand in for it: the tests run as root
  here, whom file modes do not stop, and ``Store.open`` makes the owner's file 0600 again anyway.) For a Store
  already open, ``PRAGMA query_only`` gives SQLite's same SQLITE_READONLY error.
* disk full: SQLite's own SQLITE_FULL, by capping the file at the pages it has (``PRAGMA max_page_count``);
  and the same error injected at COMMIT (the WAL append fails), where a real full disk often strikes.
* locked: another connection holds the write lock (``BEGIN IMMEDIATE``) for longer than the busy timeout,
  which the test shortens from 15 s to 0.2 s so that it does not wait 15 s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.storage import StorageError, Store, User
from hemgenix_desktop.storage import engine as storage_engine

SHORT_BUSY_TIMEOUT_MS = 200


def cannot_write(reason: str) -> str:
    """The sentence the Store gives when a write fails (``reason`` is SQLite's own words)."""
    return (
        f"The database could not be written, so nothing was saved ({reason}). Try again; if it keeps failing, "
        "call IT support."
    )


READ_ONLY = cannot_write("attempt to write a readonly database")
DISK_FULL = cannot_write("database or disk is full")
LOCKED = cannot_write("database is locked")


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def read_only_url(path: Path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@contextmanager
def disk_full(store: Store) -> Iterator[None]:
    """The database file cannot grow by one page (SQLite answers SQLITE_FULL, as on a full disk)."""
    with store.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # new connections, each capped
    try:
        yield
    finally:
        event.remove(store.engine, "connect", cap)
        store.engine.dispose()


@contextmanager
def read_only(store: Store) -> Iterator[None]:
    """Every connection of ``store`` may read but not write (``PRAGMA query_only``): SQLite refuses each write
    with SQLITE_READONLY, "attempt to write a readonly database", the very error of a read-only file. For a
    Store that is open already (the main window's); a file opened read-only is ``read_only_url``."""

    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")

    event.listen(store.engine, "connect", refuse_writes)
    store.engine.dispose()
    try:
        yield
    finally:
        event.remove(store.engine, "connect", refuse_writes)
        store.engine.dispose()


@contextmanager
def commit_fails(
    store: Store, monkeypatch: pytest.MonkeyPatch, message: str = "database or disk is full"
) -> Iterator[list[int]]:
    """Every COMMIT fails with SQLite's error (the statements before it succeeded); yields the failure count."""
    failures: list[int] = []
    dialect = store.engine.dialect

    def failing_commit(_dbapi_connection: Any) -> None:
        failures.append(1)
        raise sqlite3.OperationalError(message)

    with monkeypatch.context() as patch:
        patch.setattr(dialect, "do_commit", failing_commit)
        yield failures


@contextmanager
def write_locked(path: Path) -> Iterator[None]:
    """Another program holds the database's write lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections made from now on give up after 0.2 s instead of 15 s."""
    monkeypatch.setattr(storage_engine, "BUSY_TIMEOUT_MS", SHORT_BUSY_TIMEOUT_MS)


PageHook = Callable[[Preparation, str], None]


def autosave_hook(store: Store | Callable[[], Store], user: User, workstation: str) -> PageHook:
    """Autosave for ``PreparationWizard(on_page_committed=…)``: the first page starts the preparation, every
    later one saves the draft (``store`` may be a function giving the Store to use now). A database that cannot be written gives its sentence as ``InvalidInput``:
    the wizard's contract is that the hook raises domain errors (the page shows their sentence and stays);
    a raw ``StorageError`` is not one (the page would neither advance nor say why)."""
    started: set[str] = set()

    def hook(prep: Preparation, _page: str) -> None:
        now = store if isinstance(store, Store) else store()
        try:
            if prep.id not in started:
                now.start_preparation(prep, user, workstation)
                started.add(prep.id)
            else:
                now.save_draft(prep, prep.step, user, workstation)
        except StorageError as exc:
            raise InvalidInput(exc.message) from exc

    return hook
