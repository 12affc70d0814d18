"""What the desktop UI names of the storage layer, given through the application layer.

The screens hold a signed-in ``User``, show ``AuditEvent`` and ``PreparationSummary`` rows, hand the workstation's
``Store`` on to the services and catch ``StorageError`` to show its sentence (``UnusableDatabaseError``, a database
that cannot be used as it is, ends the start with exit code 2). They name these here, so that ``ui/`` depends on
``services/`` and nothing below it (the import-linter contract ``ui-not-storage`` in pyproject.toml).

Like ``hemgenix_desktop.storage`` itself, each name but ``StorageError`` is loaded from its module when it is first
used: ``Store`` loads SQLAlchemy, and the first screen appears before the database libraries are loaded
(docs/performance.md, cold start; tests/ui/test_startup.py). ``StorageError`` (``storage/errors.py``) loads no
database library, so it is imported at once.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.storage.errors import StorageError, UnusableDatabaseError

if TYPE_CHECKING:
    from hemgenix_desktop.storage.audit import AuditEvent
    from hemgenix_desktop.storage.preparation_rows import PreparationSummary
    from hemgenix_desktop.storage.store import Store
    from hemgenix_desktop.storage.users import User

_MODULE_OF = {
    "AuditEvent": "hemgenix_desktop.storage.audit",
    "PreparationSummary": "hemgenix_desktop.storage.preparation_rows",
    "Store": "hemgenix_desktop.storage.store",
    "User": "hemgenix_desktop.storage.users",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = ["AuditEvent", "PreparationSummary", "StorageError", "Store", "UnusableDatabaseError", "User"]
