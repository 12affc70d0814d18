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
    """The canonical text an event's hash is taken of (``before``/``after`` as their stored JSON text)."""
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
    if software_version is not None:  # events written before the column existed are hashed as they were
        content["software_version"] = software_version
    return canonical_json(content)


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
