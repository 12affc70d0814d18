"""A copy of the record in force (services/reprints.py): both PDFs marked COPY, one ``record_reprinted`` audit event,
and, written into a folder, nothing left behind when it fails; on a real SQLite database holding real sealed
records, with no Qt."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.records.outputs import PdfSaveError
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services.reprints import reprint, reprint_into
from hemgenix_desktop.storage import Actor, AuditEvent, StorageError
from tests.cli.sealed_store import PREP_ID, Sealed, correct, draft_preparation, sealed_store
from tests.helpers import preparations as factory
from tests.reliability.faults import READ_ONLY, read_only

WHEN = datetime(2026, 12, 3, 16, 15, tzinfo=UTC)
MARKING = "COPY — reprinted 2026-12-03 10:15 CST by Pat Pharmacist"
OPERATOR = Actor("cli:pat", "command line, operating-system account pat")


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[Sealed]:
    made = sealed_store(tmp_path / "records.sqlite3")
    yield made
    made.store.close()


def texts(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def reprints(sealed: Sealed) -> list[AuditEvent]:
    return [e for e in sealed.store.audit_trail(PREP_ID) if e.action == AuditAction.RECORD_REPRINTED]


@pytest.mark.slow
def test_a_reprint_of_a_corrected_record_is_the_amendment_in_force_marked_copy_and_audited(
    sealed: Sealed, tmp_path: Path
) -> None:
    amended = correct(sealed)
    data = tmp_path / "data"
    outputs = reprint(
        sealed.store,
        PREP_ID,
        sealed.people.pharmacist,
        data_dir=data,
        workstation="PHARM-WS-01",
        now=WHEN,
        tz=factory.ZONE,
    )
    assert outputs.record_id == amended.record_id
    assert MARKING in texts(outputs.record_pdf)
    assert MARKING in texts(outputs.label_pdf)
    assert verify_record_pdf(outputs.record_pdf, trusted_certificates(data)).sha256 == amended.sha256
    events = sealed.store.audit_trail(PREP_ID)
    assert [e for e in events if e.action == AuditAction.RECORD_REPRINTED] == [events[-1]]
    event = events[-1]
    assert (event.username, event.workstation) == ("ppharm", "PHARM-WS-01")
    assert event.summary == f"Record {amended.record_id} was reprinted as a copy by Pat Pharmacist ({MARKING})."
    assert event.after == {"record_id": amended.record_id, "sha256": amended.sha256, "marking": MARKING}


def test_only_a_sealed_preparation_is_reprinted(sealed: Sealed, tmp_path: Path) -> None:
    draft = draft_preparation(sealed.store, sealed.people.tech)
    before = len(sealed.store.audit_trail())
    with pytest.raises(InvalidInput) as caught:
        reprint(sealed.store, draft, sealed.people.pharmacist, data_dir=tmp_path / "data")
    assert caught.value.message == (
        f"Preparation {draft[:8]} is not sealed, so it has no record to reprint. Finish its signatures first."
    )
    assert len(sealed.store.audit_trail()) == before


@pytest.mark.slow
def test_a_reprint_into_a_folder_writes_both_copies_and_one_event(sealed: Sealed, tmp_path: Path) -> None:
    folder = tmp_path / "out" / "copies"  # made, with its parent
    saved = reprint_into(
        sealed.store,
        PREP_ID,
        OPERATOR,
        folder,
        data_dir=tmp_path / "data",
        now=WHEN,
        tz=factory.ZONE,
    )
    record_id = sealed.original.record_id
    assert saved.record == sealed.original
    assert (saved.record_path.name, saved.label_path.name) == (
        f"{record_id}-record-copy-20261203T161500.pdf",
        f"{record_id}-label-copy-20261203T161500.pdf",
    )
    assert sorted(folder.iterdir()) == sorted([saved.record_path, saved.label_path])
    marking = "COPY — reprinted 2026-12-03 10:15 CST by command line, operating-system account pat"
    assert marking in texts(saved.record_path.read_bytes())
    assert marking in texts(saved.label_path.read_bytes())
    (event,) = reprints(sealed)
    assert (event.username, event.full_name, event.after["marking"]) == (
        "cli:pat",
        "command line, operating-system account pat",
        marking,
    )


def test_a_file_where_the_folder_should_be_is_refused_before_anything_is_made(sealed: Sealed, tmp_path: Path) -> None:
    in_the_way = tmp_path / "copies"
    in_the_way.write_text("not a folder")
    data_files = sorted((tmp_path / "data").rglob("*"))
    with pytest.raises(InvalidInput) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, in_the_way, data_dir=tmp_path / "data")
    assert caught.value.message == f"{in_the_way} is a file, not a folder. Give a folder to write the two PDFs into."
    assert in_the_way.read_text() == "not a folder"
    assert reprints(sealed) == []
    assert sorted((tmp_path / "data").rglob("*")) == data_files  # nothing made in the data folder either


@pytest.mark.parametrize("data", ["typo", "no-such/folder"])
def test_a_data_folder_without_the_site_certificate_makes_no_key_and_no_copy(
    sealed: Sealed, tmp_path: Path, data: str
) -> None:
    """A mistyped data folder would have got a new site key, and the copy a signature nobody trusts: refused."""
    folder = tmp_path / "copies"
    with pytest.raises(InvalidInput) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / data)
    assert caught.value.message == (
        f"There is no site certificate in {tmp_path / data / 'site-signing'}, so no copy was made: a copy is signed "
        "with the site certificate that signs the site's records, never with a new one. Check the data folder "
        "(--data-dir on the command line), or import the site's certificate first (hemgenix-prep site "
        "import-certificate)."
    )
    assert not (tmp_path / data).exists()
    assert not folder.exists()
    assert reprints(sealed) == []


@pytest.mark.slow
def test_a_folder_under_a_file_cannot_be_made_and_nothing_is_left(sealed: Sealed, tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("x")
    folder = tmp_path / "a file" / "copies"
    with pytest.raises(InvalidInput) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / "data", now=WHEN)
    assert caught.value.message == (
        f"The folder {folder} cannot be created (Not a directory). Give a folder you may write to."
    )
    assert reprints(sealed) == []


@pytest.mark.slow
def test_a_copy_already_there_is_not_replaced(sealed: Sealed, tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    first = reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / "data", now=WHEN)
    kept = first.record_path.read_bytes()
    with pytest.raises(InvalidInput) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / "data", now=WHEN)
    assert caught.value.message == (
        f"{first.record_path} exists already and is not replaced. Give another folder, or try again."
    )
    assert first.record_path.read_bytes() == kept
    assert len(reprints(sealed)) == 1


@pytest.mark.slow
def test_a_reprint_the_database_cannot_audit_leaves_no_file_and_no_folder(sealed: Sealed, tmp_path: Path) -> None:
    folder = tmp_path / "new folder"
    with read_only(sealed.store), pytest.raises(StorageError) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / "data", now=WHEN)
    assert caught.value.message == READ_ONLY
    assert not folder.exists()
    assert reprints(sealed) == []


def test_a_file_that_cannot_be_written_leaves_nothing_behind(
    sealed: Sealed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The label cannot be written (the disk filled up after the record): the record's file goes too, no event."""
    from hemgenix_desktop.services import reprints as module

    real = module.write_partial

    def full_on_the_label(data: bytes, path: Path, **options: bool) -> Path:
        if "-label-" in path.name:
            raise OSError(28, "No space left on device")
        return real(data, path, **options)

    monkeypatch.setattr(module, "write_partial", full_on_the_label)
    folder = tmp_path / "copies"
    folder.mkdir()
    with pytest.raises(PdfSaveError) as caught:
        reprint_into(sealed.store, PREP_ID, OPERATOR, folder, data_dir=tmp_path / "data", now=WHEN)
    label = f"{sealed.original.record_id}-label-copy-20261203T161500.pdf"
    assert caught.value.message == (
        f"{label} could not be saved in {folder} (No space left on device). Give a folder you may write to; "
        "nothing was reprinted."
    )
    assert list(folder.iterdir()) == []
    assert reprints(sealed) == []
