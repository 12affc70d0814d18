"""A sound copy of a SQLite database, through SQLite's online backup API (issue 15).

The backup API copies the database page by page under SQLite's own locks, so a copy taken while the program
writes is a consistent database (unlike copying the file, which can catch half a write). The copy is made
readable by its owner only (mode 0600) and never overwrites a file. PostgreSQL is backed up with its own tools
(``pg_dump``, or a base backup), which the command line names.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

BACKUP_MODE = 0o600


class BackupRefused(Exception):  # noqa: N818 - the name reads as the user sees it
    """The backup cannot be made as asked; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def backup_sqlite(engine: Engine, out: Path) -> None:
    """Copy the SQLite database of ``engine`` into the new file ``out`` (mode 0600) through the online backup
    API. Raises ``BackupRefused`` when ``out`` exists or cannot be made; nothing is left behind on failure."""
    if out.exists() or out.is_symlink():
        raise BackupRefused(f"{out} exists already. A backup never overwrites a file: give a new file name.")
    if not out.parent.is_dir():
        if out.parent.exists():
            raise BackupRefused(
                f"{out.parent} is a file, not a folder, so the backup cannot be written into it. Give --out a file "
                "in a folder."
            )
        raise BackupRefused(f"The folder {out.parent} does not exist. Make it first, or give another --out.")
    try:
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE))
    except OSError as exc:
        raise BackupRefused(
            f"{out} cannot be written ({exc.strerror}). Give a file in a folder you may write to."
        ) from exc
    try:
        raw = engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(out)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            finally:
                target.close()
        finally:
            raw.close()
        os.chmod(out, BACKUP_MODE)
    except BaseException:
        for leftover in (out, Path(f"{out}-wal"), Path(f"{out}-shm"), Path(f"{out}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise


__all__ = ["BACKUP_MODE", "BackupRefused", "backup_sqlite"]
