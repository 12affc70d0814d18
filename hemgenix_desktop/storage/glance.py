"""A first look at the database with the standard library only (no SQLAlchemy, no Alembic), so the program can
show its first screen before the database libraries load (docs/performance.md, cold start).

``glance(url)`` answers one question, whether any account exists (the first screen is then the sign-in, else
the first pharmacist's account), and only when a look is enough to be sure the database will open as it is:
a SQLite file of this user's that exists, may be read and written (with its folder, for the WAL files), reads
at once, and is at the newest schema revision. In every other case (PostgreSQL, a new file, a database that needs
migrating, a damaged or foreign file, one that is busy, a URL this look does not parse) it answers None, and the
program opens, and if need be migrates, the database before its first screen, as it always did. It never creates,
migrates or changes anything.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from hemgenix_desktop.storage.values import HEAD_REVISION

_PREFIX = "sqlite:///"


@dataclass(frozen=True)
class Glance:
    """What the first look found."""

    has_users: bool  # False: no account yet (``UserAdmin.needs_first_user``), so the first account comes first


def glance(url: str) -> Glance | None:
    """The answer, or None when only opening the database properly can tell (see the module's docstring)."""
    path = plain_sqlite_file(url)
    if path is None or not _usable_file(path):
        return None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if versions != [(HEAD_REVISION,)]:
            return None  # a new, older or newer schema: opening it properly migrates it or says why not
        (any_user,) = connection.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()
        return Glance(has_users=bool(any_user))
    except sqlite3.Error:  # not a database, not ours, busy or locked this instant
        return None
    finally:
        connection.close()


def plain_sqlite_file(url: str) -> Path | None:
    """The file of ``sqlite:///path`` with nothing else in the URL (no query, escape, user or host; not in memory),
    read without SQLAlchemy: the same file as ``engine.sqlite_file(engine.parse_url(url))``. None for any other
    URL (``engine.parse_url`` then reads it)."""
    if not url.startswith(_PREFIX):
        return None
    database = url[len(_PREFIX) :]
    if not database or any(c in database for c in "?#%@") or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _usable_file(path: Path) -> bool:
    """An existing, non-empty regular file this user owns and may read and write, in a folder they may write (the
    engine makes the file owner-only when it opens it, which needs the owner)."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        for member in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                if member.stat().st_uid != getuid():
                    return False
            except FileNotFoundError:
                continue
            except OSError:
                return False
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


__all__ = ["Glance", "glance", "plain_sqlite_file"]
