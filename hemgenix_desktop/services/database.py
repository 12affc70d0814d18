"""The desktop's database, opened: a first look before the database libraries load, then the store opened (and
brought up to date) with any failure in one sentence, and the smoke test's throwaway database.

Nothing here loads SQLAlchemy when imported: ``first_look`` reads the file with the standard library only
(``storage/glance.py``), so the first screen can be chosen before the database libraries load
(docs/performance.md, cold start); the other two load them when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hemgenix_desktop.config import resolve_db_url
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.storage.errors import StorageError
from hemgenix_desktop.storage.glance import glance

if TYPE_CHECKING:  # SQLAlchemy (and Alembic, when migrating) load with the database, after the first screen
    from hemgenix_desktop.storage import Store


def first_look(db_url: str | None) -> bool | None:
    """Whether the database has any account, when a first look at it is enough to be sure it will open as it is
    (an up-to-date SQLite file: ``storage.glance``); None when only opening it can tell. ``db_url`` as for
    :func:`open_store`."""
    look = glance(resolve_db_url(db_url))
    return None if look is None else look.has_users


def open_store(practice: bool, db_url: str | None) -> Store:
    """The practice database (new, in memory), or the pharmacy's, opened and brought up to date.

    ``db_url``: None means ``HEMGENIX_DB_URL``, else the settings file, else the SQLite file in the user's data
    folder. Raises ``StorageError`` or ``InvalidInput`` with the sentence; any other database failure becomes a
    ``StorageError`` too, so the program never ends with a traceback because of its database."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage.engine import describe_url

    if practice:
        return Store.open_practice()
    url = resolve_db_url(db_url)
    try:
        return Store.open(url)
    except (DomainError, StorageError):
        raise
    except Exception as exc:
        from alembic.util.exc import CommandError as AlembicError  # loaded already when a migration failed

        if not isinstance(exc, SQLAlchemyError | AlembicError | OSError):
            raise
        reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        detail = (str(reason).splitlines() or [type(reason).__name__])[0]
        raise StorageError(
            f"The database {describe_url(url)} cannot be opened ({detail}). Check that it is a Hemgenix Prep "
            "database, not damaged or made by a newer version, and that you may use it; or give another with --db."
        ) from exc


def open_throwaway_store(url: str) -> Store:
    """A practice-marked store over the database at ``url``, created and brought up to date: the smoke test's
    throwaway database (a file, so that its run can be looked at afterwards; practice-marked, so that nothing made
    in it can pass for a real record)."""
    from hemgenix_desktop.storage import Store, migrate
    from hemgenix_desktop.storage.engine import make_engine

    engine = make_engine(url)
    migrate.upgrade(engine)
    return Store(engine, practice=True)


__all__ = ["first_look", "open_store", "open_throwaway_store"]
