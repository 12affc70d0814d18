"""Finding preparations: the History window's search (through the search-terms index) and a preparation named by
the start of its id."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, select

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.preparation_rows import PreparationSummary, not_found, summary_query, to_summary
from hemgenix_desktop.storage.schema import preparation_search_terms, preparations
from hemgenix_desktop.storage.values import SHORT_ID_LENGTH, search_terms


class SearchIndex:
    """The preparations of one database, as the History window and the command line look them up. Obtain it as
    ``store.index``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def search(
        self,
        *,
        patient: str | None = None,
        identifier: str | None = None,
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
        status: PreparationStatus | None = None,
        local_zone: tzinfo | None = None,
        limit: int | None = None,
    ) -> list[PreparationSummary]:
        """Preparations for the History window, the newest first (at most ``limit`` of them, when given).

        ``patient``: words of the name or the MRN (or identifier), each matched from its start, all of them
        required (case ignored; "smi jo" finds "John Smith", the middle of a word is not searched), through
        the search-terms index. ``identifier``: the patient-specific
        identifier (compared like the carton check: trimmed, case ignored). ``date_from``/``date_to``: the
        day the preparation was started, both included; a ``date`` is a day in ``local_zone`` (default:
        this computer's zone), an aware ``datetime`` an exact moment.
        """
        query = summary_query()
        if patient is not None and patient.strip():
            # Each typed word must start one of the preparation's search terms (name words, MRN), all
            # looked up through the term index.
            for word in patient.strip().lower().split():
                query = query.where(preparations.c.id.in_(_term_prefix(word)))
        if identifier is not None and identifier.strip():
            query = query.where(preparations.c.patient_identifier == normalise_identifier(identifier))
        if date_from is not None:
            query = query.where(preparations.c.created_at >= _moment(date_from, time.min, local_zone))
        if date_to is not None:
            query = query.where(preparations.c.created_at <= _moment(date_to, time.max, local_zone))
        if status is not None:
            query = query.where(preparations.c.status == PreparationStatus(status).value)
        query = query.order_by(preparations.c.created_at.desc(), preparations.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self._db.reading() as conn:
            return [to_summary(row) for row in conn.execute(query)]

    def resolve_id(self, text: str) -> str:
        """The full id of the preparation whose id is ``text`` or starts with it (at least 8 characters)."""
        wanted = text.strip().lower()
        if len(wanted) < SHORT_ID_LENGTH:
            raise InvalidInput(
                f"“{text.strip()}” is too short to name a preparation. Give at least the first "
                f"{SHORT_ID_LENGTH} characters of its id."
            )
        with self._db.reading() as conn:
            found = (
                conn.execute(
                    select(preparations.c.id)
                    .where(preparations.c.id.like(f"{_escape_like(wanted)}%", escape="\\"))
                    .limit(2)
                )
                .scalars()
                .all()
            )
        if not found:
            raise not_found(text.strip())
        if len(found) > 1:
            raise InvalidInput(f"More than one preparation starts with “{text.strip()}”. Give more of the id.")
        return str(found[0])


# --- the search-terms index, written in the transaction that changes the patient ------------------------------
def write_search_terms(conn: Connection, prep_id: str, columns: dict[str, Any]) -> None:
    """Rewrite the preparation's search terms from its patient columns."""
    conn.execute(delete(preparation_search_terms).where(preparation_search_terms.c.preparation_id == prep_id))
    terms = search_terms(columns["patient_name"], columns["patient_mrn"], columns["patient_identifier_entered"])
    if terms:
        conn.execute(
            insert(preparation_search_terms),
            [{"preparation_id": prep_id, "term": term} for term in sorted(terms)],
        )


def add_search_terms(conn: Connection, prep_id: str, columns: dict[str, Any]) -> None:
    """Add the search terms of these patient columns to the preparation's, keeping those it has."""
    have = set(
        conn.execute(
            select(preparation_search_terms.c.term).where(preparation_search_terms.c.preparation_id == prep_id)
        ).scalars()
    )
    terms = search_terms(columns["patient_name"], columns["patient_mrn"], columns["patient_identifier_entered"])
    if terms - have:
        conn.execute(
            insert(preparation_search_terms),
            [{"preparation_id": prep_id, "term": term} for term in sorted(terms - have)],
        )


def _term_prefix(word: str) -> Select[Any]:
    """The preparations with a search term starting with ``word`` (a range on the term index)."""
    column = preparation_search_terms.c.term
    upper = word[:-1] + chr(min(ord(word[-1]) + 1, 0x10FFFF))
    return select(preparation_search_terms.c.preparation_id).where(column >= word, column < upper)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _moment(value: date | datetime, at: time, zone: tzinfo | None) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("give search moments with a time zone")
        return value.astimezone(UTC)
    local = datetime.combine(value, at)
    aware = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
    return aware.astimezone(UTC)


__all__ = ["SearchIndex", "add_search_terms", "write_search_terms"]
