"""The audit trail's hash chain: canonical content, hashes, and the before/after of a change.

Each event's hash is the SHA-256 of its canonical content, which includes the previous event's hash, so
changing, removing or reordering any event breaks every hash after it. The canonical content is JSON
with sorted keys and no spaces: the same event always gives the same bytes, on any database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class AuditEvent:
    """One event of the audit trail, as stored. ``before``/``after`` hold only the values that changed
    (flattened paths such as ``order.patient.full_name``)."""

    seq: int
    at: datetime  # UTC
    username: str
    full_name: str
    workstation: str
    action: str
    preparation_id: str | None
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]
    prev_hash: str
    hash: str
    software_version: str | None = None  # "Hemgenix Prep" version that wrote the event (None: before 0.1.0's 0003)


def event_content(
    *,
    seq: int,
    at: datetime,
    username: str,
    full_name: str,
    workstation: str,
    action: str,
    preparation_id: str | None,
    summary: str,
    before: str,
    after: str,
    prev_hash: str,
    software_version: str | None = None,
) -> str:
    """The canonical text an event's hash is taken of (``before``/``after`` as their stored JSON text): the JSON
    object of these fields with sorted keys (``software_version`` left out when None, as events written before the
    column existed were hashed), ``at`` as its ISO 8601 text."""
    return content_text(
        action, after, at.isoformat(), before, full_name, preparation_id, prev_hash, seq, software_version, summary,
        username, workstation,
    )  # fmt: skip


# The content's keys in sorted order ("action" first, "workstation" last), and the JSON object as a template with
# one slot per value: one template for each of a preparation's ID or none, a software version or none (None: the key
# left out, as events written before the column existed were hashed).
_KEYS = sorted(
    ("seq", "at", "username", "full_name", "workstation", "action", "preparation_id", "summary", "before", "after",
     "prev_hash", "software_version")
)  # fmt: skip


def _template(no_prep: bool, no_version: bool) -> str:
    """Every text value's slot takes its escaped text; the first and the last values' pieces (below) bring their
    opening and closing quote with them."""
    slots = []
    for key in _KEYS:
        if key == "software_version" and no_version:
            continue
        if key == "preparation_id" and no_prep:
            slots.append('"preparation_id":null')
        elif key == "seq":
            slots.append('"seq":%s')
        else:
            slots.append(f'"{key}":{"" if key == _KEYS[0] else chr(34)}%s{"" if key == _KEYS[-1] else chr(34)}')
    return "{" + ",".join(slots) + "}"


_TEMPLATES = {
    (no_prep, no_version): _template(no_prep, no_version) for no_prep in (False, True) for no_version in (False, True)
}
# Every text value is escaped in one call of the json module's own C escaping (what json.dumps uses with
# ensure_ascii=False), joined by a NUL character and split again at its escaped form: the pieces are each value's
# escaping (the first with the opening quote, the last with the closing one), as escaping maps each character on its
# own; unless a value's escaping also holds the separator's (a NUL, or a backslash before "u0000"): then there are
# more pieces than values, and each value is escaped alone.
_SEPARATOR = "\x00"
_ESCAPED_SEPARATOR = "\\u0000"
_quote = json.encoder.encode_basestring


def content_text(
    action: str,
    after: str,
    at_iso: str,
    before: str,
    full_name: str,
    preparation_id: str | None,
    prev_hash: str,
    seq: int,
    software_version: str | None,
    summary: str,
    username: str,
    workstation: str,
) -> str:
    """``event_content`` with the fields in sorted key order and the time as its ISO text (what ``content_bytes``,
    which ``audit verify`` calls once per event, falls back to); the same bytes as ``canonical_json`` of the event's
    dict (tests/storage/test_verify_oracle.py proves it). A value of another type than the columns hold (a row changed behind the
    program's back) is written by ``canonical_json`` itself."""
    try:
        if type(seq) is not int:  # a bool or float prints differently in JSON
            raise TypeError(seq)
        number = str(seq)
        if preparation_id is None:
            values: tuple[str, ...] = (action, after, at_iso, before, full_name, prev_hash, number)
        else:
            values = (action, after, at_iso, before, full_name, preparation_id, prev_hash, number)
        if software_version is None:
            values = (*values, summary, username, workstation)
        else:
            values = (*values, software_version, summary, username, workstation)
        pieces = _quote(_SEPARATOR.join(values)).split(_ESCAPED_SEPARATOR)
        if len(pieces) != len(values):
            pieces = [_quote(value) for value in values]
            pieces = [pieces[0][:-1], *(piece[1:-1] for piece in pieces[1:-1]), pieces[-1][1:]]
        return _TEMPLATES[preparation_id is None, software_version is None] % tuple(pieces)
    except TypeError:
        content: dict[str, Any] = {
            "action": action, "after": after, "at": at_iso, "before": before, "full_name": full_name,
            "preparation_id": preparation_id, "prev_hash": prev_hash, "seq": seq, "summary": summary,
            "username": username, "workstation": workstation,
        }  # fmt: skip
        if software_version is not None:
            content["software_version"] = software_version
        return canonical_json(content)


def content_bytes(
    action: str,
    after: str,
    at_iso: str,
    before: str,
    full_name: str,
    preparation_id: str | None,
    prev_hash: str,
    seq: int,
    software_version: str | None,
    summary: str,
    username: str,
    workstation: str,
) -> bytes:
    """``content_text`` in UTF-8, the bytes an event's hash is of: what ``audit verify`` builds once per event. When
    every value is of the type its column holds (text; ``seq`` an int; no preparation or version: None), orjson
    writes the JSON in C, the keys in the order given (sorted); it escapes every character as the json module does
    with ``ensure_ascii=False`` (tests/storage/test_verify_oracle.py checks each code point). Anything else, or text
    orjson refuses (a lone surrogate), is ``content_text``'s."""
    str_ = str
    if (
        type(seq) is int
        and type(action) is str_
        and type(after) is str_
        and type(at_iso) is str_
        and type(before) is str_
        and type(full_name) is str_
        and type(prev_hash) is str_
        and type(summary) is str_
        and type(username) is str_
        and type(workstation) is str_
        and (preparation_id is None or type(preparation_id) is str_)
    ):
        try:
            if software_version is None:
                fields = {
                    "action": action, "after": after, "at": at_iso, "before": before, "full_name": full_name,
                    "preparation_id": preparation_id, "prev_hash": prev_hash, "seq": seq, "summary": summary,
                    "username": username, "workstation": workstation,
                }  # fmt: skip
                return _dumps(fields)
            if type(software_version) is str_:
                fields = {
                    "action": action, "after": after, "at": at_iso, "before": before, "full_name": full_name,
                    "preparation_id": preparation_id, "prev_hash": prev_hash, "seq": seq,
                    "software_version": software_version, "summary": summary, "username": username,
                    "workstation": workstation,
                }  # fmt: skip
                return _dumps(fields)
        except orjson.JSONEncodeError:  # a lone surrogate, or a number beyond 64 bits
            pass
    return content_text(
        action, after, at_iso, before, full_name, preparation_id, prev_hash, seq, software_version, summary, username,
        workstation,
    ).encode("utf-8")  # fmt: skip


_dumps = orjson.dumps


def event_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as one level of ``a.b.0.c`` paths; empty containers are kept as values."""
    flat: dict[str, Any] = {}
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix] = value
    return flat


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values that differ between two states, as (before, after) dicts of flattened paths.
    A path missing on one side is absent from that side's dict."""
    old = flatten(dict(before)) if before else {}
    new = flatten(dict(after)) if after else {}
    old.pop("", None)
    new.pop("", None)
    changed = sorted(k for k in old.keys() | new.keys() if _comparable(old, k) != _comparable(new, k))
    return (
        {k: old[k] for k in changed if k in old},
        {k: new[k] for k in changed if k in new},
    )


def _comparable(flat: Mapping[str, Any], key: str) -> str | None:
    # Compared as canonical JSON so that 1 and true, or 1 and 1.0, count as different values.
    return canonical_json(flat[key]) if key in flat else None


@dataclass(frozen=True)
class ChainVerification:
    """What ``verify_audit_chain`` found. ``first_broken`` is the number of the first event that fails
    (or the number of the missing event); ``message`` says it in a sentence."""

    intact: bool
    checked: int
    first_broken: int | None
    message: str
