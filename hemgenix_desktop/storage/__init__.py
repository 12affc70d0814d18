"""Storage: the database (SQLite by default, PostgreSQL for several workstations), its schema under
Alembic migrations, the preparations, the users table and the hash-chained audit trail.

The wizard and the History window use ``Store``, a thin façade over one repository of each kind (see
``store.py``); the security layer uses ``store.users``. Roles, statuses and audit action names are
``domain.vocabulary``'s.

Each name below is loaded from its module when it is first used (``from hemgenix_desktop.storage import
StorageError`` does not load SQLAlchemy; ``Store`` does), so the first screen appears before the database
libraries are loaded (docs/performance.md, cold start).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemgenix_desktop.storage.amendment_rows import AmendmentSummary
    from hemgenix_desktop.storage.audit import AuditEvent, ChainVerification
    from hemgenix_desktop.storage.errors import (
        AlreadySealed,
        AmendmentNotFound,
        InvalidDatabaseURL,
        PreparationClosed,
        PreparationNotFound,
        StaleDraft,
        StorageError,
        UserAlreadyExists,
        UserNotActive,
        UserNotFound,
        WrongStoreForPreparation,
    )
    from hemgenix_desktop.storage.preparation_rows import PreparationSummary
    from hemgenix_desktop.storage.sealed_records import KeptRecord
    from hemgenix_desktop.storage.store import Store
    from hemgenix_desktop.storage.users import Actor, User, cli_actor
    from hemgenix_desktop.storage.values import short_id
    from hemgenix_desktop.storage.writer import Clock, utc_now

_MODULE_OF = {
    "Actor": "users",
    "AlreadySealed": "errors",
    "AmendmentNotFound": "errors",
    "AmendmentSummary": "amendment_rows",
    "AuditEvent": "audit",
    "ChainVerification": "audit",
    "Clock": "writer",
    "InvalidDatabaseURL": "errors",
    "PreparationClosed": "errors",
    "PreparationNotFound": "errors",
    "KeptRecord": "sealed_records",
    "PreparationSummary": "preparation_rows",
    "StaleDraft": "errors",
    "StorageError": "errors",
    "Store": "store",
    "User": "users",
    "UserAlreadyExists": "errors",
    "UserNotActive": "errors",
    "UserNotFound": "errors",
    "WrongStoreForPreparation": "errors",
    "cli_actor": "users",
    "short_id": "values",
    "utc_now": "writer",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Actor",
    "AlreadySealed",
    "AmendmentNotFound",
    "AmendmentSummary",
    "AuditEvent",
    "ChainVerification",
    "Clock",
    "InvalidDatabaseURL",
    "KeptRecord",
    "PreparationClosed",
    "PreparationNotFound",
    "PreparationSummary",
    "StaleDraft",
    "StorageError",
    "Store",
    "User",
    "UserAlreadyExists",
    "UserNotActive",
    "UserNotFound",
    "WrongStoreForPreparation",
    "cli_actor",
    "short_id",
    "utc_now",
]
