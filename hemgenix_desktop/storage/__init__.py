"""Storage: the database (SQLite by default, PostgreSQL for several workstations), its schema under
Alembic migrations, the preparations, the users table and the hash-chained audit trail.

The wizard and the History window use ``Store``; the security layer uses ``store.users``.
"""

from hemgenix_desktop.storage.audit import AuditEvent, ChainVerification
from hemgenix_desktop.storage.errors import (
    InvalidDatabaseURL,
    PreparationClosed,
    PreparationNotFound,
    StorageError,
    UserAlreadyExists,
    UserNotActive,
    UserNotFound,
    WrongStoreForPreparation,
)
from hemgenix_desktop.storage.schema import PreparationStatus, Role
from hemgenix_desktop.storage.store import PreparationSummary, Store, cli_actor, short_id
from hemgenix_desktop.storage.users import Actor, User
from hemgenix_desktop.storage.writer import Clock, utc_now

__all__ = [
    "Actor",
    "AuditEvent",
    "ChainVerification",
    "Clock",
    "InvalidDatabaseURL",
    "PreparationClosed",
    "PreparationNotFound",
    "PreparationStatus",
    "PreparationSummary",
    "Role",
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
