"""The Store: everything the wizard and the History window save and read.

Every change is one transaction that also appends its audit event, so a change and its trace commit
together or not at all. The one-dose and one-carton guards are unique indexes in the database; when one
refuses a write, the Store names the preparation that holds the patient or the carton.
"""

from __future__ import annotations

import getpass
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine, Row, Select, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning, Signature
from hemgenix_desktop.storage import migrate
from hemgenix_desktop.storage.audit import (
    GENESIS_HASH,
    AuditEvent,
    ChainVerification,
    changes,
    event_content,
    event_hash,
)
from hemgenix_desktop.storage.engine import describe_url, make_engine
from hemgenix_desktop.storage.errors import (
    AmendmentNotFound,
    PreparationClosed,
    PreparationNotFound,
    StorageError,
    WrongStoreForPreparation,
)
from hemgenix_desktop.storage.schema import (
    amendments,
    audit_events,
    audit_head,
    preparation_search_terms,
    preparations,
    signatures,
    users,
)
from hemgenix_desktop.storage.users import Actor, User, UserRepository
from hemgenix_desktop.storage.values import (
    SHORT_ID_LENGTH,
    AmendmentStatus,
    PreparationStatus,
    Role,
    search_terms,
    short_id,
)
from hemgenix_desktop.storage.writer import Clock, Who, Writer, first_line, open_writer, utc_now

PRACTICE_URL = "sqlite://"
RECORD_SEALED = "record_sealed"  # the audit action that keeps a sealed record's canonical text
MAX_STEP_LENGTH = 50

_STATUS_WORDS = {
    PreparationStatus.DRAFT: "a draft",
    PreparationStatus.SIGNED: "signed",
    PreparationStatus.SEALED: "sealed",
    PreparationStatus.VOIDED: "voided",
}


_AMENDMENT_STATUS_WORDS = {
    AmendmentStatus.DRAFT: "still being made",
    AmendmentStatus.SEALED: "sealed",
    AmendmentStatus.VOIDED: "discarded",
}


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class PreparationSummary:
    """One row of the unfinished list and of the History window."""

    id: str
    status: PreparationStatus
    step: str
    patient_name: str
    patient_date_of_birth: date
    patient_mrn: str
    patient_identifier: str  # as written on the order
    carton_gtin: str | None
    carton_serial: str | None
    void_reason: str | None
    practice: bool
    created_by: str
    created_by_name: str
    created_at: datetime
    updated_by: str
    updated_by_name: str
    updated_at: datetime
    workstation: str  # where it was last saved
    amendments: int = 0  # how many corrections (amendments) of its record are sealed
    correcting: bool = False  # a correction of its record is being made (a draft amendment)

    @property
    def short_id(self) -> str:
        return short_id(self.id)


@dataclass(frozen=True)
class AmendmentSummary:
    """A correction of a sealed preparation's record (an amendment), as stored. ``changes`` holds
    ``domain.amendment.FieldChange.to_dict()`` dicts; ``amends_record_id``/``amends_sha256`` name the sealed
    record it corrects; ``record_id``/``record_sha256`` its own record, once sealed."""

    id: str
    preparation_id: str
    number: int
    status: AmendmentStatus
    reason: str
    changes: tuple[dict[str, str], ...]
    amends_record_id: str
    amends_sha256: str
    record_id: str | None
    record_sha256: str | None
    void_reason: str | None
    created_by: str
    created_by_name: str
    created_at: datetime
    updated_by: str
    updated_by_name: str
    updated_at: datetime
    workstation: str  # where it was last saved


class Store:
    """The database of one pharmacy (or of one practice session). Open it with ``Store.open(url)``."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now, practice: bool = False) -> None:
        self._engine = engine
        self._clock = clock
        self.practice = practice
        self.users = UserRepository(self)

    # --- opening --------------------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock = utc_now) -> Store:
        """Open (and create or upgrade) the database at ``url``; None means the configured one
        (``HEMGENIX_DB_URL`` or the SQLite file in the user's data folder)."""
        if url is None:
            from hemgenix_desktop.config import resolve_db_url

            url = resolve_db_url()
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
        except OperationalError as exc:
            engine.dispose()
            raise StorageError(
                f"The database {describe_url(url)} cannot be opened ({first_line(exc.orig)}). "
                "Check the address and that you may use it, or give another with --db."
            ) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock=clock, practice=False)

    @classmethod
    def open_practice(cls, *, clock: Clock = utc_now) -> Store:
        """A fresh in-memory database for practice mode: nothing reaches the pharmacy's records."""
        engine = make_engine(PRACTICE_URL)
        migrate.upgrade(engine)
        return cls(engine, clock=clock, practice=True)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    def now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- transactions (for the storage layer's repositories) --------------------------------------------
    @contextmanager
    def reading(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A read-only connection. ``snapshot``: every statement sees the same moment (PostgreSQL's
        REPEATABLE READ; a SQLite read transaction always does)."""
        try:
            with self._engine.connect() as conn:
                if snapshot and conn.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                yield conn
        except OperationalError as exc:
            raise StorageError(
                f"The database could not be read ({first_line(exc.orig)}). Try again; if it keeps failing, call IT support."
            ) from exc

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        with open_writer(self._engine, self._clock) as writer:
            yield writer

    # --- preparations ---------------------------------------------------------------------------------
    def start_preparation(self, prep: Preparation, user: User, workstation: str) -> PreparationSummary:
        """Save a new preparation as a draft (its order must be filled in). Raises
        ``PatientAlreadyHasPreparation`` or ``CartonAlreadyUsed`` naming the preparation that holds them."""
        self._check_practice(prep)
        data = prep.to_dict()
        columns = _patient_columns(prep) | _carton_columns(prep)
        try:
            with self.writing() as w:
                w.require_active_user(user.username)
                w.conn.execute(
                    insert(preparations).values(
                        id=prep.id,
                        status=PreparationStatus.DRAFT.value,
                        void_reason=None,
                        step=_step(prep.step),
                        data=data,
                        practice=prep.practice,
                        created_by=user.username,
                        created_at=w.now,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                        **columns,
                    )
                )
                _write_search_terms(w.conn, prep.id, columns)
                _, after = changes(None, data)
                w.audit(
                    user,
                    workstation,
                    "preparation_started",
                    f"Started preparation {short_id(prep.id)} for {columns['patient_name']}.",
                    preparation_id=prep.id,
                    after=after,
                )
        except IntegrityError as exc:
            self._raise_guard(exc, prep.id, columns, user, workstation)
        return self.summary(prep.id)

    def save_draft(self, prep: Preparation, step: str, user: User, workstation: str) -> None:
        """Save the draft as it is now, to be resumed at ``step``, with an audit event of the values that
        changed (one transaction). The stored step is ``step``; ``prep`` itself is not changed."""
        self._check_practice(prep)
        data = prep.to_dict()
        data["step"] = _step(step)
        columns = _patient_columns(prep) | _carton_columns(prep)
        try:
            with self.writing() as w:
                row = self._row(w.conn, prep.id)
                _require_status(row, PreparationStatus.DRAFT, "saved")
                w.require_active_user(user.username)
                w.conn.execute(
                    update(preparations)
                    .where(preparations.c.id == prep.id)
                    .values(
                        step=data["step"],
                        data=data,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                        **columns,
                    )
                )
                _write_search_terms(w.conn, prep.id, columns)
                before, after = changes(row.data, data)
                count = len(before.keys() | after.keys())
                what = "no value changed" if count == 0 else f"{count} value{'' if count == 1 else 's'} changed"
                w.audit(
                    user,
                    workstation,
                    "draft_saved",
                    f"Saved preparation {short_id(prep.id)} at step “{data['step']}” ({what}).",
                    preparation_id=prep.id,
                    before=before,
                    after=after,
                )
        except IntegrityError as exc:
            self._raise_guard(exc, prep.id, columns, user, workstation)

    def load(self, prep_id: str) -> Preparation:
        """The preparation exactly as last saved (its ``step`` is where to resume)."""
        with self.reading() as conn:
            row = self._row(conn, prep_id)
        return Preparation.from_dict(row.data)

    def summary(self, prep_id: str) -> PreparationSummary:
        with self.reading() as conn:
            row = conn.execute(_summary_query().where(preparations.c.id == prep_id)).one_or_none()
        if row is None:
            raise _not_found(prep_id)
        return _summary(row)

    def unfinished(self) -> list[PreparationSummary]:
        """Drafts to resume or void, the most recently saved first."""
        query = (
            _summary_query()
            .where(preparations.c.status == PreparationStatus.DRAFT.value)
            .order_by(preparations.c.updated_at.desc(), preparations.c.id)
        )
        with self.reading() as conn:
            return [_summary(row) for row in conn.execute(query)]

    def corrections_in_progress(self) -> list[PreparationSummary]:
        """Sealed preparations whose record is being corrected (a draft amendment), the most recently saved
        correction first."""
        drafts = (
            select(amendments.c.preparation_id, amendments.c.updated_at)
            .where(amendments.c.status == AmendmentStatus.DRAFT.value)
            .subquery()
        )
        query = (
            _summary_query()
            .join(drafts, drafts.c.preparation_id == preparations.c.id)
            .where(preparations.c.status == PreparationStatus.SEALED.value)
            .order_by(drafts.c.updated_at.desc(), preparations.c.id)
        )
        with self.reading() as conn:
            return [_summary(row) for row in conn.execute(query)]

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
        query = _summary_query()
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
        with self.reading() as conn:
            return [_summary(row) for row in conn.execute(query)]

    def resolve_id(self, text: str) -> str:
        """The full id of the preparation whose id is ``text`` or starts with it (at least 8 characters)."""
        wanted = text.strip().lower()
        if len(wanted) < SHORT_ID_LENGTH:
            raise InvalidInput(
                f"“{text.strip()}” is too short to name a preparation. Give at least the first "
                f"{SHORT_ID_LENGTH} characters of its id."
            )
        with self.reading() as conn:
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
            raise _not_found(text.strip())
        if len(found) > 1:
            raise InvalidInput(f"More than one preparation starts with “{text.strip()}”. Give more of the id.")
        return str(found[0])

    def void(self, prep_id: str, reason: str, user: User, workstation: str) -> None:
        """Void a preparation with a reason: its patient and carton are free again, the record stays.
        A signed or sealed preparation may be voided by a pharmacist only."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Give the reason for voiding the preparation, in a few words, then void it again.")
        with self.writing() as w:
            row = self._row(w.conn, prep_id)
            status = PreparationStatus(row.status)
            if status is PreparationStatus.VOIDED:
                raise PreparationClosed(
                    f"Preparation {short_id(prep_id)} was already voided ({row.void_reason}). Nothing was changed."
                )
            account = w.require_active_user(user.username)
            if status is not PreparationStatus.DRAFT and account.role != Role.PHARMACIST.value:
                raise PreparationClosed(
                    f"Preparation {short_id(prep_id)} is {_STATUS_WORDS[status]}, so only a pharmacist may void it. "
                    "Ask the pharmacist in charge."
                )
            w.conn.execute(
                update(preparations)
                .where(preparations.c.id == prep_id)
                .values(
                    status=PreparationStatus.VOIDED.value,
                    void_reason=reason,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            w.audit(
                user,
                workstation,
                "preparation_voided",
                f"Voided preparation {short_id(prep_id)} for {row.patient_name}: {reason}",
                preparation_id=prep_id,
                before={"status": status.value},
                after={"status": PreparationStatus.VOIDED.value, "void_reason": reason},
            )

    # --- signatures and status ------------------------------------------------------------------------
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
            with self.writing() as w:
                row = self._row(w.conn, prep_id)
                if amendment == 0:
                    _require_status(row, PreparationStatus.DRAFT, "signed")
                    what = f"preparation {short_id(prep_id)}"
                else:
                    _require_sealed(row)
                    number_row = _amendment_number_row(w.conn, prep_id, amendment)
                    _require_amendment_draft(number_row, "signed")
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
                    account_who(account),
                    signature.workstation,
                    "signature_added",
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
        query = (
            select(signatures)
            .where(signatures.c.preparation_id == prep_id, signatures.c.amendment == amendment)
            .order_by(signatures.c.id)
        )
        if content_sha256 is not None:
            query = query.where(signatures.c.content_sha256 == content_sha256)
        with self.reading() as conn:
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
            )
            for row in rows
        ]

    def mark_signed(self, prep: Preparation, user: User, workstation: str) -> None:
        """Draft → signed, saving the final values. Needs at least one signature; from now on the
        preparation cannot be changed, only sealed or voided."""
        self._check_practice(prep)
        with self.writing() as w:
            self._sign(w, prep, user, workstation)

    @staticmethod
    def _sign(w: Writer, prep: Preparation, user: User, workstation: str) -> None:
        """Draft → signed inside the transaction ``w`` (for ``mark_signed`` and ``seal_preparation``)."""
        data = prep.to_dict()
        row = _row_of(w.conn, prep.id)
        _require_status(row, PreparationStatus.DRAFT, "signed")
        w.require_active_user(user.username)
        signed = w.conn.execute(
            select(func.count())
            .select_from(signatures)
            .where(signatures.c.preparation_id == prep.id, signatures.c.amendment == 0)
        ).scalar_one()
        if not signed:
            raise InvalidInput(
                f"Preparation {short_id(prep.id)} has no signature yet. Sign it before marking it signed."
            )
        data["step"] = row.step
        w.conn.execute(
            update(preparations)
            .where(preparations.c.id == prep.id)
            .values(
                status=PreparationStatus.SIGNED.value,
                data=data,
                updated_by=user.username,
                updated_at=w.now,
                workstation=workstation,
                **(_patient_columns(prep) | _carton_columns(prep)),
            )
        )
        _write_search_terms(w.conn, prep.id, _patient_columns(prep))
        before, after = changes(row.data, data)
        w.audit(
            user,
            workstation,
            "preparation_signed",
            f"Preparation {short_id(prep.id)} is signed; it can no longer be changed.",
            preparation_id=prep.id,
            before={"status": row.status, **before},
            after={"status": PreparationStatus.SIGNED.value, **after},
        )

    def mark_sealed(self, prep_id: str, user: User, workstation: str) -> None:
        """Signed → sealed (the record has been sealed and issued)."""
        with self.writing() as w:
            self._seal(w, prep_id, user, workstation)

    @staticmethod
    def _seal(w: Writer, prep_id: str, user: User, workstation: str) -> None:
        """Signed → sealed inside the transaction ``w`` (for ``mark_sealed`` and ``seal_preparation``)."""
        row = _row_of(w.conn, prep_id)
        _require_status(row, PreparationStatus.SIGNED, "sealed")
        w.require_active_user(user.username)
        w.conn.execute(
            update(preparations)
            .where(preparations.c.id == prep_id)
            .values(
                status=PreparationStatus.SEALED.value,
                updated_by=user.username,
                updated_at=w.now,
                workstation=workstation,
            )
        )
        w.audit(
            user,
            workstation,
            "preparation_sealed",
            f"Preparation {short_id(prep_id)} is sealed.",
            preparation_id=prep_id,
            before={"status": row.status},
            after={"status": PreparationStatus.SEALED.value},
        )

    def seal_preparation(
        self,
        prep: Preparation,
        user: User,
        workstation: str,
        *,
        record_id: str,
        record_sha256: str,
        canonical: str | None,
    ) -> None:
        """Sealing, in ONE transaction: a crash or a failed write leaves the preparation wholly sealed or not
        sealed at all, never in between. Draft → signed (as ``mark_signed``; skipped when it is signed
        already), the sealed record's canonical text kept in the audit trail (action ``record_sealed``;
        ``canonical=None`` when that record is kept already), signed → sealed."""
        self._check_practice(prep)
        with self.writing() as w:
            row = _row_of(w.conn, prep.id)
            if PreparationStatus(row.status) is PreparationStatus.DRAFT:
                self._sign(w, prep, user, workstation)
            else:
                _require_status(row, PreparationStatus.SIGNED, "sealed")
            if canonical is not None:
                w.audit(
                    user,
                    workstation,
                    RECORD_SEALED,
                    f"Record {record_id} of preparation {short_id(prep.id)} was sealed (SHA-256 {record_sha256}).",
                    preparation_id=prep.id,
                    after={"record_id": record_id, "sha256": record_sha256, "record": canonical},
                )
            self._seal(w, prep.id, user, workstation)

    # --- corrections of a sealed record (amendments) ----------------------------------------------------------
    def start_amendment(
        self,
        prep: Preparation,
        *,
        reason: str,
        changes: Sequence[Mapping[str, str]],
        amends_record_id: str,
        amends_sha256: str,
        user: User,
        workstation: str,
    ) -> AmendmentSummary:
        """Start correcting a sealed preparation's record: a new draft amendment, numbered after the
        preparation's earlier ones, holding ``prep`` (the corrected preparation, same id as the stored one), the
        reason, what changed, and the sealed record it corrects (``amends_record_id``: the newest record, the
        original's or the latest sealed amendment's). The preparations row is not changed. Refused with a
        sentence when the preparation is not sealed, another correction of it is being made, or that record was
        corrected already."""
        self._check_practice(prep)
        reason, listed, data = _amendment_reason(reason), _field_changes(changes), prep.to_dict()
        amendment_id = str(uuid.uuid4())
        try:
            with self.writing() as w:
                row = self._row(w.conn, prep.id)
                _require_sealed(row)
                _require_same_dose(row, prep)
                w.require_active_user(user.username)
                conflict = _amendment_conflict(w.conn, prep.id, amends_record_id)
                if conflict is not None:
                    raise conflict
                _require_newest_record(w.conn, prep.id, amends_record_id, amends_sha256)
                latest = w.conn.execute(
                    select(func.max(amendments.c.number)).where(amendments.c.preparation_id == prep.id)
                ).scalar_one()
                number = (latest or 0) + 1
                w.conn.execute(
                    insert(amendments).values(
                        id=amendment_id,
                        preparation_id=prep.id,
                        number=number,
                        status=AmendmentStatus.DRAFT.value,
                        reason=reason,
                        changes=listed,
                        data=data,
                        amends_record_id=amends_record_id,
                        amends_sha256=amends_sha256,
                        record_id=None,
                        record_sha256=None,
                        void_reason=None,
                        created_by=user.username,
                        created_at=w.now,
                        updated_by=user.username,
                        updated_at=w.now,
                        workstation=workstation,
                    )
                )
                w.audit(
                    user,
                    workstation,
                    "amendment_started",
                    f"Started amendment {number} of preparation {short_id(prep.id)}, correcting record "
                    f"{amends_record_id}: {reason}",
                    preparation_id=prep.id,
                    after={
                        "number": number,
                        "reason": reason,
                        "changes": listed,
                        "amends_record_id": amends_record_id,
                        "amends_sha256": amends_sha256,
                    },
                )
        except IntegrityError as exc:  # another workstation started one at the same moment
            with self.reading() as conn:
                conflict = _amendment_conflict(conn, prep.id, amends_record_id)
            if conflict is None:
                raise StorageError(
                    f"The database refused to save the correction of preparation {short_id(prep.id)} "
                    f"({first_line(exc.orig)}). Nothing was saved. Call IT support."
                ) from exc
            raise conflict from exc
        return self.amendment(amendment_id)

    def update_amendment(
        self,
        amendment_id: str,
        prep: Preparation,
        *,
        reason: str,
        changes: Sequence[Mapping[str, str]],
        user: User,
        workstation: str,
    ) -> AmendmentSummary:
        """Save a correction that is still being made (a draft amendment) with new corrected values, reason and
        list of changes, with an audit event of what changed. A sealed or discarded one is never changed."""
        self._check_practice(prep)
        reason, listed, data = _amendment_reason(reason), _field_changes(changes), prep.to_dict()
        with self.writing() as w:
            row = _amendment_row(w.conn, amendment_id)
            if row.preparation_id != prep.id:
                raise InvalidInput(
                    f"Correction {row.number} belongs to preparation {short_id(row.preparation_id)}, not to "
                    f"preparation {short_id(prep.id)}. Open the correction from its own preparation."
                )
            _require_amendment_draft(row, "changed")
            prep_row = self._row(w.conn, prep.id)
            _require_sealed(prep_row)
            _require_same_dose(prep_row, prep)
            w.require_active_user(user.username)
            if reason != row.reason and _amendment_signed(w.conn, row):
                raise InvalidInput(
                    f"Signatures were given on correction {row.number} with the reason “{row.reason}”, so its reason "
                    "cannot change now. Keep it, or discard the correction and start again."
                )
            w.conn.execute(
                update(amendments)
                .where(amendments.c.id == amendment_id)
                .values(
                    reason=reason,
                    changes=listed,
                    data=data,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            before, after = _amendment_diff(row, reason, listed, data)
            count = len(before.keys() | after.keys())
            what = "no value changed" if count == 0 else f"{count} value{'' if count == 1 else 's'} changed"
            w.audit(
                user,
                workstation,
                "amendment_changed",
                f"Saved amendment {row.number} of preparation {short_id(prep.id)} ({what}).",
                preparation_id=prep.id,
                before=before,
                after=after,
            )
        return self.amendment(amendment_id)

    def void_amendment(self, amendment_id: str, reason: str, user: User, workstation: str) -> None:
        """Discard a correction that is still being made, with a reason (it keeps its number; the record it
        was correcting may be corrected again). A sealed amendment can never be discarded."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Give the reason for discarding the correction, in a few words, then discard it again.")
        with self.writing() as w:
            row = _amendment_row(w.conn, amendment_id)
            _require_amendment_draft(row, "discarded")
            w.require_active_user(user.username)
            w.conn.execute(
                update(amendments)
                .where(amendments.c.id == amendment_id)
                .values(
                    status=AmendmentStatus.VOIDED.value,
                    void_reason=reason,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            w.audit(
                user,
                workstation,
                "amendment_voided",
                f"Discarded amendment {row.number} of preparation {short_id(row.preparation_id)}: {reason}",
                preparation_id=row.preparation_id,
                before={"status": AmendmentStatus.DRAFT.value},
                after={"status": AmendmentStatus.VOIDED.value, "void_reason": reason},
            )

    def seal_amendment(
        self,
        amendment_id: str,
        user: User,
        workstation: str,
        *,
        record_id: str,
        record_sha256: str,
        canonical: str | None,
    ) -> None:
        """Sealing a correction, in ONE transaction (as ``seal_preparation``): the sealed record's canonical text
        kept in the audit trail (action ``record_sealed``, with its amendment number; ``canonical=None`` when it
        is kept already), the amendment marked sealed with its record, and the corrected patient's search terms
        added to the preparation's (the original's stay, so History finds it by either). The preparations row
        is not changed. Sealed already with this record: nothing to do (a retry after a crash is safe)."""
        with self.writing() as w:
            row = _amendment_row(w.conn, amendment_id)
            status = AmendmentStatus(row.status)
            if status is AmendmentStatus.SEALED:
                if row.record_id == record_id:
                    return
                raise PreparationClosed(
                    f"Amendment {row.number} of preparation {short_id(row.preparation_id)} is sealed already as "
                    f"record {row.record_id}, and a sealed record never changes. Nothing was changed."
                )
            _require_amendment_draft(row, "sealed")
            prep_row = self._row(w.conn, row.preparation_id)
            _require_sealed(prep_row)
            w.require_active_user(user.username)
            signed = w.conn.execute(
                select(func.count())
                .select_from(signatures)
                .where(signatures.c.preparation_id == row.preparation_id, signatures.c.amendment == row.number)
            ).scalar_one()
            if not signed:
                raise InvalidInput(
                    f"Amendment {row.number} of preparation {short_id(row.preparation_id)} has no signature yet. "
                    "Sign it before sealing it."
                )
            prep_id, number = row.preparation_id, row.number
            if canonical is not None:
                w.audit(
                    user,
                    workstation,
                    RECORD_SEALED,
                    f"Record {record_id} (amendment {number} of preparation {short_id(prep_id)}) was sealed "
                    f"(SHA-256 {record_sha256}).",
                    preparation_id=prep_id,
                    after={"record_id": record_id, "sha256": record_sha256, "record": canonical, "amendment": number},
                )
            w.conn.execute(
                update(amendments)
                .where(amendments.c.id == amendment_id)
                .values(
                    status=AmendmentStatus.SEALED.value,
                    record_id=record_id,
                    record_sha256=record_sha256,
                    updated_by=user.username,
                    updated_at=w.now,
                    workstation=workstation,
                )
            )
            _add_search_terms(w.conn, prep_id, _patient_columns(Preparation.from_dict(row.data)))
            w.audit(
                user,
                workstation,
                "amendment_sealed",
                f"Amendment {number} of preparation {short_id(prep_id)} is sealed as record {record_id}, "
                f"correcting record {row.amends_record_id}.",
                preparation_id=prep_id,
                before={"status": AmendmentStatus.DRAFT.value},
                after={"status": AmendmentStatus.SEALED.value, "record_id": record_id, "record_sha256": record_sha256},
            )

    def amendment(self, amendment_id: str) -> AmendmentSummary:
        with self.reading() as conn:
            row = conn.execute(_amendment_query().where(amendments.c.id == amendment_id)).one_or_none()
        if row is None:
            raise _amendment_not_found(amendment_id)
        return _amendment_summary(row)

    def amendments(self, prep_id: str) -> list[AmendmentSummary]:
        """Every correction of a preparation's record (sealed, being made, discarded), by number."""
        query = _amendment_query().where(amendments.c.preparation_id == prep_id).order_by(amendments.c.number)
        with self.reading() as conn:
            return [_amendment_summary(row) for row in conn.execute(query)]

    def open_amendment(self, prep_id: str) -> AmendmentSummary | None:
        """The correction of a preparation's record being made now (its draft amendment), or None."""
        query = _amendment_query().where(
            amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.DRAFT.value
        )
        with self.reading() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _amendment_summary(row)

    def load_amendment(self, amendment_id: str) -> Preparation:
        """The corrected preparation an amendment holds, as last saved."""
        with self.reading() as conn:
            row = _amendment_row(conn, amendment_id)
        return Preparation.from_dict(row.data)

    # --- the audit trail ------------------------------------------------------------------------------
    def record_event(
        self,
        who: Who,
        workstation: str,
        action: str,
        summary: str,
        *,
        preparation_id: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Append an event that goes with no stored change (the screen locked, a record printed, …)."""
        with self.writing() as w:
            if preparation_id is not None:
                self._row(w.conn, preparation_id)
            return w.audit(who, workstation, action, summary, preparation_id=preparation_id, before=before, after=after)

    def audit_trail(self, prep_id: str | None = None) -> list[AuditEvent]:
        """Every event in order, or those of one preparation."""
        query = select(audit_events).order_by(audit_events.c.seq)
        if prep_id is not None:
            query = query.where(audit_events.c.preparation_id == prep_id)
        with self.reading() as conn:
            return [_event(row) for row in conn.execute(query)]

    def verify_audit_chain(self) -> ChainVerification:
        """Walk the chain from the first event: numbers without gaps, each event's hash matching its
        content, each linking to the one before, and the last one matching the head. Reads one consistent
        snapshot, so events appended meanwhile by another workstation do not disturb it."""
        with self.reading(snapshot=True) as conn:
            head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one_or_none()
            result = conn.execution_options(yield_per=500).execute(select(audit_events).order_by(audit_events.c.seq))
            try:
                broken, checked, expected_prev = _walk_chain(result)
            finally:
                result.close()
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
                "the last events do not match the trail's head record, so they were added or changed outside "
                "Hemgenix Prep",
            )
        noun = "event" if checked == 1 else "events"
        return ChainVerification(True, checked, None, f"The audit trail is intact: {checked} {noun} checked.")

    # --- helpers --------------------------------------------------------------------------------------
    def _check_practice(self, prep: Preparation) -> None:
        if prep.practice and not self.practice:
            raise WrongStoreForPreparation(
                "A practice preparation is never saved in the pharmacy's records. Leave practice mode to "
                "prepare a real dose."
            )
        if not prep.practice and self.practice:
            raise WrongStoreForPreparation(
                "This is the practice database, so a real preparation cannot be saved here. Leave practice "
                "mode and start the preparation again."
            )

    def _row(self, conn: Connection, prep_id: str) -> Row[Any]:
        return _row_of(conn, prep_id)

    def _raise_guard(
        self, exc: IntegrityError, prep_id: str, columns: dict[str, Any], user: User, workstation: str
    ) -> NoReturn:
        """A unique index refused the write: find the preparation that holds the patient or the carton,
        record the refusal in the audit trail, and raise the clinical stop that names it."""
        with self.reading() as conn:
            holder = self._holder(conn, prep_id, columns)
        if holder is None:
            raise StorageError(
                f"The database refused to save preparation {short_id(prep_id)} ({first_line(exc.orig)}). Nothing was saved. "
                "Call IT support."
            ) from exc
        kind, row = holder
        who = f"{row.created_by_name} ({row.created_by})"
        status = _STATUS_WORDS[PreparationStatus(row.status)]
        named = (
            f"preparation {short_id(row.id)} for {row.patient_name} (identifier “{row.patient_identifier_entered}”), "
            f"{status}, started by {who} on {_when(row.created_at)}"
        )
        stop: PatientAlreadyHasPreparation | CartonAlreadyUsed
        if kind == "patient":
            stop = PatientAlreadyHasPreparation(
                f"This patient already has {named}. Hemgenix is given only once: do not prepare a second dose. "
                "Resume or void that preparation, or call the pharmacist in charge.",
                row.id,
            )
            action = "second_preparation_refused"
        else:
            stop = CartonAlreadyUsed(
                f"This carton (serial “{columns['carton_serial']}”) is already used by {named}. One carton is for "
                "one preparation only: set this carton aside and call the pharmacist in charge.",
                row.id,
            )
            action = "carton_reuse_refused"
        self.record_event(
            user,
            workstation,
            action,
            f"Refused for preparation {short_id(prep_id)}: {stop.message}",
            preparation_id=row.id,
            after={"refused_preparation_id": prep_id},
        )
        raise stop from exc

    def _holder(self, conn: Connection, prep_id: str, columns: dict[str, Any]) -> tuple[str, Row[Any]] | None:
        others = and_(preparations.c.id != prep_id, preparations.c.status != PreparationStatus.VOIDED.value)
        row = conn.execute(
            _summary_query().where(others, preparations.c.patient_identifier == columns["patient_identifier"])
        ).first()
        if row is not None:
            return "patient", row
        if columns.get("carton_serial") is not None:
            row = conn.execute(
                _summary_query().where(
                    others,
                    preparations.c.carton_gtin == columns["carton_gtin"],
                    preparations.c.carton_serial == columns["carton_serial"],
                )
            ).first()
            if row is not None:
                return "carton", row
        return None


def account_who(account: Row[Any]) -> Actor:
    return Actor(account.username, account.full_name)


def cli_actor() -> Actor:
    """Who runs the command line: the operating-system account (there is no sign-in there)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        login = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Actor(f"cli:{login}", f"command line, operating-system account {login}")


# --- row mapping ----------------------------------------------------------------------------------------
def _summary_query() -> Select[Any]:
    creator = users.alias("creator")
    updater = users.alias("updater")
    # Per preparation, through the (preparation_id, status) index: its sealed amendments and its draft one.
    of_this = amendments.c.preparation_id == preparations.c.id
    sealed_amendments = (
        select(func.count())
        .select_from(amendments)
        .where(of_this, amendments.c.status == AmendmentStatus.SEALED.value)
        .correlate(preparations)
        .scalar_subquery()
    )
    correcting = (
        select(amendments.c.id)
        .where(of_this, amendments.c.status == AmendmentStatus.DRAFT.value)
        .correlate(preparations)
        .exists()
    )
    return (
        select(
            preparations.c.id,
            preparations.c.status,
            preparations.c.step,
            preparations.c.patient_name,
            preparations.c.patient_date_of_birth,
            preparations.c.patient_mrn,
            preparations.c.patient_identifier_entered,
            preparations.c.carton_gtin,
            preparations.c.carton_serial,
            preparations.c.void_reason,
            preparations.c.practice,
            preparations.c.created_by,
            creator.c.full_name.label("created_by_name"),
            preparations.c.created_at,
            preparations.c.updated_by,
            updater.c.full_name.label("updated_by_name"),
            preparations.c.updated_at,
            preparations.c.workstation,
            sealed_amendments.label("amendments"),
            correcting.label("correcting"),
        )
        .join(creator, creator.c.username == preparations.c.created_by)
        .join(updater, updater.c.username == preparations.c.updated_by)
    )


def _summary(row: Row[Any]) -> PreparationSummary:
    return PreparationSummary(
        id=row.id,
        status=PreparationStatus(row.status),
        step=row.step,
        patient_name=row.patient_name,
        patient_date_of_birth=row.patient_date_of_birth,
        patient_mrn=row.patient_mrn,
        patient_identifier=row.patient_identifier_entered,
        carton_gtin=row.carton_gtin,
        carton_serial=row.carton_serial,
        void_reason=row.void_reason,
        practice=bool(row.practice),
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_by_name=row.updated_by_name,
        updated_at=row.updated_at,
        workstation=row.workstation,
        amendments=int(row.amendments),
        correcting=bool(row.correcting),
    )


def _amendment_query() -> Select[Any]:
    creator = users.alias("creator")
    updater = users.alias("updater")
    return (
        select(
            amendments,
            creator.c.full_name.label("created_by_name"),
            updater.c.full_name.label("updated_by_name"),
        )
        .join(creator, creator.c.username == amendments.c.created_by)
        .join(updater, updater.c.username == amendments.c.updated_by)
    )


def _amendment_summary(row: Row[Any]) -> AmendmentSummary:
    return AmendmentSummary(
        id=row.id,
        preparation_id=row.preparation_id,
        number=row.number,
        status=AmendmentStatus(row.status),
        reason=row.reason,
        changes=tuple({str(k): str(v) for k, v in change.items()} for change in row.changes),
        amends_record_id=row.amends_record_id,
        amends_sha256=row.amends_sha256,
        record_id=row.record_id,
        record_sha256=row.record_sha256,
        void_reason=row.void_reason,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_by_name=row.updated_by_name,
        updated_at=row.updated_at,
        workstation=row.workstation,
    )


def _amendment_row(conn: Connection, amendment_id: str) -> Row[Any]:
    row = conn.execute(select(amendments).where(amendments.c.id == amendment_id)).one_or_none()
    if row is None:
        raise _amendment_not_found(amendment_id)
    return row


def _amendment_number_row(conn: Connection, prep_id: str, number: int) -> Row[Any]:
    row = conn.execute(
        select(amendments).where(amendments.c.preparation_id == prep_id, amendments.c.number == number)
    ).one_or_none()
    if row is None:
        raise AmendmentNotFound(
            f"Preparation {short_id(prep_id)} has no amendment {number}. Open the preparation from the History "
            "window and start or continue its correction there."
        )
    return row


def _amendment_not_found(amendment_id: str) -> AmendmentNotFound:
    return AmendmentNotFound(
        f"There is no correction “{amendment_id}”. Open the preparation from the History window and look at its "
        "corrections there."
    )


def _require_sealed(row: Row[Any]) -> None:
    """Only a sealed preparation's record is corrected (a draft or signed one is still changed or signed)."""
    status = PreparationStatus(row.status)
    if status is PreparationStatus.SEALED:
        return
    then = (
        "A voided preparation has no record in force to correct."
        if status is PreparationStatus.VOIDED
        else "Finish its signatures so that it is sealed, or change it as it is."
    )
    raise PreparationClosed(
        f"Only a sealed preparation's record can be corrected; preparation {short_id(row.id)} for "
        f"{row.patient_name} is {_STATUS_WORDS[status]}. {then}"
    )


def _require_same_dose(row: Row[Any], prep: Preparation) -> None:
    """A correction is of the same dose: the patient-specific identifier, the date of birth and the carton,
    checked against each other at the cabinet (and held by the one-dose and one-carton guards), stay as sealed."""
    columns = _patient_columns(prep) | _carton_columns(prep)
    kept = ("patient_identifier", "patient_date_of_birth", "carton_gtin", "carton_serial")
    if any(columns[name] != getattr(row, name) for name in kept):
        raise InvalidInput(
            f"A correction cannot change the patient-specific identifier, the date of birth or the carton of "
            f"preparation {short_id(row.id)}: they were checked against the carton when the dose was made. If one "
            "of them is wrong, call the pharmacist in charge and report it under your site's procedure."
        )


def _require_amendment_draft(row: Row[Any], verb: str) -> None:
    status = AmendmentStatus(row.status)
    if status is AmendmentStatus.DRAFT:
        return
    which = f"Amendment {row.number} of preparation {short_id(row.preparation_id)}"
    if status is AmendmentStatus.SEALED:
        raise PreparationClosed(
            f"{which} is sealed, so it cannot be {verb}: a sealed record never changes. To correct it, start a new "
            "correction of the record in force."
        )
    if verb == "discarded":
        raise PreparationClosed(f"{which} was discarded already ({row.void_reason}). Nothing was changed.")
    raise PreparationClosed(
        f"{which} was discarded ({row.void_reason}), so it cannot be {verb}. Start a new correction from the "
        "History window."
    )


def _amendment_conflict(conn: Connection, prep_id: str, amends_record_id: str) -> InvalidInput | None:
    """Why a new correction cannot start now: another one of this preparation is being made, or the record
    was corrected already (each record is corrected at most once; the next correction corrects the newest)."""
    draft = conn.execute(
        _amendment_query().where(
            amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.DRAFT.value
        )
    ).first()
    if draft is not None:
        return InvalidInput(
            f"{draft.created_by_name} is already correcting this record (started {_when(draft.created_at)} at "
            f"{draft.workstation}). Continue that correction or discard it first."
        )
    corrected = conn.execute(
        select(amendments.c.number, amendments.c.record_id).where(
            amendments.c.amends_record_id == amends_record_id,
            amendments.c.status != AmendmentStatus.VOIDED.value,
        )
    ).first()
    if corrected is not None:
        return InvalidInput(
            f"Record {amends_record_id} was corrected already by amendment {corrected.number} (record "
            f"{corrected.record_id}). Correct the newest record."
        )
    return None


def _require_newest_record(conn: Connection, prep_id: str, record_id: str, sha256: str) -> None:
    """The record a correction corrects is the preparation's newest: its latest sealed amendment's, or else the
    original's (as kept in the audit trail when it was sealed; a preparation sealed without keeping its record
    there has nothing to compare with)."""
    newest = conn.execute(
        select(amendments.c.record_id, amendments.c.record_sha256)
        .where(amendments.c.preparation_id == prep_id, amendments.c.status == AmendmentStatus.SEALED.value)
        .order_by(amendments.c.number.desc())
        .limit(1)
    ).first()
    expected: tuple[str, str] | None = None
    if newest is not None:
        expected = (newest.record_id, newest.record_sha256)
    else:
        kept = conn.execute(
            select(audit_events.c.after)
            .where(audit_events.c.preparation_id == prep_id, audit_events.c.action == RECORD_SEALED)
            .order_by(audit_events.c.seq.desc())
        ).scalars()
        for text in kept:
            after = json.loads(text)
            if "amendment" not in after:
                expected = (str(after["record_id"]), str(after["sha256"]))
                break
    if expected is None:
        return
    if record_id != expected[0]:
        raise InvalidInput(
            f"Record {record_id} is not the newest record of preparation {short_id(prep_id)} (that is record "
            f"{expected[0]}). Correct the newest record."
        )
    if sha256 != expected[1]:
        raise InvalidInput(
            f"The SHA-256 given for record {record_id} is not the one it was sealed with, so it cannot be corrected. "
            "Open the preparation from the History window again."
        )


def _amendment_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give the reason for the correction (what was wrong in the record), then save it again.")
    return reason


def _field_changes(listed: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """What a correction changed, as ``FieldChange.to_dict()`` dicts (each checked to be one)."""
    if not listed:
        raise InvalidInput(
            "Nothing was changed, so there is nothing to correct. Change the value that is wrong in the record, or "
            "cancel the correction."
        )
    try:
        return [FieldChange.from_dict(change).to_dict() for change in listed]
    except KeyError as exc:
        raise ValueError(f"a change lacks its {exc.args[0]!r}: give FieldChange.to_dict() dicts") from exc


def _amendment_diff(
    row: Row[Any], reason: str, listed: list[dict[str, str]], data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a saved correction changed (reason, list of changes, corrected values), as flattened paths."""
    return changes(
        {"reason": row.reason, "changes": row.changes, "data": row.data},
        {"reason": reason, "changes": listed, "data": data},
    )


def _event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        at=row.at,
        username=row.username,
        full_name=row.full_name,
        workstation=row.workstation,
        action=row.action,
        preparation_id=row.preparation_id,
        summary=row.summary,
        before=json.loads(row.before),
        after=json.loads(row.after),
        prev_hash=row.prev_hash,
        hash=row.hash,
        software_version=row.software_version,
    )


def _term_prefix(word: str) -> Select[Any]:
    """The preparations with a search term starting with ``word`` (a range on the term index)."""
    column = preparation_search_terms.c.term
    upper = word[:-1] + chr(min(ord(word[-1]) + 1, 0x10FFFF))
    return select(preparation_search_terms.c.preparation_id).where(column >= word, column < upper)


def _write_search_terms(conn: Connection, prep_id: str, columns: dict[str, Any]) -> None:
    """Rewrite the preparation's search terms from its patient columns."""
    conn.execute(delete(preparation_search_terms).where(preparation_search_terms.c.preparation_id == prep_id))
    terms = search_terms(columns["patient_name"], columns["patient_mrn"], columns["patient_identifier_entered"])
    if terms:
        conn.execute(
            insert(preparation_search_terms),
            [{"preparation_id": prep_id, "term": term} for term in sorted(terms)],
        )


def _add_search_terms(conn: Connection, prep_id: str, columns: dict[str, Any]) -> None:
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


def _patient_columns(prep: Preparation) -> dict[str, Any]:
    if prep.order is None:
        raise InvalidInput(
            "The order and the patient are not filled in yet, so the preparation cannot be saved. "
            "Fill in the order first."
        )
    patient = prep.order.patient
    identifier = normalise_identifier(patient.patient_specific_id)
    if not identifier:
        raise InvalidInput(
            "The patient-specific identifier is empty, so the preparation cannot be saved. "
            "Enter the identifier printed on the order."
        )
    return {
        "patient_identifier": identifier,
        "patient_identifier_entered": patient.patient_specific_id.strip(),
        "patient_name": patient.full_name.strip(),
        "patient_date_of_birth": patient.date_of_birth,
        "patient_mrn": patient.mrn.strip(),
    }


def _carton_columns(prep: Preparation) -> dict[str, Any]:
    carton = prep.carton
    return {
        "carton_gtin": None if carton is None else carton.gtin,
        "carton_serial": None if carton is None else carton.serial,
    }


def _step(step: str) -> str:
    step = step.strip()
    if not step or len(step) > MAX_STEP_LENGTH:
        raise ValueError(f"a step name is 1 to {MAX_STEP_LENGTH} characters: {step!r}")
    return step


def _row_of(conn: Connection, prep_id: str) -> Row[Any]:
    row = conn.execute(select(preparations).where(preparations.c.id == prep_id)).one_or_none()
    if row is None:
        raise _not_found(prep_id)
    return row


def _require_status(row: Row[Any], wanted: PreparationStatus, verb: str) -> None:
    status = PreparationStatus(row.status)
    if status is not wanted:
        raise PreparationClosed(
            f"Preparation {short_id(row.id)} for {row.patient_name} is {_STATUS_WORDS[status]}, so it cannot be "
            f"{verb}. Open it from the History window to see it, or start a new preparation."
        )


def _not_found(prep_id: str) -> PreparationNotFound:
    return PreparationNotFound(
        f"There is no preparation “{prep_id}”. Check its id in the History window or with “hemgenix-prep audit show”."
    )


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


def _walk_chain(rows: Iterable[Row[Any]]) -> tuple[ChainVerification | None, int, str]:
    """Check events in order; returns (the first break or None, events checked, the last good hash)."""
    expected_prev = GENESIS_HASH
    checked = 0
    for row in rows:
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
        content = event_content(
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
    return f"{row.action} by {row.username} on {_when(row.at)}"


def _broken(seq: int, checked: int, reason: str) -> ChainVerification:
    return ChainVerification(
        False,
        checked,
        seq,
        f"The audit trail is broken at event {seq}: {reason}. Keep this database as it is and report it to "
        "the pharmacist in charge.",
    )


__all__ = ["AmendmentStatus", "AmendmentSummary", "PreparationSummary", "Store", "cli_actor", "short_id"]


def _amendment_signed(conn: Connection, row: Row[Any]) -> bool:
    """Somebody has signed this correction (on any of its contents)."""
    query = (
        select(func.count())
        .select_from(signatures)
        .where(signatures.c.preparation_id == row.preparation_id, signatures.c.amendment == row.number)
    )
    return bool(conn.execute(query).scalar_one())
