"""One call for what Print, Save PDF and a History reprint need: both PDFs of a sealed record, and saving them.

The UI shows the sentences of :class:`PdfSaveError`; a failed print leaves the saved files in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.private_files import write_private
from hemgenix_desktop.records.common import AuditAnchor, Reprint
from hemgenix_desktop.records.label_pdf import DEFAULT_LABEL_SIZE, LabelSize, build_label_pdf
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate


class PdfSaveError(DomainError):
    """A PDF could not be written; the message names the file and what to do."""


@dataclass(frozen=True)
class RecordOutputs:
    record_id: str
    record_pdf: bytes  # signed, with the sealed record attached
    label_pdf: bytes
    reprint: Reprint | None

    def file_names(self) -> tuple[str, str]:
        """``HGX-…-record.pdf`` and ``HGX-…-label.pdf``; a reprint adds ``-copy-<UTC time>``."""
        suffix = "" if self.reprint is None else f"-copy-{self.reprint.at.strftime('%Y%m%dT%H%M%S')}"
        return f"{self.record_id}-record{suffix}.pdf", f"{self.record_id}-label{suffix}.pdf"


def build_outputs(
    record: SealedRecord,
    site: SiteCertificate,
    *,
    label_size: LabelSize = DEFAULT_LABEL_SIZE,
    reprint: Reprint | None = None,
    anchor: AuditAnchor | None = None,
) -> RecordOutputs:
    """The signed record PDF and the bag label of a sealed record (a reprint marks both "COPY"; ``anchor``: the
    record's place in the audit chain, printed on both)."""
    return RecordOutputs(
        record_id=record.view.record_id,
        record_pdf=build_record_pdf(record, site, reprint=reprint, anchor=anchor),
        label_pdf=build_label_pdf(record, size=label_size, reprint=reprint, anchor=anchor),
        reprint=reprint,
    )


def save_pdf(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` whole or not at all, owner-only (0600; a folder made for it 0700): the PDFs hold
    the patient's name, date of birth and MRN (private_files.py)."""
    try:
        write_private(path, data)
    except OSError as exc:
        raise PdfSaveError(
            f"{path.name} could not be saved in {path.parent} ({exc.strerror or exc}). Choose a folder you can "
            "write to and save again; the record itself is kept."
        ) from exc
    return path


def save_outputs(outputs: RecordOutputs, folder: Path) -> tuple[Path, Path]:
    """Save both PDFs into ``folder``; returns their paths."""
    record_name, label_name = outputs.file_names()
    return save_pdf(outputs.record_pdf, folder / record_name), save_pdf(outputs.label_pdf, folder / label_name)
