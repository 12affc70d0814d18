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
        if stored_revision(probe) == HEAD_REVISION:
            return
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database (Alembic's ``alembic_version`` table), read without Alembic;
    None for a new database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(versions[0]) if len(versions) == 1 else None
