"""A kill in the middle of sealing a correction (an amendment of a sealed record): the amendment is either wholly
sealed or not sealed at all, never half, and the original record is never touched.

The preparation is sealed first (the real signing flow, in this process); a correction of its record is saved as
a draft amendment (``Store.start_amendment``: the patient's name and the saline lot corrected). Then the real
signing flow runs on the correction in its own process (tests/reliability/seal_driver.py, amendment mode): the
person who corrected signs "Amended by", the pharmacist passes the blind check and signs "Verified by", and
sealing kills its own process with SIGKILL at one of seven points: before the sealing transaction, after each of
its writes (the record kept; the amendment marked sealed with its search terms; "amendment sealed" audited),
just before COMMIT, just after it, and while the PDFs are being saved. The next start finds either

* the amendment still a draft with its two signatures, no record of it and no "amendment sealed" in the audit
  trail, the record in force still the original, the corrected name not searchable; or
* the amendment sealed, exactly one record of it kept (its two events consecutive, one moment), that record in
  force, naming the original (ID and SHA-256), the corrected name searchable;

and either way the preparation's row, its original signatures and its original record as they were, and the
audit chain intact. Opening the flow on the same correction again then finishes: sealed once, both PDFs saved
whole (no half file left, the original's PDFs unchanged), the amendment's record PDF verifies.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.amendment import apply_corrections
from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.seal import AMENDMENT, ORIGINAL, SealedRecord
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.signing import SigningSession
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.preparations import WORKSTATION
from tests.reliability.seal_driver import AMENDMENT_POINTS, amended_at, amending_of, signing_services
from tests.storage.test_amendments import raw_rows
from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import make_bench, sign_through

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 180
DB_NAME = "hemgenix.sqlite3"  # as make_bench names it
RECORD_SEALED, AMENDMENT_SEALED = "record_sealed", "amendment_sealed"
CORRECTED_NAME = "Alexandra Example"  # the record says "Alex Example"
CORRECTED_WORD = "Alexandra"  # a search for it finds the preparation once the correction is sealed
CORRECTED_LOT = "NS-4477"  # the record says "NS-4471"
REASON = "Patient's first name and the saline lot misread; checked against the order and the bag"
# What the database holds after the kill at each point: the amendment not sealed at all, or wholly sealed.
EXPECTED = {
    "seal-called": AmendmentStatus.DRAFT,
    "after-record-kept": AmendmentStatus.DRAFT,
    "after-marked-sealed": AmendmentStatus.DRAFT,
    "after-sealed": AmendmentStatus.DRAFT,
    "before-commit": AmendmentStatus.DRAFT,
    "after-commit": AmendmentStatus.SEALED,
    "saving-pdfs": AmendmentStatus.SEALED,
}

pytestmark = [pytest.mark.slow, OFFSCREEN_NOISE]


def test_every_point_has_its_expectation() -> None:
    assert tuple(EXPECTED) == AMENDMENT_POINTS


@dataclass(frozen=True)
class Before:
    """What must not change, whatever the kill: the original record, the preparation's row and its original
    signatures (as stored, value for value), and the original's two PDFs."""

    prep_id: str
    amendment_id: str
    original: SealedRecord
    rows: tuple[Any, list[Any]]
    original_pdfs: dict[str, bytes]


@pytest.fixture(scope="module")
def sealed_and_corrected(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Before]:
    """A preparation sealed through the real signing flow (in this process), and a draft correction of its
    record: the folder holding the database, site certificate and records (each test works on a copy of it),
    and what must not change."""
    folder = tmp_path_factory.mktemp("corrected")
    bench = make_bench(folder)
    try:
        prep = bench.started()
        flow = bench.flow(prep)
        sign_through(flow)
        assert flow.current_key() == "done"
        flow.deleteLater()
        store = bench.store
        original = stored_record(store, prep.id)
        assert original is not None
        assert original.kind == ORIGINAL
        corrector = bench.user("ttech")
        corrected, changes = apply_corrections(
            original.preparation(),
            {"patient.full_name": CORRECTED_NAME, "check.diluent_lot": CORRECTED_LOT},
            username=corrector.username,
            printed_name=corrector.full_name,
            at=amended_at(),
            checklist=load_checklist(),
        )
        draft = store.start_amendment(
            corrected,
            reason=REASON,
            changes=[change.to_dict() for change in changes],
            amends_record_id=original.record_id,
            amends_sha256=original.sha256,
            user=corrector,
            workstation=WORKSTATION,
        )
        pdfs = {path.name: path.read_bytes() for path in (folder / "records").iterdir()}
        assert len(pdfs) == 2
        before = Before(prep.id, draft.id, original, raw_rows(store, prep.id), pdfs)
    finally:
        bench.store.close()
    return folder, before


def _check_all_or_nothing(store: Store, before: Before) -> AmendmentStatus:
    """The amendment is a draft untouched by sealing, or sealed with its record kept; the original untouched
    either way. Returns which."""
    prep_id, original = before.prep_id, before.original
    assert store.verify_audit_chain().intact
    assert raw_rows(store, prep_id) == before.rows  # the preparation's row and its original signatures
    assert store.summary(prep_id).status is PreparationStatus.SEALED
    assert stored_record(store, prep_id, amendment=0) == original
    signed = store.signatures(prep_id, amendment=1)  # both committed before sealing began
    assert [s.meaning for s in signed] == [Meaning.AMENDED_BY, Meaning.VERIFIED_BY]

    amendment = store.amendment(before.amendment_id)
    trail = store.audit_trail(prep_id)
    kept = [e for e in trail if e.action == RECORD_SEALED]
    assert kept[0].after["sha256"] == original.sha256  # the original's record, kept when it was sealed
    sealing = [e for e in trail if e.action == AMENDMENT_SEALED or (e.action == RECORD_SEALED and e is not kept[0])]
    found = store.search(patient=CORRECTED_WORD)
    if amendment.status is AmendmentStatus.DRAFT:
        assert sealing == []
        assert (amendment.record_id, amendment.record_sha256) == (None, None)
        assert store.open_amendment(prep_id) == amendment  # found again, to be resumed
        assert stored_record(store, prep_id) == original  # the record in force
        assert stored_record(store, prep_id, amendment=1) is None
        assert found == []  # the corrected name is not the record's yet
        return amendment.status
    assert amendment.status is AmendmentStatus.SEALED
    assert [e.action for e in sealing] == [RECORD_SEALED, AMENDMENT_SEALED]
    assert sealing[1].seq == sealing[0].seq + 1  # one after the other
    assert sealing[0].at == sealing[1].at  # one transaction, one moment
    assert sealing[0].after["amendment"] == 1
    assert store.open_amendment(prep_id) is None
    record = stored_record(store, prep_id)  # the record in force: the amendment
    assert record is not None
    assert record == stored_record(store, prep_id, amendment=1)
    assert record.kind == AMENDMENT
    assert (record.record_id, record.sha256) == (amendment.record_id, amendment.record_sha256)
    assert record.sha256 == sealing[0].after["sha256"]
    assert record.amends is not None
    assert (record.amends.record_id, record.amends.sha256) == (original.record_id, original.sha256)
    assert record.preparation().order.patient.full_name == CORRECTED_NAME  # type: ignore[union-attr]
    assert [s.meaning for s in record.signatures] == [Meaning.AMENDED_BY, Meaning.VERIFIED_BY]
    assert [s.id for s in found] == [prep_id]  # History finds it by the corrected name now
    return amendment.status


@pytest.mark.parametrize("point", AMENDMENT_POINTS)
def test_a_kill_inside_sealing_an_amendment_leaves_it_wholly_sealed_or_not_at_all(
    point: str, sealed_and_corrected: tuple[Path, Before], qtbot: QtBot, tmp_path: Path
) -> None:
    template, before = sealed_and_corrected
    folder = tmp_path / "bench"
    shutil.copytree(template, folder)  # this test's own copy of the sealed preparation and its draft correction
    url = f"sqlite:///{folder / DB_NAME}"

    driver = [sys.executable, "-m", "tests.reliability.seal_driver", url, str(folder), before.prep_id, point]
    result = subprocess.run(
        [*driver, before.amendment_id],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr[-3000:]
    assert result.stdout.splitlines() == ["SEALING"]

    with Store.open(url) as store:  # the next start
        assert _check_all_or_nothing(store, before) is EXPECTED[point]

        user = store.users.get("ttech")
        assert user is not None
        flow = SigningFlow(  # the same correction opened again: it finishes
            store.load_amendment(before.amendment_id),
            signing_services(store, folder, amended_at()),
            SigningSession(user),
            amending=amending_of(store, before.amendment_id),
        )
        qtbot.addWidget(flow)
        # opened again, it finishes the sealing on a worker thread (busy state), then shows Done
        qtbot.waitUntil(lambda: flow.current_key() == "done", timeout=60_000)
        assert _check_all_or_nothing(store, before) is AmendmentStatus.SEALED
        trail = store.audit_trail(before.prep_id)
        assert [e.after.get("amendment", 0) for e in trail if e.action == RECORD_SEALED] == [0, 1]  # sealed once
        assert [e.action for e in trail].count(AMENDMENT_SEALED) == 1
        assert flow.record is not None
        assert flow.record == stored_record(store, before.prep_id)
        record_name, label_name = f"{flow.record.record_id}-record.pdf", f"{flow.record.record_id}-label.pdf"
        records = folder / "records"
        names = sorted(p.name for p in records.iterdir())
        assert names == sorted([*before.original_pdfs, record_name, label_name])  # no half file left
        assert {name: (records / name).read_bytes() for name in before.original_pdfs} == before.original_pdfs
        verified = verify_record_pdf((records / record_name).read_bytes(), trusted_certificates(folder / "data"))
        assert verified.sha256 == flow.record.sha256
        assert verified.sha256 != before.original.sha256
