"""The test oracle of ``audit verify``: the verifier as it was before issue 13 made it fast (SQLAlchemy rows, the
content as ``canonical_json`` of the event's dict, every replayed value kept in memory). The program's verifier must
give the same result and the same sentences on every database (tests/storage/test_verify_oracle.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, inspect, select

from hemgenix_desktop.domain.vocabulary import AuditAction as A
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.audit import GENESIS_HASH, ChainVerification, canonical_json, event_hash
from hemgenix_desktop.storage.schema import (
    amendments,
    approvals,
    audit_events,
    audit_head,
    preparations,
    signatures,
    users,
)
from hemgenix_desktop.storage.state_check import password_fingerprint
from hemgenix_desktop.storage.values import short_id
from hemgenix_desktop.storage.writer import when


def oracle_verify(store: Store) -> tuple[ChainVerification, list[str]]:
    """What ``verify_trail_and_state`` said before: the chain, and (the chain intact) the findings."""
    replay = StateReplay()
    with store.reading(snapshot=True) as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one_or_none()
        result = conn.execution_options(yield_per=500).execute(select(audit_events).order_by(audit_events.c.seq))
        try:
            broken, checked, expected_prev = _walk_chain(result, replay.feed)
        finally:
            result.close()
        verification = _end_of_chain(head, broken, checked, expected_prev)
        findings = replay.findings(conn) if verification.intact else []
    return verification, findings


def oracle_content(
    *,
    seq: Any,
    at: datetime,
    username: Any,
    full_name: Any,
    workstation: Any,
    action: Any,
    preparation_id: Any,
    summary: Any,
    before: Any,
    after: Any,
    prev_hash: Any,
    software_version: Any = None,
) -> str:
    """The canonical content as it was defined: ``canonical_json`` of the event's dict."""
    content: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(),
        "username": username,
        "full_name": full_name,
        "workstation": workstation,
        "action": action,
        "preparation_id": preparation_id,
        "summary": summary,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    if software_version is not None:
        content["software_version"] = software_version
    return canonical_json(content)


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
_PASSWORD_STATE = ("must_change_password", "password_history_sha256", "password_changed_at", "failed_attempts",
                   "locked_until")  # fmt: skip
_LOCKOUT = ("failed_attempts", "locked_until")
_SUBJECT = re.compile(r"\(([^()\s]+)\)")
_KEYS = ("patient_identifier", "carton_gtin", "carton_serial")
_PATIENT = ("patient_name", "patient_date_of_birth", "patient_mrn")
_SIGNATURE = ("preparation_id", "amendment", "meaning", "username", "content_sha256", "subject")
_SIGNER = (
    ("full_name", "printed_name"), ("role", "role"), ("signed_at", "signed_at_utc"), ("local_time", "signed_at_local"),
    ("time_zone", "zone"), ("workstation", "workstation"), ("reason", "reason"),
)  # fmt: skip
_APPROVER = (
    ("meaning", "approval_meaning"), ("reason", "approval_reason"), ("employee_number", "approver_employee_number"),
    ("role", "approver_role"), ("full_name", "approver_full_name"),
)  # fmt: skip


@dataclass
class _Seen:
    """A value the trail set, and the event that set it (named only when a finding needs it)."""

    value: Any
    source: tuple[int, str, str, datetime]

    @property
    def event(self) -> str:
        seq, action, username, at = self.source
        return f"event {seq} ({action} by {username} on {when(at)})"


@dataclass
class StateReplay:
    """Fed every event in order (``feed``), then asked for its findings against the tables (``findings``)."""

    users: dict[str, dict[str, _Seen]] = field(default_factory=dict)
    statuses: dict[str, _Seen] = field(default_factory=dict)
    sealed_keys: dict[str, _Seen] = field(default_factory=dict)
    signed: list[_Seen] = field(default_factory=list)  # each signature_added event's values, in the trail's order
    amended: dict[tuple[str, int], _Seen] = field(default_factory=dict)
    drafting: dict[str, int] = field(default_factory=dict)
    approved: dict[int, _Seen] = field(default_factory=dict)  # event number → ((approver, hash, action), columns)
    times: list[str] = field(default_factory=list)
    _last: Row[Any] | None = None
    _floor: datetime | None = None  # the newest time so far, less the tolerance

    def feed(self, row: Row[Any]) -> None:
        at = row.at
        if self._floor is not None and at < self._floor:
            if len(self.times) < MAX_FINDINGS and self._last is not None:
                name = _name(row)
                self.times.append(
                    f"{name[:1].upper()}{name[1:]} is dated {_span(self._last.at - at)} before {_name(self._last)}, "
                    f"beyond the {_span(TIME_TOLERANCE)} the workstations' clocks may differ: the trail's times "
                    "were changed, or a workstation's clock is wrong."
                )
        elif self._last is None or at > self._last.at:
            self._last, self._floor = row, at - TIME_TOLERANCE
        handler = _HANDLERS.get(row.action)
        if handler is not None:
            handler(self, row)
        if '"approver_role":' in row.after:  # an approval named since 0009: its signature row must be there
            after = json.loads(row.after)
            if "approver_role" in after:
                columns = [(column, after[key]) for column, key in _APPROVER if key in after]
                columns += [("signed_at", row.at), ("workstation", row.workstation)]
                self.approved[row.seq] = _Seen(
                    ((after.get("approved_by"), row.hash, row.action), columns), _source(row)
                )

    def _status(self, row: Row[Any]) -> None:
        before = self.statuses.get(row.preparation_id)
        if before is not None and before.value == "sealed":  # the program never writes this: a forged event
            self.times.append(
                f"{_name(row)[:1].upper()}{_name(row)[1:]} changes preparation {short_id(row.preparation_id)}, which "
                f"{before.event} sealed; a sealed preparation never changes, so the event was written outside "
                "Hemgenix Prep."
            )
            return
        self.statuses[row.preparation_id] = _Seen(_STATUS_OF[row.action], _source(row))

    def _signature(self, row: Row[Any]) -> None:
        self.signed.append(_Seen(_signature_key(row.preparation_id, json.loads(row.after)), _source(row)))

    def _record(self, row: Row[Any]) -> None:
        after = json.loads(row.after)
        if "patient_identifier" in after and not after.get("amendment"):
            keys = _KEYS + _PATIENT if "patient_name" in after else _KEYS
            self.sealed_keys[row.preparation_id] = _Seen({k: after.get(k) for k in keys}, _source(row))

    def _amendment(self, row: Row[Any]) -> None:
        name = _source(row)
        after = json.loads(row.after)
        if row.action == A.AMENDMENT_STARTED.value:
            number = int(after["number"])
            self.drafting[row.preparation_id] = number
            self.amended[(row.preparation_id, number)] = _Seen(("draft", None), name)
            return
        number_or_none = self.drafting.pop(row.preparation_id, None)
        if number_or_none is not None:
            status = "sealed" if row.action == A.AMENDMENT_SEALED.value else "voided"
            self.amended[(row.preparation_id, number_or_none)] = _Seen((status, after.get("record_id")), name)

    def _user(self, row: Row[Any]) -> None:
        name = _source(row)
        after = json.loads(row.after)
        subject = after.get("username")
        if row.action == A.SIGN_IN_FAILED.value:
            if after.get("known_user") is not True:  # an unknown username (or an event before it said)
                return
            subject = row.username
        if subject is None and row.action not in (A.SIGN_IN.value, A.SIGN_IN_FAILED.value):
            named = _SUBJECT.findall(row.summary)  # "… the account Full Name (username)…": the last one named
            subject = named[-1] if named else None
        if subject is None and row.action == A.SIGN_IN.value:
            subject = row.username  # who signed in is the event's own user
        if subject is None:
            return
        state = self.users.setdefault(subject, {})
        if "password_checked_sha256" in after and "password_sha256" in state:
            said = state["password_sha256"]
            if said.value != after["password_checked_sha256"]:
                self.times.append(
                    f"{_name(row)[:1].upper()}{_name(row)[1:]} checked the password of the account {subject} against "
                    f"a password hash that is not the one the audit trail last set for it ({said.event}): the hash "
                    f"was replaced outside Hemgenix Prep, so whoever signed in as {subject} may have used another "
                    "person's password."
                )
        for key in _USER_FIELDS:
            if key in after:
                state[key] = _Seen(after[key], name)
        if row.action in _SETS_PASSWORD:
            changed: tuple[str, ...] = _PASSWORD_STATE
        elif row.action in (A.SIGN_IN.value, A.SIGN_IN_FAILED.value):
            changed = _LOCKOUT
        else:
            changed = ()
        for key in changed:
            if key in after:
                state[key] = _Seen(after[key], name)
            else:
                state.pop(key, None)  # an event written before it named this: not checked
        if "password_sha256" in after:
            state["password_sha256"] = _Seen(after["password_sha256"], name)
            if row.action in _SETS_PASSWORD:  # the time the password changed is the event's own
                state["password_changed_at"] = _Seen(row.at, name)
        elif row.action in _SETS_PASSWORD:
            state.pop("password_sha256", None)  # an older event: the hash it set is not named, so not checked

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
        return found

    def _approval_findings(self, conn: Connection) -> list[str]:
        found: list[str] = []
        left = dict(self.approved)
        for row in conn.execute(select(approvals).order_by(approvals.c.id)):
            expected = left.pop(row.event_seq, None)
            if expected is None or expected.value[0] != (row.username, row.event_hash, row.action):
                found.append(
                    f"Approval signature {row.id} (“{row.meaning}”, {row.username}, of event {row.event_seq}) does not "
                    "match an approval the audit trail names: it was added or changed outside Hemgenix Prep."
                )
                continue
            for column, said in expected.value[1]:
                if getattr(row, column) != said:
                    found.append(
                        f"Approval signature {row.id} (“{row.meaning}”, {row.username}) has {column} "
                        f"“{_shown(getattr(row, column))}”, but the event it approves says “{_shown(said)}” "
                        f"({expected.event}): it was changed outside Hemgenix Prep."
                    )
        found.extend(
            f"The approval by {seen.value[0][0]} of {seen.event} is missing from the approvals table: it was deleted "
            "outside Hemgenix Prep."
            for seen in left.values()
        )
        return found

    def _user_findings(self, conn: Connection) -> list[str]:
        columns = {c["name"] for c in inspect(conn).get_columns("users")}
        found: list[str] = []
        seen: set[str] = set()
        for row in conn.execute(select(users)):
            seen.add(row.username)
            state = self.users.get(row.username)
            if state is None:
                found.append(
                    f"The account {row.username} ({row.role}) is in the users table, but no event of the audit trail "
                    "added it: it was added outside Hemgenix Prep."
                )
                continue
            for key, seen_value in state.items():
                if key in ("password_sha256", "password_history_sha256"):
                    column = key.removesuffix("_sha256")
                    stored = row.password_hash if column == "password" else row.password_history
                    if password_fingerprint(stored) != seen_value.value:
                        what = "password hash" if column == "password" else "password history"
                        found.append(
                            f"The {what} of the account {row.username} is not the one the audit trail last "
                            f"set ({seen_value.event}): it was replaced outside Hemgenix Prep."
                        )
                    continue
                if key not in columns:
                    continue
                value, said = getattr(row, key), seen_value.value
                if key in ("active", "must_change_password"):
                    value = bool(value)
                if key in ("password_changed_at", "locked_until"):
                    value, said = _sqlite_time(value), _sqlite_time(said)
                if value != said:
                    found.append(
                        f"The account {row.username} has {key} “{_shown(value)}”, but the audit trail says "
                        f"“{_shown(said)}” ({seen_value.event}): it was changed outside Hemgenix Prep."
                    )
        found.extend(
            f"The account {username} of the audit trail is missing from the users table: it was deleted outside "
            "Hemgenix Prep."
            for username in sorted(self.users.keys() - seen)
        )
        return found

    def _preparation_findings(self, conn: Connection) -> list[str]:
        found: list[str] = []
        seen: set[str] = set()
        query = select(preparations.c.id, preparations.c.status, *(preparations.c[k] for k in _KEYS + _PATIENT))
        for row in conn.execute(query):
            seen.add(row.id)
            status = self.statuses.get(row.id)
            if status is None:
                found.append(
                    f"Preparation {short_id(row.id)} ({row.status}) has no event in the audit trail: its row was "
                    "added outside Hemgenix Prep."
                )
            elif status.value != row.status:
                found.append(
                    f"Preparation {short_id(row.id)} is {row.status} in its row, but the audit trail says "
                    f"{status.value} ({status.event}): the row was changed outside Hemgenix Prep."
                )
            kept = self.sealed_keys.get(row.id)
            if kept is not None:
                keys, event = kept.value, kept.event
                for key in keys:
                    value = getattr(row, key)
                    value = value.isoformat() if isinstance(value, date) else value
                    if value != keys[key]:
                        found.append(
                            f"Preparation {short_id(row.id)} has {key} “{_shown(value)}” in its row, but "
                            f"its sealed record says “{_shown(keys[key])}” ({event}): the row was changed after "
                            "sealing."
                        )
        found.extend(
            f"Preparation {short_id(prep_id)} of the audit trail ({status.event}) is missing from the preparations "
            "table: it was deleted outside Hemgenix Prep."
            for prep_id, status in self.statuses.items()
            if prep_id not in seen
        )
        return found

    def _signature_findings(self, conn: Connection) -> list[str]:
        """Rows matching an event in every column first; a row left over is compared with the first event left over
        of the same signature (preparation, amendment, meaning, signer, content, subject), column by column."""
        found: list[str] = []
        left = list(self.signed)
        over = []
        for row in conn.execute(select(signatures).order_by(signatures.c.id)):
            key = tuple(getattr(row, column) for column in _SIGNATURE + tuple(c for c, _ in _SIGNER))
            same = next((seen for seen in left if seen.value == key), None)
            if same is None:
                over.append((row, key))
            else:
                left.remove(same)
        for row, key in over:
            what = (
                f"Signature row {row.id} (“{row.meaning}”, {row.username}, on preparation "
                f"{short_id(row.preparation_id)}{_of_amendment(row.amendment)})"
            )
            said = next((seen for seen in left if seen.value[:6] == key[:6]), None)
            if said is None:
                found.append(
                    f"{what} has no signature_added event in the audit trail: it was added or changed outside "
                    "Hemgenix Prep."
                )
                continue
            left.remove(said)
            for (column, _), value, said_value in zip(_SIGNER, key[6:], said.value[6:], strict=True):
                if value != said_value:
                    found.append(
                        f"{what} has {column} “{_shown(value)}”, but its signature_added event says "
                        f"“{_shown(said_value)}” ({said.event}): it was changed outside Hemgenix Prep."
                    )
        firsts: dict[tuple[Any, ...], list[_Seen]] = {}  # grouped by signature, each first named first
        for seen in left:
            firsts.setdefault(seen.value[:6], []).append(seen)
        found.extend(
            f"The signature “{seen.value[2]}” of {seen.value[3]} on preparation {short_id(seen.value[0])}"
            f"{_of_amendment(seen.value[1])} ({seen.event}) is missing from the signatures table: it was deleted or "
            "changed outside Hemgenix Prep."
            for group in firsts.values()
            for seen in group
        )
        return found

    def _amendment_findings(self, conn: Connection) -> list[str]:
        found: list[str] = []
        seen: set[tuple[str, int]] = set()
        for row in conn.execute(select(amendments)):
            key = (row.preparation_id, row.number)
            seen.add(key)
            state = self.amended.get(key)
            what = f"Amendment {row.number} of preparation {short_id(row.preparation_id)}"
            if state is None:
                found.append(f"{what} has no event in the audit trail: it was added outside Hemgenix Prep.")
                continue
            status, record_id = state.value
            if row.status != status or (status == "sealed" and row.record_id != record_id):
                found.append(
                    f"{what} is {row.status} (record {row.record_id}) in its row, but the audit trail says {status}"
                    f" (record {record_id}) ({state.event}): the row was changed outside Hemgenix Prep."
                )
        found.extend(
            f"Amendment {number} of preparation {short_id(prep_id)} of the audit trail ({state.event}) is missing "
            "from the amendments table: it was deleted outside Hemgenix Prep."
            for (prep_id, number), state in self.amended.items()
            if (prep_id, number) not in seen
        )
        return found


_HANDLERS: dict[str, Callable[[StateReplay, Row[Any]], None]] = {
    **dict.fromkeys(_STATUS_OF, StateReplay._status),
    A.SIGNATURE_ADDED.value: StateReplay._signature,
    A.RECORD_SEALED.value: StateReplay._record,
    **dict.fromkeys(_AMENDMENT_ACTIONS, StateReplay._amendment),
    **dict.fromkeys(_USER_ACTIONS, StateReplay._user),
}


def _sqlite_time(value: Any) -> Any:
    """A time (an aware datetime, or ISO text) as SQLite keeps it: UTC without its zone, to the microsecond."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return value
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def _source(row: Row[Any]) -> tuple[int, str, str, datetime]:
    return (row.seq, row.action, row.username, row.at)


def _name(row: Row[Any]) -> str:
    return _Seen(None, _source(row)).event


def _signature_key(prep_id: str, after: dict[str, Any]) -> tuple[Any, ...]:
    return (
        prep_id,
        int(after.get("amendment", 0)),
        after.get("meaning"),
        after.get("username"),
        after.get("content_sha256"),
        after.get("subject", ""),
        *(_utc(after.get(key)) if key == "signed_at_utc" else after.get(key) for _, key in _SIGNER),
    )


def _utc(text: Any) -> Any:
    """A signature's ISO time as SQLAlchemy reads the row's: aware, in UTC (without a zone: taken as UTC)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _of_amendment(number: int) -> str:
    return f", amendment {number}" if number else ""


def _shown(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


def _end_of_chain(
    head: Row[Any] | None, broken: ChainVerification | None, checked: int, expected_prev: str
) -> ChainVerification:
    if broken is not None:
        return broken
    last_seq = checked
    if head is None:
        return _broken(last_seq + 1, checked, "the trail's head record is missing, so the end cannot be checked")
    if head.last_seq > last_seq:
        missing = (
            f"event {last_seq + 1} at the end of the trail is missing, so it was deleted"
            if head.last_seq == last_seq + 1
            else f"events {last_seq + 1} to {head.last_seq} at the end of the trail are missing, so they were deleted"
        )
        return _broken(last_seq + 1, checked, missing)
    if head.last_seq < last_seq or head.last_hash != expected_prev:
        return _broken(
            head.last_seq + 1 if head.last_seq < last_seq else last_seq,
            checked,
            "the last events do not match the trail's head record, so they were added or changed outside Hemgenix Prep",
        )
    noun = "event" if checked == 1 else "events"
    return ChainVerification(True, checked, None, f"The audit trail is intact: {checked} {noun} checked.")


def _walk_chain(
    rows: Iterable[Row[Any]], feed: Callable[[Row[Any]], None] | None = None
) -> tuple[ChainVerification | None, int, str]:
    """Check events in order, each also given to ``feed``; returns (the first break or None, events checked, the
    last good hash)."""
    expected_prev = GENESIS_HASH
    checked = 0
    for row in rows:
        if feed is not None:
            feed(row)
        expected_seq = checked + 1
        if row.seq != expected_seq:
            return (
                _broken(
                    expected_seq,
                    checked,
                    f"event {expected_seq} is missing (the trail jumps from event {expected_seq - 1} to "
                    f"event {row.seq}), so it was deleted",
                ),
                checked,
                expected_prev,
            )
        content = oracle_content(
            seq=row.seq,
            at=row.at,
            username=row.username,
            full_name=row.full_name,
            workstation=row.workstation,
            action=row.action,
            preparation_id=row.preparation_id,
            summary=row.summary,
            before=row.before,
            after=row.after,
            prev_hash=row.prev_hash,
            software_version=row.software_version,
        )
        if event_hash(content) != row.hash:
            reason = (
                f"event {row.seq} ({_describe(row)}) was changed after it was written: "
                "its content no longer matches its hash"
            )
            return _broken(row.seq, checked, reason), checked, expected_prev
        if row.prev_hash != expected_prev:
            reason = (
                f"event {row.seq - 1} was changed or replaced after it was written: event {row.seq} "
                "recorded a different hash for it"
            )
            return _broken(row.seq - 1, checked, reason), checked, expected_prev
        expected_prev = row.hash
        checked += 1
    return None, checked, expected_prev


def _describe(row: Row[Any]) -> str:
    return f"{row.action} by {row.username} on {when(row.at)}"


def _broken(seq: int, checked: int, reason: str) -> ChainVerification:
    return ChainVerification(
        False,
        checked,
        seq,
        f"The audit trail is broken at event {seq}: {reason}. Keep this database as it is and report it to "
        "the pharmacist in charge.",
    )
