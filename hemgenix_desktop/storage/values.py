"""The storage layer's plain values, without SQLAlchemy: the stored enumerations, the short id, the schema's
newest revision.

They live apart from the tables (``schema.py``) and the Store so that the first screen can name a role or a
preparation's status without loading the database libraries (see docs/performance.md, cold start).
"""

from __future__ import annotations

from enum import StrEnum

SHORT_ID_LENGTH = 8
# The newest migration in migrations/versions; tests/storage/test_migrations.py checks it is Alembic's head.
HEAD_REVISION = "0001"


class PreparationStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    SEALED = "sealed"
    VOIDED = "voided"


class Role(StrEnum):
    TECHNICIAN = "technician"
    PHARMACIST = "pharmacist"


def short_id(prep_id: str) -> str:
    """The first 8 characters of a preparation id: what people read and type."""
    return prep_id[:SHORT_ID_LENGTH]


__all__ = ["HEAD_REVISION", "SHORT_ID_LENGTH", "PreparationStatus", "Role", "short_id"]
