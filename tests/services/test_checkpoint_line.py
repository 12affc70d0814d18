"""The checkpoint line printed on every record page and on the label (issue 15): the event that closed the sealing
(the chain's head when it committed), 16 digits of its hash, its time and the database, the same head the
checkpoint written right after the seal names; inside the signed PDF, so verify reads it back; a record rendered on
its own (an old record, a fixture) prints none and still verifies."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from hemgenix_desktop.config import ENV_CHECKPOINT_DIR
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.checkpoints import checkpoint_files, read_checkpoint
from hemgenix_desktop.security.site_keys import load_site_certificate, trusted_certificates
from hemgenix_desktop.services.reprints import reprint
from hemgenix_desktop.services.sealing import record_outputs
from tests.services.bench import Bench, make_bench
from tests.services.test_sealing import fully_signed


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    monkeypatch.setenv(ENV_CHECKPOINT_DIR, str(tmp_path / "checkpoints"))
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.slow
def test_every_page_and_the_label_print_the_head_the_sealing_checkpoint_names(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    made = record_outputs(bench.ws, record).outputs
    (checkpoint_file,) = checkpoint_files(bench.tmp / "checkpoints")
    checkpoint = read_checkpoint(
        checkpoint_file.read_text(encoding="utf-8"), trusted_certificates(bench.ws.data_dir), checkpoint_file.name
    )
    assert checkpoint.seq == bench.store.audit.head()[0]  # nothing else was written after the seal
    database_id = bench.store.audit.database_id()
    assert database_id is not None
    assert checkpoint.database_id == database_id
    events = {e.seq: e for e in bench.store.audit_trail(process.prep.id)}
    closing = events[checkpoint.seq]
    assert closing.action == "preparation_sealed"
    assert events[checkpoint.seq - 1].action == "record_sealed"
    line = (
        f"Audit trail: sealed at event {checkpoint.seq} · hash {checkpoint.head_hash[:16]} · "
        f"{closing.at:%Y-%m-%d %H:%M} UTC · database {database_id[:16]}"
    )
    pages = _texts(made.record_pdf)
    assert len(pages) > 1
    assert all(line in text for text in pages), pages[0][-400:]
    label = _texts(made.label_pdf)[0]
    assert f"Audit event {checkpoint.seq} · {checkpoint.head_hash[:16]} · db {database_id[:8]}" in (
        " ".join(label.split())
    )
    result = verify_record_pdf(made.record_pdf, trusted_certificates(bench.ws.data_dir))
    assert result.audit_line == line
    # the checkpoint's head hash, in base64 in the note, is the event printed
    assert base64.b64decode(checkpoint_file.read_text(encoding="utf-8").splitlines()[2]).hex() == closing.hash


@pytest.mark.slow
def test_a_reprint_prints_the_same_line(bench: Bench) -> None:
    process = fully_signed(bench)
    record = process.seal()
    original = verify_record_pdf(
        record_outputs(bench.ws, record).outputs.record_pdf, trusted_certificates(bench.ws.data_dir)
    )
    bench.store.record_event(bench.user("ppharm"), "WS", AuditAction.SCREEN_LOCKED, "locked")  # the chain moves on
    copy = reprint(
        bench.store,
        process.prep.id,
        bench.user("ppharm"),
        data_dir=bench.ws.data_dir,
        workstation=bench.ws.workstation,
    )
    again = verify_record_pdf(copy.record_pdf, trusted_certificates(bench.ws.data_dir))
    assert original.audit_line is not None
    assert again.audit_line == original.audit_line


@pytest.mark.slow
def test_a_record_made_without_its_database_prints_no_line_and_still_verifies(bench: Bench) -> None:
    record = fully_signed(bench).seal()
    record_outputs(bench.ws, record)  # makes the site certificate
    site = load_site_certificate(bench.ws.data_dir)
    assert site is not None
    pdf = build_record_pdf(record, site)  # as the golden texts and old records are made: no anchor
    assert not any("Audit trail:" in text for text in _texts(pdf))
    assert verify_record_pdf(pdf, trusted_certificates(bench.ws.data_dir)).audit_line is None


@pytest.mark.slow
def test_pages_that_print_different_lines_are_not_verified(bench: Bench) -> None:
    from hemgenix_desktop.records import verify

    record = fully_signed(bench).seal()
    pdf = record_outputs(bench.ws, record).outputs.record_pdf
    site = trusted_certificates(bench.ws.data_dir)
    texts = iter(["x", "y", "z", "w", "v", "u"])
    original = verify._printed

    def mixed(data: bytes) -> tuple[list[str | None], set[str | None]]:
        hashes, _lines = original(data)
        return hashes, {f"Audit trail: sealed at event {next(texts)}", None}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify, "_printed", mixed)
        with pytest.raises(RecordNotVerified) as refused:
            verify_record_pdf(pdf, site)
    assert refused.value.message == (
        "The pages do not all print the same audit trail line: the PDF was not made by this program."
    )
