"""What the desktop UI names of the layers below, given through the application layer.

The screens hold a signed-in ``User``, show ``AuditEvent`` and ``PreparationSummary`` rows, hand the workstation's
``Store`` on to the services, and catch ``StorageError`` to show its sentence. They name these here, so that ``ui/``
depends on ``services/`` only (``ui/smoke.py``, the test driver that builds a database, and ``ui/app.py``, whose cold start looks at the database file before anything else, are the exceptions).
"""

from __future__ import annotations

from hemgenix_desktop.storage import AuditEvent, PreparationSummary, StorageError, Store, User

__all__ = ["AuditEvent", "PreparationSummary", "StorageError", "Store", "User"]
