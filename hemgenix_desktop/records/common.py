"""What the record and the label share: time formats, the reprint marking, text escaping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from xml.sax.saxutils import escape

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.security.record_view import Stamp

PRACTICE_MARK = "PRACTICE — NOT FOR PATIENT USE"


class LabelWithheld(DomainError):  # noqa: N818 - reads as the user sees it
    """A label or a record PDF was asked for something that is not a sealed record."""


@dataclass(frozen=True)
class Reprint:
    """A reprint of a sealed record (from History): marked "COPY — reprinted <when> by <who>" on every page."""

    at: datetime  # aware
    by: str  # printed name of the person reprinting
    tz: tzinfo | None = None  # the zone to show ``at`` in; None = this computer's

    def marking(self) -> str:
        local = self.at.astimezone(self.tz) if self.tz is not None else self.at.astimezone()
        zone = local.tzname() or local.strftime("UTC%z")
        return f"COPY — reprinted {local:%Y-%m-%d %H:%M} {zone} by {self.by}"


AUDIT_LABEL = "Audit trail:"


@dataclass(frozen=True)
class AuditAnchor:
    """Where a sealed record sits in its database's audit chain: the event that closed its sealing (number, hash,
    time: the chain's head when the sealing committed, which the checkpoint written right after the seal names) and
    the database. Printed on every page of the record and on the label.

    The record's own JSON cannot hold it (the trail holds the JSON, so the JSON cannot hold the trail's hash after
    it): the line is in the PDF's pages, which the site's signature covers (docs/security.md, "The checkpoint line")."""

    seq: int
    hash: str
    at: datetime
    database_id: str | None

    def text(self) -> str:
        """The record's line: ``Audit trail: sealed at event 1234 · hash 3f2a9c1e7b0d12aa · 2026-12-07 10:41 UTC ·
        database 5f3c9a1e2b3c4d5e`` (16 digits of the hash and of the database ID)."""
        return (
            f"{AUDIT_LABEL} sealed at event {self.seq} · hash {self.hash[:16]} · "
            f"{self.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC · database {(self.database_id or 'not named')[:16]}"
        )

    def short(self) -> str:
        """The label's line, one line even on a 3-inch label: ``Audit event 1234 · 3f2a9c1e7b0d12aa · db 5f3c9a1e``
        (the event, 16 digits of its hash, 8 of the database ID)."""
        return f"Audit event {self.seq} · {self.hash[:16]} · db {(self.database_id or 'not named')[:8]}"


def local_text(stamp: Stamp, seconds: bool = False) -> str:
    """``2026-12-01 03:30 CST`` from a record time stamp (utc, local, zone)."""
    return f"{stamp.local:%Y-%m-%d %H:%M{':%S' if seconds else ''}} {stamp.zone}"


def utc_text(stamp: Stamp, seconds: bool = False) -> str:
    return f"{stamp.utc:%Y-%m-%d %H:%M{':%S' if seconds else ''}} UTC"


def offset_text(stamp: Stamp) -> str:
    """``UTC-06:00``: the local time's offset from UTC."""
    offset = stamp.local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


def one_time(stamp: Stamp, seconds: bool = False) -> str:
    """A time printed once (issue 21): local with its zone, and the offset when the zone's name is not UTC itself:
    ``2026-12-01 03:30 CST (UTC-06:00)``, ``2026-12-01 09:30 UTC``."""
    offset = offset_text(stamp)
    text = local_text(stamp, seconds)
    return text if stamp.zone in ("UTC", offset) else f"{text} ({offset})"


def both_text(stamp: Stamp, seconds: bool = False) -> str:
    """Local time with its zone, then UTC: ``2026-12-01 03:30 CST (2026-12-01 09:30 UTC)``."""
    return f"{local_text(stamp, seconds)} ({utc_text(stamp, seconds)})"


def esc(text: object) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little XML)."""
    return escape(str(text))


_POWER = re.compile(r"×10\^(-?[0-9]+)")


def gc_markup(text: str) -> str:
    """Text with every ``×10^15`` as Paragraph markup with a true superscript."""
    return _POWER.sub(r"×10<super>\1</super>", esc(text))


def grouped_hex(hex_text: str, size: int = 8) -> str:
    """A long hash in groups a person can compare by eye: ``3f9a1c2b 0d4e…``."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))
