"""The signatures' and the approvals' rows against the events that name them, for ``state_check`` (issue 15).

A ``signature_added`` event names every column of its signature row but its number and its preparation (the event's
own): the meaning, the signer's username, printed name and role, the UTC and local times, the time zone, the
workstation, the content hash, the subject and reason of an override, and the amendment. An event that approves a
change names its approval row: the approver's username (and, since this check, printed name), employee number and
role, the meaning, the reason; the row's time and workstation are the event's own. Each is compared, and each
difference is one sentence naming the row and the event.

Times are compared as the tables keep them: without a zone, in UTC (``types.UTCDateTime``). SQLite's driver gives the
stored text (``YYYY-MM-DD HH:MM:SS.ffffff``), PostgreSQL's a datetime; the events' ISO texts are written in that form
(``stored_time``) so that the running digest of the signatures needs no work per row on SQLite.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from hemgenix_desktop.domain.vocabulary import AuditAction as A
from hemgenix_desktop.storage.schema import signatures
from hemgenix_desktop.storage.trail_reader import ACTION, AFTER, COLUMNS, HASH, PREPARATION_ID, SEQ, stream_events
from hemgenix_desktop.storage.values import short_id

WORKSTATION = COLUMNS.index("workstation")

# The signatures' columns compared, in the order the digest takes them: first what names a signature (a row with
# another of these is another signature), then what it says of its signer.
_SIGNATURE_COLUMNS = (
    "preparation_id", "amendment", "meaning", "username", "content_sha256", "subject",
    "full_name", "role", "signed_at", "local_time", "time_zone", "workstation", "reason",
)  # fmt: skip
_IDENTITY = 6  # the first six name the signature
_SIGNED_AT = _SIGNATURE_COLUMNS.index("signed_at")
# What a signature_added event calls the columns after the first six (``Signature.to_dict``).
_SIGNER_FIELDS = ("printed_name", "role", "signed_at_utc", "signed_at_local", "zone", "workstation", "reason")
SIGNATURES_QUERY = f"SELECT {', '.join(_SIGNATURE_COLUMNS)} FROM signatures"

# An approval row's columns and what the approving event calls them (``approvals.Approval.details``).
_APPROVAL_FIELDS = (
    ("meaning", "approval_meaning"),
    ("reason", "approval_reason"),
    ("employee_number", "approver_employee_number"),
    ("role", "approver_role"),
    ("full_name", "approver_full_name"),  # named since approvals' rows were compared column by column
)

Approved = tuple[tuple[Any, ...], tuple[tuple[str, Any], ...], int]  # (approver, hash, action), named columns, seq


def loads(text: Any) -> Any:
    """An event's JSON, as ``json.loads`` reads it: orjson's reading (C, several times faster; the same values for
    every text it accepts), and for a text it refuses (NaN, a number beyond 64 bits, a lone surrogate's escape) the
    json module's own."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def named(seq: int) -> str:
    """An event by its number, written out as ``event N (action by user on time)`` once the sentence is shown."""
    return f"\x00event {seq}\x00"


def shown(value: Any) -> str:
    return "(none)" if value is None else str(value)


def of_amendment(number: int) -> str:
    return f", amendment {number}" if number else ""


_UTC_SUFFIX = "+00:00"


def stored_time(value: Any) -> Any:
    """An event's ISO time as the tables keep it in SQLite (UTC, no zone, to the microsecond; a time without a zone
    taken as UTC); a value that is no ISO time, as it is.

    The program writes UTC times (``Signature.to_dict``: ``2026-12-01T15:33:00+00:00``, with ``.ffffff`` when there are
    microseconds); those are rewritten as text, the same text the datetime round trip gives (a million events' worth of
    signatures: the walk's state checks spent a third of their time parsing them). Anything else takes the round
    trip."""
    if isinstance(value, str) and value.endswith(_UTC_SUFFIX) and value[10:11] == "T":
        if len(value) == 25:  # YYYY-MM-DDTHH:MM:SS+00:00
            return f"{value[:10]} {value[11:19]}.000000"
        if len(value) == 32 and value[19:20] == ".":  # YYYY-MM-DDTHH:MM:SS.ffffff+00:00
            return f"{value[:10]} {value[11:26]}"
    moment = _utc(value)
    if not isinstance(moment, datetime):
        return value
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc(value: Any) -> Any:
    """A time (ISO text, or a datetime as a driver gives it) as an aware UTC datetime; anything else as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def signature_key(prep_id: str, after: dict[str, Any]) -> tuple[Any, ...]:
    """What a signature_added event says of its row, in ``SIGNATURES_QUERY``'s order and as SQLite keeps it."""
    key = _event_key(prep_id, after)
    return (*key[:_SIGNED_AT], stored_time(key[_SIGNED_AT]), *key[_SIGNED_AT + 1 :])


def stored_rows(rows: Any, conn: Connection) -> Any:
    """``SIGNATURES_QUERY``'s rows as SQLite's driver gives them (PostgreSQL's: the time written as SQLite's text)."""
    if conn.dialect.name == "sqlite":
        return map(tuple, rows)
    return ((*row[:_SIGNED_AT], stored_time(row[_SIGNED_AT]), *row[_SIGNED_AT + 1 :]) for row in rows)


def _event_key(prep_id: str, after: dict[str, Any]) -> tuple[Any, ...]:
    return (
        prep_id,
        int(after.get("amendment", 0)),
        after.get("meaning"),
        after.get("username"),
        after.get("content_sha256"),
        after.get("subject", ""),
        *map(after.get, _SIGNER_FIELDS),
    )


def signature_findings(conn: Connection) -> list[str]:
    """Each signature row against the signature_added events, read again to name each difference: a row that matches
    an event in every column is no difference (whatever their order); a row whose signature an event names but with
    other values gets a sentence for each column that differs; the rest, rows without an event and events without a
    row."""
    left: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], int]]] = defaultdict(list)  # identity: (key, seq), …
    signed: Counter[tuple[Any, ...]] = Counter()
    for event in stream_events(conn, actions=(A.SIGNATURE_ADDED.value,)):
        key = _compared(_event_key(event[PREPARATION_ID], loads(event[AFTER])))
        signed[key] += 1
        left[key[:_IDENTITY]].append((key, event[SEQ]))
    unmatched: list[tuple[Any, tuple[Any, ...]]] = []
    for row in conn.execute(select(signatures).order_by(signatures.c.id)):
        key = _compared(tuple(getattr(row, column) for column in _SIGNATURE_COLUMNS))
        if signed[key] > 0:
            signed[key] -= 1
            left[key[:_IDENTITY]].remove(next(pair for pair in left[key[:_IDENTITY]] if pair[0] == key))
        else:
            unmatched.append((row, key))
    found: list[str] = []
    for row, key in unmatched:
        what = (
            f"Signature row {row.id} (“{row.meaning}”, {row.username}, on preparation {short_id(row.preparation_id)}"
            f"{of_amendment(row.amendment)})"
        )
        events = left.get(key[:_IDENTITY])
        if not events:
            found.append(
                f"{what} has no signature_added event in the audit trail: it was added or changed outside Hemgenix "
                "Prep."
            )
            continue
        said, seq = events.pop(0)
        found.extend(
            f"{what} has {column} “{shown(value)}”, but its signature_added event says “{shown(said_value)}” "
            f"({named(seq)}): it was changed outside Hemgenix Prep."
            for column, value, said_value in zip(_SIGNATURE_COLUMNS, key, said, strict=True)
            if value != said_value
        )
    for events in left.values():
        for key, seq in events:
            found.append(
                f"The signature “{key[2]}” of {key[3]} on preparation {short_id(key[0])}{of_amendment(key[1])} "
                f"({named(seq)}) is missing from the signatures table: it was deleted or changed outside Hemgenix "
                "Prep."
            )
    return found


def _compared(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A signature's values with its time as an aware UTC datetime (a row's and an event's alike)."""
    return (*key[:_SIGNED_AT], _utc(key[_SIGNED_AT]), *key[_SIGNED_AT + 1 :])


def approval_named(event: tuple[Any, ...], at: str) -> Approved | None:
    """What an event that approves a change says of its approval row (None: no row, written before 0009)."""
    after = loads(event[AFTER])
    if "approver_role" not in after:
        return None
    columns = tuple((column, after[key]) for column, key in _APPROVAL_FIELDS if key in after)
    approver = (after.get("approved_by"), event[HASH], event[ACTION])
    return approver, (*columns, ("signed_at", at), ("workstation", event[WORKSTATION])), event[SEQ]


def approval_findings(conn: Connection, approved: dict[int, Approved]) -> list[str]:
    """Each approval row against the event it approved: the approver, the event's hash and action, then every column
    the event names."""
    found: list[str] = []
    left = dict(approved)
    for row in conn.exec_driver_sql("SELECT * FROM approvals ORDER BY id"):
        expected = left.pop(row.event_seq, None)
        if expected is None or expected[0] != (row.username, row.event_hash, row.action):
            found.append(
                f"Approval signature {row.id} (“{row.meaning}”, {row.username}, of event {row.event_seq}) does not "
                "match an approval the audit trail names: it was added or changed outside Hemgenix Prep."
            )
            continue
        for column, said_value in expected[1]:
            value, said = getattr(row, column), said_value
            if column == "signed_at":
                value, said = _utc(value), _utc(said)
            if value != said:
                found.append(
                    f"Approval signature {row.id} (“{row.meaning}”, {row.username}) has {column} “{shown(value)}”, "
                    f"but the event it approves says “{shown(said)}” ({named(expected[2])}): it was changed outside "
                    "Hemgenix Prep."
                )
    found.extend(
        f"The approval by {value[0]} of {named(seq)} is missing from the approvals table: it was deleted "
        "outside Hemgenix Prep."
        for value, _, seq in left.values()
    )
    return found


__all__ = [
    "SIGNATURES_QUERY",
    "approval_findings",
    "approval_named",
    "loads",
    "named",
    "of_amendment",
    "shown",
    "signature_findings",
    "signature_key",
    "stored_rows",
    "stored_time",
]
