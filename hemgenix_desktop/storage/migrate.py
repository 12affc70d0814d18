"""Bring a database to the newest schema, in code (no alembic.ini at run time).

The migrations travel inside the package (``storage/migrations``), so a wheel or a frozen build carries
them. Two programs starting at once on a new database do not trip over each other: the upgrade runs in
one writing transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-level advisory lock).

Alembic is imported only when a database has to be created or migrated: opening one that is up to date
reads its revision with one SELECT and compares it with :data:`HEAD_REVISION` (importing Alembic costs about
0.15 s and 12 MiB, which the workstation would otherwise pay at every start).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from hemgenix_desktop.storage.engine import WRITE_OPTION
from hemgenix_desktop.storage.errors import UnusableDatabaseError
from hemgenix_desktop.storage.values import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x48454D47  # "HEMG": one advisory lock for every Hemgenix Prep migration


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every migration the database lacks (nothing when it is up to date)."""
    with engine.connect() as probe:
        stored = stored_revision(probe)
        if stored == HEAD_REVISION:
            return
        check_ours(probe, stored)
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def refuse_foreign(engine: Engine) -> None:
    """Refuse another program's tables (as ``check_ours``) without migrating or changing anything: a database opened as
    it is, whatever its revision (``audit verify`` reports a revision that is not this program's as a finding)."""
    with engine.connect() as probe:
        stored = stored_revision(probe)
        if stored is None:
            check_ours(probe, stored)


def check_ours(connection: Connection, stored: str | None) -> None:
    """Refuse (:class:`UnusableDatabaseError`) to migrate a database that is not ours to change: one with tables but no
    Hemgenix Prep revision (another program's), or one at a revision this version does not know (written by a
    newer version: migrating it down or over it would lose what the newer version keeps)."""
    url = connection.engine.url.render_as_string(hide_password=True)
    if stored is None:
        tables = sorted(inspect(connection).get_table_names())
        if tables and "alembic_version" not in tables:  # (an empty version table: another start creating it)
            shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
            raise UnusableDatabaseError(
                f"The database {url} holds another program's tables ({shown}), not Hemgenix Prep's, so nothing was "
                "changed in it. Give the pharmacy's Hemgenix Prep database with --db, or a new, empty one."
            )
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(stored)
    except CommandError:
        raise UnusableDatabaseError(
            f"The database {url} was written by a newer version of Hemgenix Prep (schema {stored}; this version knows "
            f"up to {HEAD_REVISION}), so this version does not use it and changed nothing. Use the newer version of "
            "Hemgenix Prep on this workstation."
        ) from None


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database (Alembic's ``alembic_version`` table), read without Alembic;
    None for a new database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(versions[0]) if len(versions) == 1 else None
