"""Electronic signatures as stored: given on a draft preparation (its original record) or on a correction being
made (amendment N), never changed or deleted. Who may sign as what is ``domain.signing`` and
``domain.permissions``; here the signer's stored account must still be active and hold the role signed with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.signing import Meaning, Signature
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.storage.amendment_rows import amendment_number_row, require_amendment_draft
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.preparation_rows import require_sealed, require_status, row_of
from hemgenix_desktop.storage.schema import signatures, users
from hemgenix_desktop.storage.users import Actor
from hemgenix_desktop.storage.values import short_id


class SignatureLog:
    """The signatures of one database. Obtain it as ``store.signature_log``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_signature(self, prep_id: str, signature: Signature, *, amendment: int = 0) -> None:
        """Store a signature given on a draft (made by ``domain.signing``: ``sign_as_preparer``,
        ``sign_as_verifier`` or ``approve_override``, after the password was confirmed). The signer must be
        an active user whose stored role is the role signed with. Signatures are never changed or deleted;
        a preparation changed after signing is signed again (new content, new row).

        ``amendment``: 0 signs the preparation's own (original) record, which must be a draft; N signs amendment
        N, a correction being made of the sealed preparation's record."""
        if amendment < 0:
            raise ValueError(f"an amendment number is 0 (the original record) or more: {amendment}")
        try:
            with self._db.writing() as w:
                row = row_of(w.conn, prep_id)
                if amendment == 0:
                    require_status(row, PreparationStatus.DRAFT, "signed")
                    what = f"preparation {short_id(prep_id)}"
                else:
                    require_sealed(row)
                    require_amendment_draft(amendment_number_row(w.conn, prep_id, amendment), "signed")
                    what = f"amendment {amendment} of preparation {short_id(prep_id)}"
                account = w.require_active_user(signature.username)
                if account.role != signature.role or account.full_name != signature.printed_name:
                    raise InvalidInput(
                        f"The signature names {signature.printed_name} ({signature.username}) as a {signature.role}, "
                        f"but the account is {account.full_name}, {account.role}. Sign in again and sign anew."
                    )
                w.conn.execute(
                    insert(signatures).values(
                        preparation_id=prep_id,
                        meaning=signature.meaning.value,
                        username=signature.username,
                        full_name=signature.printed_name,
                        role=signature.role,
                        signed_at=signature.signed_at,
                        local_time=signature.local_time.isoformat(),
                        time_zone=signature.zone,
                        workstation=signature.workstation,
                        content_sha256=signature.content_sha256,
                        subject=signature.subject,
                        reason=signature.reason,
                        amendment=amendment,
                    )
                )
                about = f" ({signature.subject})" if signature.subject else ""
                w.audit(
                    Actor(account.username, account.full_name),
                    signature.workstation,
                    AuditAction.SIGNATURE_ADDED,
                    f"{signature.printed_name} ({signature.username}) signed {what}: {signature.meaning.value}{about}.",
                    preparation_id=prep_id,
                    after=signature.to_dict() | ({"amendment": amendment} if amendment else {}),
                )
        except IntegrityError as exc:
            raise InvalidInput(
                f"{what[:1].upper()}{what[1:]} already carries this signature ({signature.meaning.value}, "
                f"{signature.printed_name}) on the same content. Nothing was added."
            ) from exc

    def signatures(self, prep_id: str, content_sha256: str | None = None, *, amendment: int = 0) -> list[Signature]:
        """The signatures of a preparation's original record (``amendment`` 0) or of its amendment N, in the
        order given; with ``content_sha256``, only those given on that content."""
        query = (  # the person behind each username: the account's employee number (one account per person)
            select(signatures, users.c.employee_number)
            .select_from(signatures.outerjoin(users, users.c.username == signatures.c.username))
            .where(signatures.c.preparation_id == prep_id, signatures.c.amendment == amendment)
            .order_by(signatures.c.id)
        )
        if content_sha256 is not None:
            query = query.where(signatures.c.content_sha256 == content_sha256)
        with self._db.reading() as conn:
            rows = conn.execute(query).all()
        return [
            Signature(
                meaning=Meaning(row.meaning),
                username=row.username,
                printed_name=row.full_name,
                role=row.role,
                signed_at=row.signed_at,
                local_time=datetime.fromisoformat(row.local_time),
                zone=row.time_zone,
                workstation=row.workstation,
                content_sha256=row.content_sha256,
                subject=row.subject,
                reason=row.reason,
                person=row.employee_number or "",
            )
            for row in rows
        ]


def signature_count(conn: Connection, prep_id: str, amendment: int) -> int:
    """How many signatures the original record (``amendment`` 0) or amendment N carries (on any content)."""
    query = (
        select(func.count())
        .select_from(signatures)
        .where(signatures.c.preparation_id == prep_id, signatures.c.amendment == amendment)
    )
    return int(conn.execute(query).scalar_one())


__all__ = ["SignatureLog", "signature_count"]
