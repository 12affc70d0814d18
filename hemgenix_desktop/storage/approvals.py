"""A second pharmacist's approval ("Approved by", the two-person rule), kept as an electronic signature.

:class:`Approval` is what ``services.administration`` hands down with a change: the approving account (signed in
with their own password) and the reason. The change's repository writes its audit event with the approval's
details, then :func:`record_approval` adds the signature row in the same transaction: printed name, username,
employee number, role, meaning, UTC time, workstation, reason, and what it approved (the event's number, action
and hash; the hash covers the change's content). The rows are never updated or deleted (triggers of 0009), and
``audit verify`` compares them with the events that name an approval (``state_check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import insert, select

from hemgenix_desktop.storage.schema import approvals

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy import Connection

    from hemgenix_desktop.domain.vocabulary import Role
    from hemgenix_desktop.storage.audit import AuditEvent
    from hemgenix_desktop.storage.writer import Writer

APPROVED_BY = "Approved by"


class Approver(Protocol):
    """The approving account (``storage.users.User``), as far as an approval reads it."""

    @property
    def username(self) -> str: ...

    @property
    def full_name(self) -> str: ...

    @property
    def employee_number(self) -> str | None: ...

    @property
    def role(self) -> Role: ...


@dataclass(frozen=True)
class Approval:
    """A second pharmacist's approval of a change (signature meaning "Approved by"), and the reason when one was
    asked for. ``first_number``: the database's very first employee number, approved by a pharmacist who had none
    yet (no active pharmacist had one: accounts made before revision 0008), said so in the trail."""

    approver: Approver
    reason: str = ""
    first_number: bool = False

    def summary(self) -> str:
        text = f" Approved by {self.approver.full_name} ({self.approver.username})"
        if self.first_number:
            text += (
                ", who had no employee number yet: the first number of this database, given while no active "
                "pharmacist had one"
            )
        return text + (f": {self.reason}." if self.reason else ".")

    def details(self) -> dict[str, Any]:
        """What the approved event says of its approval (``approver_role``: its signature row exists, since 0009)."""
        return {
            "approved_by": self.approver.username,
            "approval_meaning": APPROVED_BY,
            "approval_reason": self.reason,
            "approver_employee_number": self.approver.employee_number,
            "approver_full_name": self.approver.full_name,
            "approver_role": self.approver.role.value,
        } | ({"first_employee_number_without_numbered_approver": True} if self.first_number else {})


@dataclass(frozen=True)
class ApprovalSignature:
    """An approval as stored: the signature, and the event it approved."""

    event_seq: int
    event_hash: str
    action: str
    meaning: str
    username: str
    full_name: str
    employee_number: str | None
    role: str
    signed_at: datetime
    workstation: str
    reason: str

    def describe(self) -> str:
        number = f", employee no. {self.employee_number}" if self.employee_number else ", no employee number yet"
        reason = f"; reason: {self.reason}" if self.reason else ""
        return (
            f"{self.meaning} {self.full_name} ({self.username}{number}), {self.role}, {self.signed_at:%Y-%m-%d %H:%M:%S}"
            f" UTC at {self.workstation}{reason}; signs event #{self.event_seq} ({self.action}, SHA-256 "
            f"{self.event_hash[:16]}…)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_seq": self.event_seq,
            "event_hash": self.event_hash,
            "action": self.action,
            "meaning": self.meaning,
            "username": self.username,
            "full_name": self.full_name,
            "employee_number": self.employee_number,
            "role": self.role,
            "signed_at": self.signed_at.isoformat(),
            "workstation": self.workstation,
            "reason": self.reason,
        }


def record_approval(w: Writer, event: AuditEvent, approval: Approval | None) -> None:
    """The approval's signature row for ``event`` (just written by ``w`` with ``approval.details()``): the approver
    as the event names them (their account must still be there), the event's time, workstation and hash. The row
    says what the event says, so ``audit verify`` compares each of its columns with the event (``state_rows``)."""
    if approval is None:
        return
    approver = approval.approver
    account = w.user_row(approver.username)
    w.conn.execute(
        insert(approvals).values(
            event_seq=event.seq,
            event_hash=event.hash,
            action=event.action,
            meaning=APPROVED_BY,
            username=account.username,
            full_name=approver.full_name,
            employee_number=approver.employee_number,
            role=approver.role.value,
            signed_at=event.at,
            workstation=event.workstation,
            reason=approval.reason,
        )
    )


def approval_signatures(conn: Connection, seqs: Iterable[int] | None = None) -> dict[int, ApprovalSignature]:
    """The approvals stored, by the number of the event each approved (all, or those of ``seqs``)."""
    query = select(approvals).order_by(approvals.c.event_seq)
    if seqs is not None:
        query = query.where(approvals.c.event_seq.in_(sorted(set(seqs))))
    return {
        int(row.event_seq): ApprovalSignature(
            event_seq=int(row.event_seq),
            event_hash=row.event_hash,
            action=row.action,
            meaning=row.meaning,
            username=row.username,
            full_name=row.full_name,
            employee_number=row.employee_number,
            role=row.role,
            signed_at=row.signed_at,
            workstation=row.workstation,
            reason=row.reason,
        )
        for row in conn.execute(query)
    }


__all__ = ["APPROVED_BY", "Approval", "ApprovalSignature", "approval_signatures", "record_approval"]
