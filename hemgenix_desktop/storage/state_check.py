"""``audit verify`` checks the tables against the trail (issue 15): state that changed without its event is found.

The chain's hashes prove the trail was not changed; they say nothing of the tables beside it. While the chain is
walked, each event that changes state is replayed here (users, preparation statuses, signatures, amendments, the
dose keys of a sealed record); afterwards the tables are read and compared with what the trail says, and each
difference is one sentence naming the row and the event. Event times must not go backwards by more than
``TIME_TOLERANCE`` (workstations' clocks differ a little; the head's lock orders the events).

Only what an event names is compared: an event written before a field was added to it (a password's fingerprint,
the password and lockout state, the subject of an enable/disable, a sealed record's dose keys) leaves that field
unchecked. A sign-in names the fingerprint of the hash its password was checked against, compared with the one the
trail last set for the account: a hash swapped in and put back, which the tables no longer show, is named.

A trail of a million events must be checked in bounded memory (issue 13): each preparation keeps one integer (its
status, the event that set it, whether a record was sealed for it). The signatures are kept as one running digest of
them in the trail's order (BLAKE2b keyed with a key drawn for this run), compared with the same digest of the
signatures table read in the order its rows were added: the program writes each signature's row and its event in one
transaction with the trail's head locked, so the rows' ids follow the events. The sealed records' dose keys, which the
preparations table keeps in another order, are kept as a keyed sum of their digests (a multiset hash, so no one can
make two different sets sum alike). Only when a digest or a sum differs from the tables' are those events read
again, one action at a time, to name each difference (rows merely in another order are no difference). An event is
named by its number while replaying; its action, user and time are read for the sentences that are shown.
"""

from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import compress, repeat
from operator import contains, itemgetter
from typing import Any, cast

import orjson
from sqlalchemy import Connection, select

from hemgenix_desktop.domain.vocabulary import AuditAction as A
from hemgenix_desktop.storage.schema import audit_events
from hemgenix_desktop.storage.state_rows import (
    SIGNATURES_QUERY,
    Approved,
    approval_findings,
    approval_named,
    signature_findings,
    signature_key,
    stored_rows,
    stored_time,
)
from hemgenix_desktop.storage.state_rows import loads as _loads
from hemgenix_desktop.storage.state_rows import named as _named
from hemgenix_desktop.storage.state_rows import shown as _shown
from hemgenix_desktop.storage.trail_reader import (
    ACTION,
    AFTER,
    PREPARATION_ID,
    SEQ,
    SUMMARY,
    USERNAME,
    EventRow,
    raw_rows,
    stream_events,
)
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import when

TIME_TOLERANCE = timedelta(minutes=2)
MAX_FINDINGS = 50  # a database rewritten wholesale would otherwise print one line per row

_STATUS_OF = {
    A.PREPARATION_STARTED.value: "draft",
    A.PREPARATION_SIGNED.value: "signed",
    A.PREPARATION_SEALED.value: "sealed",
    A.PREPARATION_VOIDED.value: "voided",
}
_USER_ACTIONS = {
    A.USER_ADDED.value,
    A.USER_ENABLED.value,
    A.USER_DISABLED.value,
    A.PASSWORD_RESET.value,
    A.PASSWORD_CHANGED.value,
    A.USER_ROLE_CHANGED.value,
    A.USER_EMPLOYEE_NUMBER_SET.value,
    A.SIGN_IN.value,
    A.SIGN_IN_FAILED.value,
}
_AMENDMENT_ACTIONS = {A.AMENDMENT_STARTED.value, A.AMENDMENT_SEALED.value, A.AMENDMENT_VOIDED.value}
_USER_FIELDS = ("full_name", "role", "active", "employee_number")
_SETS_PASSWORD = (A.USER_ADDED.value, A.PASSWORD_RESET.value, A.PASSWORD_CHANGED.value)
_LOCKOUT = ("failed_attempts", "locked_until")
# The password and lockout state each action changes: what its event names is kept, the rest is not checked until
# an event names it (events written before it was named). password_changed_at is the time of an event that names the
# hash it set.
_CHANGES = {
    **dict.fromkeys(
        _SETS_PASSWORD, ("must_change_password", "password_history_sha256", "password_changed_at", *_LOCKOUT)
    ),
    A.SIGN_IN.value: _LOCKOUT,
    A.SIGN_IN_FAILED.value: _LOCKOUT,
}
_BOOLEANS = ("active", "must_change_password")  # 0 or 1 where the database has no booleans (SQLite)
_TIMES = ("password_changed_at", "locked_until")  # compared and shown as SQLite keeps them (``stored_time``)
_SUBJECT = re.compile(r"\(([^()\s]+)\)")
_KEYS = ("patient_identifier", "carton_gtin", "carton_serial")
_PATIENT = ("patient_name", "patient_date_of_birth", "patient_mrn")  # named since they were compared
_SEALED_KEYS = _KEYS + _PATIENT  # in PREPARATIONS_QUERY's order
_dose_values = itemgetter(*_KEYS)
_sealed_values = itemgetter(*_SEALED_KEYS)
_APPROVAL_MARK = '"approver_role":'  # in an event's canonical JSON: an approval with its signature row (0009)


_STATUSES = ("draft", "signed", "sealed", "voided")
_CODE = {status: code for code, status in enumerate(_STATUSES)}
_STATUS_CODE = {action: _CODE[status] for action, status in _STATUS_OF.items()}
# A preparation's state in one integer: the number of the event that set its status, then three flags, then the
# status's code (two bits).
_STATUS_BITS = 3
_KEPT = 4  # a record was sealed for it
_SEEN = 8  # its row was found in the table (set while comparing)
_PATIENT_KEPT = 16  # its sealed record's event names the patient's name, date of birth and MRN too
_SHIFT = 5
_MODULUS = 2**256
_NAMED = re.compile("\x00event (\\d+)\x00")
_dumps = orjson.dumps

# What the comparisons read of the two large tables (benchmarks/verify_floor.py reads the same for the floor;
# SIGNATURES_QUERY is state_rows').
PREPARATIONS_QUERY = (
    "SELECT id, patient_identifier, carton_gtin, carton_serial, patient_name, patient_date_of_birth, patient_mrn, "
    "status FROM preparations"
)
_STATUS_COLUMN = 7


def password_fingerprint(password_hash: str) -> str:
    """What an event says of a password hash: its SHA-256 (the hash itself never goes into the trail)."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def _described(seq: Any, action: Any, username: Any, at: datetime | str) -> str:
    return f"event {seq} ({action} by {username} on {when(_moment(at) if isinstance(at, str) else at)})"


def _moment(iso: str) -> datetime:
    """An event's time from its ISO text (UTC)."""
    return datetime.fromisoformat(iso)


def _capitalised(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


@dataclass
class StateReplay:
    """Fed every verified event in order (``feed``), then asked for its findings against the tables (``findings``)."""

    users: dict[str, dict[str, tuple[Any, int]]] = field(default_factory=dict)  # field: (value, event number)
    statuses: dict[str, int] = field(default_factory=dict)  # preparation: its state as one integer (above)
    amended: dict[tuple[str, int], tuple[tuple[str, Any], int]] = field(default_factory=dict)
    drafting: dict[str, int] = field(default_factory=dict)
    approved: dict[int, Approved] = field(default_factory=dict)  # (approver, hash, action), named columns, seq
    times: list[str] = field(default_factory=list)
    sealed_sum: int = 0  # of the dose keys of each sealed record
    sealed_irregular: bool = False  # a record sealed twice for one preparation, or before its status events
    _last: tuple[int, str, str, str] | None = None  # the newest event so far: number, action, user, time
    # BLAKE2b keyed with a key drawn for this run: the digests the sums add
    _keyed: Any = field(default_factory=lambda: hashlib.blake2b(key=os.urandom(32), digest_size=32))
    _signed: Any = None  # the running digest of the signatures the trail added, in its order

    def __post_init__(self) -> None:
        self._signed = self._keyed.copy()

    def feed(self, event: EventRow, at: str) -> None:
        """One verified event, ``at`` its time's ISO text (UTC; such texts sort as their moments do, so an event is
        only compared as a moment when it is older than the newest before it)."""
        last = self._last
        if last is not None and at < last[3]:
            moment, newest = _moment(at), _moment(last[3])
            if moment < newest - TIME_TOLERANCE and len(self.times) < MAX_FINDINGS:
                name = _described(event[SEQ], event[ACTION], event[USERNAME], at)
                self.times.append(
                    f"{_capitalised(name)} is dated {_span(newest - moment)} before {_described(*last)}, beyond the "
                    f"{_span(TIME_TOLERANCE)} the workstations' clocks may differ: the trail's times were changed, or "
                    "a workstation's clock is wrong."
                )
        elif last is None or at > last[3]:
            self._last = (event[SEQ], event[ACTION], event[USERNAME], at)
        handler = _HANDLERS.get(event[ACTION])
        if handler is not None:
            handler(self, event, at)
        if _APPROVAL_MARK in event[AFTER]:
            self._approval(event, at)

    def _approval(self, event: EventRow, at: str) -> None:
        """An approval named since 0009: its signature row must be there."""
        approval = approval_named(event, at)
        if approval is not None:
            self.approved[event[SEQ]] = approval

    def feed_chunk(
        self, chunk: list[EventRow], isos: list[str], actions: tuple[str, ...], afters: tuple[str, ...]
    ) -> None:
        """``feed`` of each event of a verified chunk in order, with its columns already apart (``chain_walk``). Each
        step goes over a whole column in C: the times are checked to be in order (sorted, and none older than the newest
        before); only the events that change state or name an approval are handed to Python one by one. A chunk with an
        event older than the newest before it is fed event by event, so that every sentence comes out as and where
        ``feed`` writes it."""
        newest = "" if self._last is None else self._last[3]  # "" sorts before every time
        if isos[0] < newest or isos != sorted(isos):  # an event older than the newest before it (in time order: none)
            for event, at in zip(chunk, isos, strict=True):
                self.feed(event, at)
            return
        latest = max(newest, isos[-1])
        if latest > newest:  # the first event with the newest time (``feed`` keeps the first of equal times)
            first = chunk[bisect_left(isos, latest)]  # the times are in order
            self._last = (first[SEQ], first[ACTION], first[USERNAME], latest)
        handlers = list(map(_HANDLERS.get, actions))  # None: an event that changes no state
        chosen = compress(zip(cast("list[_Handler]", handlers), chunk, isos, strict=True), handlers)
        for handler, event, at in chosen:
            handler(self, event, at)
        for index in compress(range(len(chunk)), map(contains, afters, repeat(_APPROVAL_MARK))):
            self._approval(chunk[index], isos[index])

    def _mark(self, values: tuple[Any, ...]) -> int:
        """The keyed digest of some values (``_text``), as a number to add to a sum."""
        digest = self._keyed.copy()  # the key already taken in: a copy is cheaper than keying again
        digest.update(_text(values))
        return int.from_bytes(digest.digest(), "big")

    def _status(self, event: EventRow, at: str) -> None:
        prep_id = event[PREPARATION_ID]
        before = self.statuses.get(prep_id)
        if before is not None and before & _STATUS_BITS == _CODE["sealed"]:  # the program never writes this
            name = _described(event[SEQ], event[ACTION], event[USERNAME], at)
            self.times.append(
                f"{_capitalised(name)} changes preparation {short_id(prep_id)}, which {_named(before >> _SHIFT)} "
                "sealed; a sealed preparation never changes, so the event was written outside Hemgenix Prep."
            )
            return
        kept = 0 if before is None else before & _KEPT
        self.statuses[prep_id] = int(event[SEQ]) << _SHIFT | kept | _STATUS_CODE[event[ACTION]]

    def _signature(self, event: EventRow, _at: str) -> None:
        self._signed.update(_text(signature_key(event[PREPARATION_ID], _loads(event[AFTER]))))

    def _record(self, event: EventRow, _at: str) -> None:
        keys = _dose_keys(_loads(event[AFTER]))
        if keys is None:
            return
        prep_id = event[PREPARATION_ID]
        state = self.statuses.get(prep_id)
        if state is None or state & _KEPT:  # never written by the program: the records are read again to name it
            self.sealed_irregular = True
        else:
            self.statuses[prep_id] = state | _KEPT | (_PATIENT_KEPT if len(keys) > len(_KEYS) else 0)
        self.sealed_sum += self._mark((prep_id, *keys))

    def _amendment(self, event: EventRow, _at: str) -> None:
        prep_id, seq = event[PREPARATION_ID], event[SEQ]
        after = _loads(event[AFTER])
        if event[ACTION] == A.AMENDMENT_STARTED.value:
            number = int(after["number"])
            self.drafting[prep_id] = number
            self.amended[(prep_id, number)] = (("draft", None), seq)
            return
        number_or_none = self.drafting.pop(prep_id, None)
        if number_or_none is not None:
            status = "sealed" if event[ACTION] == A.AMENDMENT_SEALED.value else "voided"
            self.amended[(prep_id, number_or_none)] = ((status, after.get("record_id")), seq)

    def _user(self, event: EventRow, at: str) -> None:
        seq, action = event[SEQ], event[ACTION]
        after = _loads(event[AFTER])
        subject = after.get("username")
        if action == A.SIGN_IN_FAILED.value:
            if "failed_attempts" not in after:  # an unknown username: no account changed
                return
            subject = event[USERNAME]
        elif subject is None and action != A.SIGN_IN.value:
            named = _SUBJECT.findall(event[SUMMARY])  # "… the account Full Name (username)…": the last one named
            subject = named[-1] if named else None
        if subject is None and action == A.SIGN_IN.value:
            subject = event[USERNAME]  # who signed in is the event's own user
        if subject is None:
            return
        state = self.users.setdefault(subject, {})
        checked = after.get("password_checked_sha256")  # a sign-in: the hash its password was checked against
        if checked is not None:
            self._checked(state, checked, subject, event, at)
        for key in _USER_FIELDS:
            if key in after:
                state[key] = (after[key], seq)
        for key in _CHANGES.get(action, ()):
            if key in after:
                state[key] = (after[key], seq)
            else:
                state.pop(key, None)
        if "password_sha256" in after:
            state["password_sha256"] = (after["password_sha256"], seq)
            if action in _SETS_PASSWORD:
                state["password_changed_at"] = (at, seq)
        elif action in _SETS_PASSWORD:
            state.pop("password_sha256", None)  # an older event: the hash it set is not named, so not checked

    def _checked(self, state: dict[str, tuple[Any, int]], checked: str, subject: str, event: EventRow, at: str) -> None:
        """A password checked against a hash other than the one the trail last set for the account: the hash was
        swapped outside Hemgenix Prep (and maybe put back since, which the tables alone no longer show)."""
        said = state.get("password_sha256")
        if said is not None and said[0] != checked and len(self.times) < MAX_FINDINGS:
            name = _described(event[SEQ], event[ACTION], event[USERNAME], at)
            self.times.append(
                f"{_capitalised(name)} checked the password of the account {subject} against a password hash that is "
                f"not the one the audit trail last set for it ({_named(said[1])}): the hash was replaced outside "
                f"Hemgenix Prep, so whoever signed in as {subject} may have used another person's password."
            )

    def findings(self, conn: Connection) -> list[str]:
        """Every difference between the tables and the trail, each a sentence naming the row and the event."""
        found: list[str] = list(self.times)
        found += self._user_findings(conn)
        found += self._preparation_findings(conn)
        found += self._signature_findings(conn)
        found += self._amendment_findings(conn)
        found += self._approval_findings(conn)
        if len(found) > MAX_FINDINGS:
            found = [*found[:MAX_FINDINGS], f"… and {len(found) - MAX_FINDINGS} more differences."]
        return _written_out(conn, found)

    def _user_findings(self, conn: Connection) -> list[str]:
        result = conn.exec_driver_sql("SELECT * FROM users")  # as stored: no statement to compile, no inspection
        columns = set(result.keys())
        found: list[str] = []
        seen: set[str] = set()
        for row in result:
            seen.add(row.username)
            state = self.users.get(row.username)
            if state is None:
                found.append(
                    f"The account {row.username} ({row.role}) is in the users table, but no event of the audit trail "
                    "added it: it was added outside Hemgenix Prep."
                )
                continue
            for key, (said, seq) in state.items():
                value_seen = said
                if key in _FINGERPRINTED:
                    column, what = _FINGERPRINTED[key]
                    if password_fingerprint(getattr(row, column)) != value_seen:
                        found.append(
                            f"The {what} of the account {row.username} is not the one the audit trail last set "
                            f"({_named(seq)}): it was replaced outside Hemgenix Prep."
                        )
                    continue
                if key not in columns:
                    continue
                value = getattr(row, key)
                if key in _BOOLEANS and value is not None:
                    value = bool(value)
                elif key in _TIMES:
                    value, value_seen = stored_time(value), stored_time(said)
                if value != value_seen:
                    found.append(
                        f"The account {row.username} has {key} “{_shown(value)}”, but the audit trail says "
                        f"“{_shown(value_seen)}” ({_named(seq)}): it was changed outside Hemgenix Prep."
                    )
        found.extend(
            f"The account {username} of the audit trail is missing from the users table: it was deleted outside "
            "Hemgenix Prep."
            for username in sorted(self.users.keys() - seen)
        )
        return found

    def _preparation_findings(self, conn: Connection) -> list[str]:
        found, table_sum = self._scan_preparations(conn, None)
        if self.sealed_irregular or table_sum % _MODULUS != self.sealed_sum % _MODULUS:
            found, _ = self._scan_preparations(conn, _sealed_records(conn))  # name each difference
        found.extend(
            f"Preparation {short_id(prep_id)} of the audit trail ({_named(state >> _SHIFT)}) is missing from the "
            "preparations table: it was deleted outside Hemgenix Prep."
            for prep_id, state in self.statuses.items()
            if not state & _SEEN
        )
        return found

    def _scan_preparations(
        self, conn: Connection, records: dict[str, tuple[tuple[Any, ...], int]] | None
    ) -> tuple[list[str], int]:
        """The preparations' rows against the trail: the sentences, and the sum of the sealed ones' dose keys.
        ``records`` (each sealed record's dose keys): also name each dose key that differs."""
        found: list[str] = []
        total = 0
        for row in raw_rows(conn, PREPARATIONS_QUERY):
            prep_id, status = row[0], row[_STATUS_COLUMN]
            state = self.statuses.get(prep_id)
            if state is None:
                found.append(
                    f"Preparation {short_id(prep_id)} ({status}) has no event in the audit trail: its row was "
                    "added outside Hemgenix Prep."
                )
            else:
                self.statuses[prep_id] = state | _SEEN
                said = _STATUSES[state & _STATUS_BITS]
                if said != status:
                    found.append(
                        f"Preparation {short_id(prep_id)} is {status} in its row, but the audit trail says "
                        f"{said} ({_named(state >> _SHIFT)}): the row was changed outside Hemgenix Prep."
                    )
                if state & _PATIENT_KEPT:  # the preparation and what its record named, as ``_record`` marks them
                    total += self._mark(_sealed_row(row))
                elif state & _KEPT:
                    total += self._mark(row[:4])
            record = None if records is None else records.get(prep_id)
            if record is not None:
                sealed, seq = record
                for key, value, said_value in zip(_SEALED_KEYS, _sealed_row(row)[1:], sealed, strict=False):
                    if value != said_value:
                        found.append(
                            f"Preparation {short_id(prep_id)} has {key} “{_shown(value)}” in its row, but its sealed "
                            f"record says “{_shown(said_value)}” ({_named(seq)}): the row was changed after sealing."
                        )
        return found, total

    def _signature_findings(self, conn: Connection) -> list[str]:
        table = self._keyed.copy()
        add = table.update
        for text in map(_text, stored_rows(raw_rows(conn, f"{SIGNATURES_QUERY} ORDER BY id"), conn)):
            add(text)
        if table.digest() == self._signed.digest():
            return []
        return signature_findings(conn)  # they differ: read the signatures' events to name it

    def _amendment_findings(self, conn: Connection) -> list[str]:
        found: list[str] = []
        seen: set[tuple[str, int]] = set()
        for row in conn.exec_driver_sql("SELECT * FROM amendments"):
            key = (row.preparation_id, row.number)
            seen.add(key)
            state = self.amended.get(key)
            what = f"Amendment {row.number} of preparation {short_id(row.preparation_id)}"
            if state is None:
                found.append(f"{what} has no event in the audit trail: it was added outside Hemgenix Prep.")
                continue
            (status, record_id), seq = state
            if row.status != status or (status == "sealed" and row.record_id != record_id):
                found.append(
                    f"{what} is {row.status} (record {row.record_id}) in its row, but the audit trail says {status}"
                    f" (record {record_id}) ({_named(seq)}): the row was changed outside Hemgenix Prep."
                )
        found.extend(
            f"Amendment {number} of preparation {short_id(prep_id)} of the audit trail ({_named(seq)}) is missing "
            "from the amendments table: it was deleted outside Hemgenix Prep."
            for (prep_id, number), (_, seq) in self.amended.items()
            if (prep_id, number) not in seen
        )
        return found

    def _approval_findings(self, conn: Connection) -> list[str]:
        """Each approval signature row against the event it approved (``state_rows.approval_findings``)."""
        return approval_findings(conn, self.approved)


_FINGERPRINTED = {  # what an event names by its SHA-256: the column, and what a sentence calls it
    "password_sha256": ("password_hash", "password hash"),
    "password_history_sha256": ("password_history", "password history"),
}
_Handler = Callable[[StateReplay, EventRow, str], None]
_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(_STATUS_OF, StateReplay._status),
    A.SIGNATURE_ADDED.value: StateReplay._signature,
    A.RECORD_SEALED.value: StateReplay._record,
    **dict.fromkeys(_AMENDMENT_ACTIONS, StateReplay._amendment),
    **dict.fromkeys(_USER_ACTIONS, StateReplay._user),
}


def _dose_keys(after: Any) -> tuple[Any, ...] | None:
    """The dose keys a sealed record's event names, in ``_KEYS`` order, then the patient's name, date of birth and MRN
    when it names the name (``_PATIENT``; None: an amendment's record, or one before the dose keys were named); a key
    it does not name is None."""
    if "patient_identifier" in after and not after.get("amendment"):
        keys, values = (_SEALED_KEYS, _sealed_values) if "patient_name" in after else (_KEYS, _dose_values)
        try:
            return values(after)  # type: ignore[no-any-return]
        except KeyError:
            return tuple(map(after.get, keys))
    return None


def _sealed_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A preparation's id and the values a sealed record names, from ``PREPARATIONS_QUERY``'s row: the date of birth
    as ISO text, as the record's event names it (SQLite's driver gives that text, PostgreSQL's a date)."""
    born = row[5]
    if isinstance(born, date):
        return (*row[:5], born.isoformat(), row[6])
    return row[:_STATUS_COLUMN]


def _sealed_records(conn: Connection) -> dict[str, tuple[tuple[Any, ...], int]]:
    """Each preparation's sealed record's dose keys (the last one the trail names) and its event's number."""
    records: dict[str, tuple[tuple[Any, ...], int]] = {}
    for event in stream_events(conn, actions=(A.RECORD_SEALED.value,)):
        keys = _dose_keys(_loads(event[AFTER]))
        if keys is not None:
            records[event[PREPARATION_ID]] = (keys, event[SEQ])
    return records


def _written_out(conn: Connection, found: Iterable[str]) -> list[str]:
    """The sentences with each event named by its number written out (read in the same snapshot)."""
    sentences = list(found)
    wanted = {int(seq) for sentence in sentences for seq in _NAMED.findall(sentence)}
    names: dict[str, str] = {}
    if wanted:
        query = select(audit_events.c.seq, audit_events.c.action, audit_events.c.username, audit_events.c.at)
        for row in conn.execute(query.where(audit_events.c.seq.in_(sorted(wanted)))):
            names[str(row.seq)] = _described(row.seq, row.action, row.username, row.at)
    return [_NAMED.sub(lambda m: names.get(m.group(1), f"event {m.group(1)}"), sentence) for sentence in sentences]


def _text(values: tuple[Any, ...]) -> bytes:
    """Some values as text to digest, ending in a NUL (so that texts one after another stay apart: neither form below
    ever holds one). The values are written as a JSON array by orjson (in C: a third of ``repr``'s time); any that
    orjson cannot write, or writes as ``null`` (None, but also NaN and infinity), are written by ``repr`` instead.
    Either way equal values give equal text and different values different text (an array begins with ``[``, a
    ``repr`` with ``(``)."""
    try:
        text = _dumps(values)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a number beyond 64 bits, bytes
        text = b"null"
    if text.find(b"null") != -1:  # (``in`` first tries the argument as a number: slower)
        text = repr(values).encode("utf-8", "surrogatepass")
    return text + b"\x00"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


__all__ = ["PREPARATIONS_QUERY", "SIGNATURES_QUERY", "TIME_TOLERANCE", "StateReplay", "password_fingerprint"]
