"""The History window's questions, with no Qt: which preparations match a search, and one preparation's audit trail.

The search itself (which words match, the days in the site's zone, the newest first) is the search index's rule
(``storage.search``); this module checks what the person asked before asking it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import PreparationStatus

if TYPE_CHECKING:
    from hemgenix_desktop.storage import AuditEvent, PreparationSummary, Store


@dataclass(frozen=True)
class Search:
    """What the History window asks for (empty text: any)."""

    patient: str = ""
    identifier: str = ""
    first_day: date | None = None
    last_day: date | None = None
    status: PreparationStatus | None = None


def find(store: Store, search: Search, *, local_zone: tzinfo | None, limit: int) -> list[PreparationSummary]:
    """The preparations matching ``search``, the newest first, at most ``limit``. Raises ``InvalidInput`` when the
    first day is after the last, ``StorageError`` (the database) with its sentence."""
    first, last = search.first_day, search.last_day
    if first is not None and last is not None and first > last:
        raise InvalidInput(
            f"The first day ({first.isoformat()}) is after the last day ({last.isoformat()}). Swap them or correct one."
        )
    return store.search(
        patient=search.patient,
        identifier=search.identifier,
        date_from=first,
        date_to=last,
        status=search.status,
        local_zone=local_zone,
        limit=limit,
    )


def trail(store: Store, prep_id: str) -> list[AuditEvent]:
    """The preparation's audit trail, the oldest event first."""
    return store.audit_trail(prep_id)


def summary(store: Store, prep_id: str) -> PreparationSummary:
    """The preparation as it is now (its status, its sealed amendments, a correction in progress), to show it again
    after it may have changed; ``StorageError`` with its sentence."""
    return store.summary(prep_id)


__all__ = ["Search", "find", "summary", "trail"]
