"""Sealing a signed preparation (or correction) into its record, and making the record's two PDFs; no Qt.

:func:`seal_and_keep` seals (canonical JSON and its SHA-256) and keeps the record: marking the preparation signed,
keeping the record in the audit trail and marking it sealed are one transaction (``Store.seal_preparation``; an
amendment: ``Store.seal_amendment``), so a crash leaves it wholly sealed or still unsealed. Called again, it finds
the record kept and finishes what is not done (a sealing cut short), never sealing twice.

Two workstations finishing the same preparation at once: the database changes the status only from signed, in
the one statement that seals (a compare-and-set), so one sealing is kept and the other keeps nothing. Either way
:func:`seal_and_keep` returns the record READ BACK from the database after the commit, never the one it built, so
both workstations show, print and save the same record; :func:`sealed_elsewhere` is the slower one's sentence
(who sealed it, at which workstation, when).

:func:`record_outputs` builds the record PDF (signed with the site certificate, created on first use) and the
bag label; :func:`save_record_outputs` saves both in the workstation's records folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hemgenix_desktop import config
from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, AuditAction, PreparationStatus, print_action
from hemgenix_desktop.records.outputs import RecordOutputs, build_outputs, save_outputs
from hemgenix_desktop.records.pades import check_timestamp_authority
from hemgenix_desktop.security.checkpoints import Checkpoint, sign_checkpoint, write_checkpoint
from hemgenix_desktop.security.seal import SealedRecord, amend, preparation_sha256, seal
from hemgenix_desktop.security.site_keys import ensure_site_certificate, ready_to_sign
from hemgenix_desktop.services.records import audit_anchor, stored_record
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import AmendmentSummary, PreparationClosed, StorageError, Store, User, short_id
from hemgenix_desktop.storage.writer import when


@dataclass(frozen=True)
class Amending:
    """What makes a signing a correction's: the amendment as stored (a draft, its number, reason and changes) and
    the sealed record it corrects (the original, or the newest earlier amendment)."""

    amendment: AmendmentSummary
    corrects: SealedRecord

    @property
    def number(self) -> int:
        return self.amendment.number

    def changes(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange.from_dict(change) for change in self.amendment.changes)


@dataclass(frozen=True)
class MadeOutputs:
    """A sealed record's two PDFs, and the fingerprint of the site certificate the record PDF is signed with."""

    outputs: RecordOutputs
    fingerprint: str


def seal_and_keep(ws: Workstation, prep: Preparation, user: User, amending: Amending | None = None) -> SealedRecord:
    """The sealed record of ``prep`` (of its correction, ``amending``): the one already kept, or sealed now and
    kept, with the preparation (the amendment) marked sealed in the same transaction; then, when the site names a
    checkpoint folder, a signed checkpoint of the audit chain written there."""
    # The site key is unlocked first (the token's PIN or the key file's passphrase, asked for if not given yet): a
    # wrong or missing one raises ``SiteKeyLocked`` with the sentence and nothing is sealed.
    ready_to_sign(ws.data_dir)
    # A site that names a timestamp authority signs only with its timestamp: the authority is asked first, so that
    # while it is down nothing is sealed (``TimestampUnavailable`` with the sentence). Should it fail between the
    # seal and the PDFs, the record stays sealed and its originals are made when it answers again (the unfinished
    # list's "Sealed — the record and label were not saved"). Practice never reaches the site's servers: its
    # throwaway signatures carry no timestamp.
    authority = None if ws.practice else config.timestamp_url()
    if authority is not None:
        check_timestamp_authority(authority)
    record = _seal_amendment(ws, prep, user, amending) if amending is not None else _seal_original(ws, prep, user)
    write_chain_checkpoint(ws)
    return record


def write_chain_checkpoint(ws: Workstation) -> Path | None:
    """A signed checkpoint of the chain's head (``security.checkpoints``) in the site's checkpoint folder
    (the setting ``checkpoint_dir``), or None when the site names none or the trail is empty, and in practice mode
    (nothing of the site's changes)."""
    folder = None if ws.practice else config.checkpoint_dir()
    database_id = ws.store.audit.database_id()
    if folder is None or database_id is None:
        return None
    seq, head_hash = ws.store.audit.head()
    try:
        site_cert = ensure_site_certificate(ws.data_dir, ws.site)
        checkpoint = Checkpoint(database_id, seq, head_hash, ws.now())
        note = sign_checkpoint(checkpoint, site_cert.sign, site_cert.certificate)
        return write_checkpoint(folder, note, seq)
    except (OSError, DomainError):  # the record stays sealed; the next seal's checkpoint covers it, and
        return None  # audit verify --checkpoints names the seal no checkpoint covers


def _read_back(
    store: Store, prep_id: str, content: str, number: int, refusal: PreparationClosed | None
) -> SealedRecord:
    """The record kept in the database (on this content, else any of this number), after the commit; when none is
    kept the refusal that stopped this sealing (a voided preparation), or the sentence that it cannot be read."""
    record = stored_record(store, prep_id, content, amendment=number) or stored_record(store, prep_id, amendment=number)
    if record is not None:
        return record
    if refusal is not None:
        raise refusal
    raise StorageError(
        f"The record of preparation {short_id(prep_id)} was sealed but cannot be read back from the database. "
        "Nothing was printed. Call IT support."
    )


def _seal_original(ws: Workstation, prep: Preparation, user: User) -> SealedRecord:
    store, content = ws.store, preparation_sha256(prep)
    record = stored_record(store, prep.id, content, amendment=0)
    kept = record is not None
    if record is None:
        record = seal(
            prep,
            store.signatures(prep.id, content),
            prep.attributions,
            site=ws.site,
            workstation=ws.workstation,
            checklist=ws.checklist,
            sealed_at=ws.now(),
            tz=ws.tz,
            database_id=store.audit.database_id(),
        )
    refusal: PreparationClosed | None = None
    if store.summary(prep.id).status is not PreparationStatus.SEALED:
        try:
            store.seal_preparation(
                prep,
                user,
                ws.workstation,
                record_id=record.record_id,
                record_sha256=record.sha256,
                canonical=None if kept else record.canonical.decode("utf-8"),
            )
        except PreparationClosed as exc:  # sealed at another workstation meanwhile: its record is the one kept
            refusal = exc
    return _read_back(store, prep.id, content, 0, refusal)


def _seal_amendment(ws: Workstation, prep: Preparation, user: User, amending: Amending) -> SealedRecord:
    """The amendment's record (``amend``: it names the record it corrects, the reason and what changed), kept with
    the amendment marked sealed. The record it corrects is not touched."""
    store, content, number = ws.store, preparation_sha256(prep), amending.number
    record = stored_record(store, prep.id, content, amendment=number)
    kept = record is not None
    if record is None:
        record = amend(
            amending.corrects,
            prep,
            store.signatures(prep.id, content, amendment=number),
            prep.attributions,
            reason=amending.amendment.reason,
            changes=amending.changes(),
            number=number,
            site=ws.site,
            workstation=ws.workstation,
            checklist=ws.checklist,
            sealed_at=ws.now(),
            tz=ws.tz,
            database_id=store.audit.database_id(),
        )
    refusal: PreparationClosed | None = None
    if store.amendment(amending.amendment.id).status is not AmendmentStatus.SEALED:
        try:
            store.seal_amendment(
                amending.amendment.id,
                user,
                ws.workstation,
                record_id=record.record_id,
                record_sha256=record.sha256,
                canonical=None if kept else record.canonical.decode("utf-8"),
            )
        except PreparationClosed as exc:  # sealed at another workstation meanwhile: its record is the one kept
            refusal = exc
    return _read_back(store, prep.id, content, number, refusal)


def sealed_elsewhere(ws: Workstation, prep_id: str, record: SealedRecord, user: User) -> str | None:
    """When the kept ``record`` was sealed by someone else or at another workstation (two workstations finished
    the same preparation; this one was slower), the sentence that says who sealed it where and when; else None."""
    sealer = ws.store.records.sealer(prep_id, record.record_id)
    if sealer is None or (sealer.username, sealer.workstation) == (user.username, ws.workstation):
        return None
    return (
        f"Preparation {short_id(prep_id)} was sealed already, by {sealer.full_name} ({sealer.username}) at "
        f"{sealer.workstation} on {when(sealer.at)}. Its record {record.record_id} is the one kept: this "
        "workstation shows, prints and saves that record, not a second one."
    )


def record_outputs(ws: Workstation, record: SealedRecord) -> MadeOutputs:
    """The record PDF, signed with the site certificate (made on first use), and the bag label, each with the
    record's place in the audit chain."""
    site_cert = ensure_site_certificate(ws.data_dir, ws.site)
    anchor = audit_anchor(ws.store, record)
    return MadeOutputs(build_outputs(record, site_cert, label_size=ws.label(), anchor=anchor), site_cert.fingerprint)


def save_record_outputs(ws: Workstation, outputs: RecordOutputs, user: User, prep_id: str) -> tuple[Path, Path, str]:
    """Both PDFs saved in the records folder (raises ``PdfSaveError`` with the sentence), and audited
    (``originals_saved`` for an original: the preparation leaves the unfinished list): the two paths, and "" or
    the sentence saying the audit trail could not be written."""
    return OutputsAudit(ws.store, user, ws.workstation, prep_id, outputs).save_to(ws.records_dir)


# --- every print and save of a record's PDFs is audited ------------------------------------------------------
@dataclass(frozen=True)
class OutputsAudit:
    """Who prints or saves one sealed record's PDFs (the Done screen's, or a reprint's), where, on which
    preparation; every print and save goes to the audit trail."""

    store: Store
    user: User
    workstation: str
    prep_id: str
    outputs: RecordOutputs

    def _write(self, action: AuditAction, summary: str, after: dict[str, object]) -> str:
        """Record an event; returns "" or the sentence saying the audit trail could not be written."""
        try:
            self.store.record_event(
                self.user, self.workstation, action, summary, preparation_id=self.prep_id, after=dict(after)
            )
        except (StorageError, DomainError) as exc:
            return " " + exc.message
        return ""

    def printed(
        self, kind: str, file_name: str, *, printed: bool, message: str, printer: str, copies: int, pages: int
    ) -> str:
        """A print of the record (``kind`` "record") or the label ("label"), done or failed (``message`` says
        which); returns "" or the sentence saying the audit trail could not be written."""
        return self._write(
            print_action(kind, printed),
            message,
            {
                "record_id": self.outputs.record_id,
                "file": file_name,
                "printer": printer,
                "copies": copies,
                "pages": pages,
                "copy": self.outputs.reprint is not None,
            },
        )

    def save_to(self, folder: Path) -> tuple[Path, Path, str]:
        """Both PDFs saved into ``folder`` (raises ``PdfSaveError`` with the sentence), and audited: the two
        paths, and "" or the sentence saying the audit trail could not be written."""
        record_path, label_path = save_outputs(self.outputs, folder)
        copy = self.outputs.reprint is not None
        problem = self._write(
            AuditAction.PDFS_SAVED if copy else AuditAction.ORIGINALS_SAVED,
            f"The {'copies' if copy else 'original PDFs'} of record {self.outputs.record_id} were saved in "
            f"{record_path.parent}.",
            {"record_id": self.outputs.record_id, "files": [str(record_path), str(label_path)], "copy": copy},
        )
        return record_path, label_path, problem


__all__ = [
    "Amending",
    "MadeOutputs",
    "OutputsAudit",
    "record_outputs",
    "save_record_outputs",
    "seal_and_keep",
    "sealed_elsewhere",
]
