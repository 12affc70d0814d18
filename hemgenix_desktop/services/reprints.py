"""A copy of a sealed record: both PDFs of the record in force marked "COPY — reprinted <when> by <who>" on every
page, and the ``record_reprinted`` audit event, with no Qt.

- :func:`reprint`: the copy, audited, for the History window to print or save (moved from ``ui/signing.py``,
  same behaviour, same sentences, same audit event; the History window calls it).
- :func:`reprint_into`: the copy written into a folder, for ``hemgenix-prep reprint RECORD-ID --out DIR``: the
  folder is checked first, both files are written beside their final names, then the reprint is audited, then
  both take their names. A failure leaves neither file behind.

Who reprints is a signed-in user, or the command line's operator (``storage.cli_actor``): their printed name is in
the marking and in the audit event.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from hemgenix_desktop import config
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.private_files import place, private_folder, write_partial
from hemgenix_desktop.records.common import Reprint
from hemgenix_desktop.records.label_pdf import DEFAULT_LABEL_SIZE, LabelSize
from hemgenix_desktop.records.outputs import PdfSaveError, RecordOutputs, build_outputs
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate, load_site_certificate, site_folder
from hemgenix_desktop.services.records import audit_anchor, record_in_force

if TYPE_CHECKING:
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage.writer import Who


@dataclass(frozen=True)
class _Copy:
    record: SealedRecord
    outputs: RecordOutputs
    workstation: str


def _copy(
    store: Store,
    prep_id: str,
    user: Who,
    *,
    data_dir: Path | None,
    workstation: str | None,
    now: datetime | None,
    tz: tzinfo | None,
    label_size: LabelSize,
) -> _Copy:
    """Both PDFs of the record in force, marked as a copy; nothing audited yet."""
    record = record_in_force(store, prep_id, "reprint", "reprinted")
    station = workstation or config.workstation_name()
    site_cert = _site_certificate(data_dir if data_dir is not None else config.data_dir())
    marking = Reprint(at=(now or datetime.now(UTC)), by=user.full_name, tz=tz)
    outputs = build_outputs(
        record, site_cert, label_size=label_size, reprint=marking, anchor=audit_anchor(store, record)
    )
    return _Copy(record, outputs, station)


def _site_certificate(data_dir: Path) -> SiteCertificate:
    """The site certificate a copy is signed with: the one already there. A copy is never signed with a key made for
    it (a mistyped data folder would otherwise get a new site key, and the copy a signature no one trusts)."""
    site_cert = load_site_certificate(data_dir)
    if site_cert is None:
        raise InvalidInput(
            f"There is no site certificate in {site_folder(data_dir)}, so no copy was made: a copy is signed with the "
            "site certificate that signs the site's records, never with a new one. Check the data folder (--data-dir "
            "on the command line), or import the site's certificate first (hemgenix-prep site import-certificate)."
        )
    return site_cert


def _audit(store: Store, prep_id: str, user: Who, copy: _Copy) -> None:
    record, marking = copy.record, copy.outputs.reprint
    assert marking is not None
    store.record_event(
        user,
        copy.workstation,
        AuditAction.RECORD_REPRINTED,
        f"Record {record.record_id} was reprinted as a copy by {user.full_name} ({marking.marking()}).",
        preparation_id=prep_id,
        after={"record_id": record.record_id, "sha256": record.sha256, "marking": marking.marking()},
    )


def reprint(
    store: Store,
    prep_id: str,
    user: Who,
    *,
    data_dir: Path | None = None,
    workstation: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    label_size: LabelSize = DEFAULT_LABEL_SIZE,
) -> RecordOutputs:
    """A copy of a sealed record for the History window: both PDFs marked "COPY — reprinted <when> by <who>"
    on every page, and an audit event. Raises ``InvalidInput`` (not sealed, no record) with the sentence."""
    copy = _copy(
        store,
        prep_id,
        user,
        data_dir=data_dir,
        workstation=workstation,
        now=now,
        tz=tz,
        label_size=label_size,
    )
    _audit(store, prep_id, user, copy)
    return copy.outputs


# --- a copy written into a folder (the command line) ---------------------------------------------------------
@dataclass(frozen=True)
class SavedReprint:
    """What :func:`reprint_into` wrote: the record reprinted (the one in force) and the two files."""

    record: SealedRecord
    outputs: RecordOutputs
    record_path: Path
    label_path: Path


def check_folder(folder: Path) -> None:
    """Refuse, with a sentence (``InvalidInput``), a folder the two PDFs cannot be written into: a file in its
    place, or a folder that cannot be created or written to. A missing folder is fine (it is created)."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder. Give a folder to write the two PDFs into.")
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(
            f"The folder {folder} cannot be written to (Permission denied). Give a folder you may write to."
        )


def _made_folder(folder: Path) -> list[Path]:
    """Create ``folder`` (and its missing parents); returns those created, the deepest first."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        private_folder(folder)  # 0700: the copies hold the patient's name, date of birth and MRN
    except OSError as exc:
        raise InvalidInput(
            f"The folder {folder} cannot be created ({exc.strerror or exc}). Give a folder you may write to."
        ) from exc
    return made


def reprint_into(
    store: Store,
    prep_id: str,
    user: Who,
    folder: Path,
    *,
    data_dir: Path | None = None,
    workstation: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    label_size: LabelSize = DEFAULT_LABEL_SIZE,
) -> SavedReprint:
    """The copy (as :func:`reprint`) written into ``folder`` (created when missing) under the names
    ``RecordOutputs.file_names`` gives. Both files are written in full beside their names, the reprint is
    audited, then they take their names: a failure before the audit leaves nothing (files, or a folder made for
    them) and no event. Raises ``InvalidInput`` (not sealed, no record, an unusable folder, a file of that name
    there already) and ``PdfSaveError`` (a file could not be written) with their sentences."""
    check_folder(folder)
    copy = _copy(
        store,
        prep_id,
        user,
        data_dir=data_dir,
        workstation=workstation,
        now=now,
        tz=tz,
        label_size=label_size,
    )
    names = copy.outputs.file_names()
    targets = (folder / names[0], folder / names[1])
    for target in targets:
        if target.exists():
            raise InvalidInput(f"{target} exists already and is not replaced. Give another folder, or try again.")
    made = _made_folder(folder)
    partials: list[Path] = []
    placed: list[Path] = []
    try:
        for data, target in zip((copy.outputs.record_pdf, copy.outputs.label_pdf), targets, strict=True):
            try:
                partials.append(write_partial(data, target))  # owner-only, whole
            except OSError as exc:
                raise PdfSaveError(
                    f"{target.name} could not be saved in {folder} ({exc.strerror or exc}). Give a folder you may "
                    "write to; nothing was reprinted."
                ) from exc
        _audit(store, prep_id, user, copy)
        for partial, target in zip(partials, targets, strict=True):
            try:
                place(partial, target)
            except OSError as exc:
                raise PdfSaveError(
                    f"{target.name} could not be saved in {folder} ({exc.strerror or exc}). The reprint is in the "
                    "audit trail; give a folder you may write to and reprint again."
                ) from exc
            placed.append(target)
    except BaseException:
        for path in (*partials, *placed):
            with contextlib.suppress(OSError):
                path.unlink()
        for path in made:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    return SavedReprint(copy.record, copy.outputs, *targets)
