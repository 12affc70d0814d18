"""Alembic's environment for Hemgenix Prep.

At run time the program passes its own open connection in ``config.attributes["connection"]``
(see ``hemgenix_desktop.storage.migrate``); no alembic.ini is needed. A developer writing a new
revision can still run the alembic command with ``-x url=…`` or ``sqlalchemy.url`` set.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hemgenix_desktop.storage.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("Give the database with -x url=… or sqlalchemy.url.")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise RuntimeError("Hemgenix Prep migrations run online only.")
run_migrations_online()
