"""The storage layer's plain values, without SQLAlchemy: the short id, the search terms, the schema's newest
revision.

They live apart from the tables (``schema.py``) and the Store so that the first screen can use them without
loading the database libraries (see docs/performance.md, cold start).
"""

from __future__ import annotations

SHORT_ID_LENGTH = 8
# The newest migration in migrations/versions; tests/storage/test_migrations.py checks it is Alembic's head.
HEAD_REVISION = "0009"


def search_terms(name: str, mrn: str, identifier: str) -> set[str]:
    """The words the History search finds a preparation by: each lower-cased word of the patient's name,
    the MRN and the identifier, each whole and normalised (spaces, dashes and dots taken out)."""
    terms: set[str] = set()
    for text in (name, mrn, identifier):
        lowered = text.strip().lower()
        terms.update(lowered.split())
        squeezed = "".join(ch for ch in lowered if ch.isalnum())
        if squeezed:
            terms.add(squeezed)
    return {term[:200] for term in terms if term}


def short_id(prep_id: str) -> str:
    """The first 8 characters of a preparation id: what people read and type."""
    return prep_id[:SHORT_ID_LENGTH]


__all__ = [
    "HEAD_REVISION",
    "SHORT_ID_LENGTH",
    "search_terms",
    "short_id",
]
