"""Sealing with no Qt: the record and its audit event, sealing twice, a sealing cut short, the PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.outputs import PdfSaveError
from hemgenix_desktop.security.seal import preparation_sha256
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.sealing import OutputsAudit, record_outputs, save_record_outputs, seal_and_keep
from hemgenix_desktop.services.signing import SigningProcess, Step, read_blind_check
from hemgenix_desktop.storage import StorageError
from tests.helpers.people import PASSWORDS
from tests.services.bench import Bench, make_bench


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def fully_signed(bench: Bench) -> SigningProcess:
    process = bench.process(bench.started())
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert process.next_step() is Step.SEAL
    return process


def test_sealing_produces_the_record_and_its_audit_event(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    prep_id = process.prep.id
    assert bench.store.summary(prep_id).status is PreparationStatus.SEALED
    assert record.data["content_sha256"] == preparation_sha256(process.prep)
    assert [s.meaning.value for s in record.signatures] == ["Prepared by", "Verified by"]
    assert stored_record(bench.store, prep_id) == record
    actions = [action for action, _who in bench.actions(prep_id)]
    assert actions[-3:] == ["preparation_signed", "record_sealed", "preparation_sealed"]
    assert process.next_step() is Step.SEAL  # sealed: nothing is left to sign


def test_sealing_twice_keeps_one_record(bench: Bench) -> None:
    process = fully_signed(bench)
    first = process.seal()
    again = seal_and_keep(bench.ws, process.prep, bench.user("ttech"))
    assert again == first
    assert [a for a, _ in bench.actions(process.prep.id)].count("record_sealed") == 1


def test_the_store_refuses_a_second_seal_of_a_sealed_preparation(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    with pytest.raises((DomainError, StorageError)):
        bench.store.seal_preparation(
            process.prep,
            bench.user("ttech"),
            bench.ws.workstation,
            record_id=record.record_id,
            record_sha256=record.sha256,
            canonical=record.canonical.decode("utf-8"),
        )
    assert [a for a, _ in bench.actions(process.prep.id)].count("record_sealed") == 1


def test_a_preparation_not_fully_signed_cannot_be_sealed(bench: Bench) -> None:
    process = bench.process(bench.started())
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    with pytest.raises(DomainError):
        process.seal()
    assert bench.store.summary(process.prep.id).status is PreparationStatus.DRAFT
    assert stored_record(bench.store, process.prep.id) is None


@pytest.mark.slow
def test_a_sealing_cut_after_the_record_was_kept_is_finished_with_the_same_record(bench: Bench) -> None:
    """Sealed and kept, then the program stopped before the PDFs: opened again it finds the same record."""
    process = fully_signed(bench)
    record = process.seal()
    reopened = SigningProcess(bench.store.load(process.prep.id), bench.ws, process.session)
    assert reopened.next_step() is Step.SEAL
    assert reopened.seal() == record


@pytest.mark.slow
def test_the_pdfs_are_made_with_the_site_certificate_and_saved(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    made = record_outputs(bench.ws, record)
    assert made.outputs.record_id == record.record_id
    assert len(made.fingerprint) > 20
    assert [s.id for s in bench.store.preparations.outputs_not_saved()] == [process.prep.id]  # sealed, no PDF saved yet
    record_path, label_path, problem = save_record_outputs(bench.ws, made.outputs, bench.user("ttech"), process.prep.id)
    assert problem == ""
    assert bench.store.preparations.outputs_not_saved() == []  # the originals are saved: no longer unfinished
    assert record_path.parent == bench.ws.records_dir
    assert record_path.read_bytes().startswith(b"%PDF")
    assert label_path.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_pdfs_that_cannot_be_saved_say_why(bench: Bench) -> None:
    process = fully_signed(bench)
    made = record_outputs(bench.ws, process.seal())
    bench.ws.records_dir = bench.tmp / "a-file"
    bench.ws.records_dir.write_text("not a folder")
    with pytest.raises(PdfSaveError):
        save_record_outputs(bench.ws, made.outputs, bench.user("ttech"), process.prep.id)
    assert [s.id for s in bench.store.preparations.outputs_not_saved()] == [process.prep.id]  # still to be saved


@pytest.mark.slow
def test_every_print_and_save_of_the_pdfs_is_audited(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    made = record_outputs(bench.ws, record)
    audit = OutputsAudit(bench.store, bench.user("ttech"), bench.ws.workstation, process.prep.id, made.outputs)
    assert (
        audit.printed("label", "label.pdf", printed=True, message="Printed.", printer="Zebra", copies=1, pages=1) == ""
    )
    assert audit.printed("record", "r.pdf", printed=False, message="No printer.", printer="", copies=0, pages=0) == ""
    record_path, label_path, problem = audit.save_to(bench.tmp / "chosen")
    assert problem == ""
    assert record_path.parent == bench.tmp / "chosen"
    assert label_path.exists()
    trail = {e.action: e for e in bench.store.audit_trail(process.prep.id)}
    assert trail["label_printed"].after == {
        "record_id": record.record_id,
        "file": "label.pdf",
        "printer": "Zebra",
        "copies": 1,
        "pages": 1,
        "copy": False,
    }
    assert trail["record_print_failed"].summary == "No printer."
    assert trail["originals_saved"].after["files"] == [str(record_path), str(label_path)]
