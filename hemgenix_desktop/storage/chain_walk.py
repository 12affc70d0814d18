"""The walk that verifies the audit trail's hash chain, a chunk of events at a time (issue 13: a million events).

Per event the work is fixed: its time as ISO text, its canonical content (``storage.audit.content_bytes``), SHA-256
of that, and the comparisons with the stored hash, the next event's link and the numbering. Done one event at a time
in Python the loop itself cost more than the hashing; here each chunk (``trail_reader.CHUNK`` events, as the driver
fetched them) is turned into columns and every step runs over a whole column through ``map`` and list comparisons,
which loop in C; the times' ISO texts are rewritten a chunk at a time (``trail_reader.iso_column_reader``). Nothing
of the result depends on the chunking: when a chunk holds anything unusual (a number out of order, a time that
cannot be read, a hash or a link that does not match, text that cannot be written), that chunk is walked again one
event at a time (``_walk_events``), which finds the first break and words it exactly as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial
from operator import methodcaller
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.storage.audit import GENESIS_HASH, ChainVerification, content_bytes
from hemgenix_desktop.storage.trail_reader import EventRow
from hemgenix_desktop.storage.writer import when

if TYPE_CHECKING:
    from hemgenix_desktop.storage.state_check import StateReplay

_hexdigest = methodcaller("hexdigest")


def walk_chain(
    chunks: Iterator[list[EventRow]],
    read_iso: Callable[[Any], str],
    replay: StateReplay | None,
    read_isos: Callable[[Sequence[Any]], list[str]] | None = None,
) -> tuple[ChainVerification | None, int, str]:
    """Check the events in order, each verified one also given to ``replay`` with its time's ISO text; returns (the
    first break or None, events checked, the last good hash). ``read_isos``: ``read_iso`` of a whole chunk's times at
    once (``trail_reader.iso_column_reader``: the same texts, or the same refusal)."""
    expected_prev = GENESIS_HASH
    checked = 0
    sha256 = hashlib.sha256
    if read_isos is None:
        read_isos = partial(_each, read_iso)
    try:
        for chunk in chunks:
            n = len(chunk)
            try:
                (
                    seqs, ats, usernames, full_names, workstations, actions, prep_ids, summaries, befores, afters,
                    prevs, versions, digests,
                ) = zip(*chunk, strict=True)  # fmt: skip
                isos = read_isos(ats)
                contents = map(
                    content_bytes, actions, afters, isos, befores, full_names, prep_ids, prevs, seqs, versions,
                    summaries, usernames, workstations,
                )  # fmt: skip
                sound = (
                    seqs == tuple(range(checked + 1, checked + 1 + n))
                    and list(map(_hexdigest, map(sha256, contents))) == list(digests)
                    and prevs[0] == expected_prev
                    and prevs[1:] == digests[:-1]
                )
            except (TypeError, ValueError):  # a value that cannot be read or written: found event by event below
                sound = False
            if not sound:
                broken, checked, expected_prev = _walk_events(chunk, checked, expected_prev, read_iso, replay)
                if broken is not None:
                    return broken, checked, expected_prev
                continue
            if replay is not None:
                replay.feed_chunk(chunk, isos, actions, afters)
            expected_prev = digests[-1]
            checked += n
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return None, checked, expected_prev


def _each(read_iso: Callable[[Any], str], values: Sequence[Any]) -> list[str]:
    return list(map(read_iso, values))


def _walk_events(
    events: Iterable[EventRow], checked: int, expected_prev: str, read_iso: Callable[[Any], str], replay: Any
) -> tuple[ChainVerification | None, int, str]:
    """One chunk, one event at a time: (the first break or None, events checked, the last good hash)."""
    sha256 = hashlib.sha256
    for event in events:
        (
            seq, at_value, username, full_name, workstation, action, prep_id, summary, before, after, prev, version,
            digest,
        ) = event  # fmt: skip
        expected_seq = checked + 1
        if seq != expected_seq:
            missing = (
                f"event {expected_seq} is missing (the trail jumps from event {expected_seq - 1} to "
                f"event {seq}), so it was deleted"
            )
            return broken_at(expected_seq, checked, missing), checked, expected_prev
        at = read_iso(at_value)
        content = content_bytes(
            action, after, at, before, full_name, prep_id, prev, seq, version, summary, username, workstation
        )
        if sha256(content).hexdigest() != digest:
            reason = (
                f"event {seq} ({action} by {username} on {when(datetime.fromisoformat(at))}) was changed after it "
                "was written: its content no longer matches its hash"
            )
            return broken_at(seq, checked, reason), checked, expected_prev
        if prev != expected_prev:
            reason = (
                f"event {seq - 1} was changed or replaced after it was written: event {seq} recorded a different "
                "hash for it"
            )
            return broken_at(seq - 1, checked, reason), checked, expected_prev
        if replay is not None:
            replay.feed(event, at)
        expected_prev = digest
        checked += 1
    return None, checked, expected_prev


def broken_at(seq: int, checked: int, reason: str) -> ChainVerification:
    return ChainVerification(
        False,
        checked,
        seq,
        f"The audit trail is broken at event {seq}: {reason}. Keep this database as it is and report it to "
        "the pharmacist in charge.",
    )


__all__ = ["broken_at", "walk_chain"]
