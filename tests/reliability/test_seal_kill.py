"""A kill in the middle of sealing: the record is either wholly sealed or not sealed at all, never half.

The real signing flow runs in its own process (tests/reliability/seal_driver.py) and kills itself with SIGKILL
at one of seven points inside sealing: before the sealing transaction, after each of its three writes, just
before COMMIT, just after it, and while the PDFs are being saved. The next start finds either

* the draft exactly as it was, both signatures kept, and none of "signed", "record sealed", "sealed" in the
  audit trail; or
* the preparation sealed, with exactly one sealed record in the audit trail, written in the same transaction
  (consecutive events, one moment) as "signed" and "sealed";

the audit chain intact either way. Opening the signing flow again then finishes: the record is sealed (once),
both PDFs saved whole, the record PDF verifies. Store-level: a failed COMMIT of the sealing transaction leaves
nothing of it either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.signing import SigningSession
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.ui.signing import SigningFlow
from tests.helpers.preparations import signed
from tests.reliability.faults import commit_fails
from tests.reliability.seal_driver import POINTS, signing_services
from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import make_bench

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 180
SEALING_ACTIONS = ("preparation_signed", "record_sealed", "preparation_sealed")
# What the database holds after the kill at each point: not sealed at all, or wholly sealed.
EXPECTED = {
    "seal-called": PreparationStatus.DRAFT,
    "after-signed": PreparationStatus.DRAFT,
    "after-record-kept": PreparationStatus.DRAFT,
    "after-sealed": PreparationStatus.DRAFT,
    "before-commit": PreparationStatus.DRAFT,
    "after-commit": PreparationStatus.SEALED,
    "saving-pdfs": PreparationStatus.SEALED,
}

pytestmark = [pytest.mark.slow, OFFSCREEN_NOISE]


def test_every_point_has_its_expectation() -> None:
    assert tuple(EXPECTED) == POINTS


def _actions(store: Store, prep_id: str) -> list[str]:
    return [e.action for e in store.audit_trail(prep_id)]


def _check_all_or_nothing(store: Store, prep_id: str, before: dict[str, object]) -> PreparationStatus:
    """The preparation is a draft untouched by sealing, or sealed with the record kept; returns which."""
    assert store.verify_audit_chain().intact
    status = store.summary(prep_id).status
    trail = store.audit_trail(prep_id)
    actions = [e.action for e in trail]
    assert len(store.signatures(prep_id)) == 2  # both signatures were committed before sealing began
    if status is PreparationStatus.DRAFT:
        assert [a for a in actions if a in SEALING_ACTIONS] == []
        assert stored_record(store, prep_id) is None
        assert store.load(prep_id).to_dict() == before
        return status
    assert status is PreparationStatus.SEALED
    sealing = [e for e in trail if e.action in SEALING_ACTIONS]
    assert [e.action for e in sealing] == list(SEALING_ACTIONS)
    assert [e.seq for e in sealing] == list(range(sealing[0].seq, sealing[0].seq + 3))  # one after the other
    assert len({e.at for e in sealing}) == 1  # one transaction, one moment
    record = stored_record(store, prep_id)
    assert record is not None
    assert record.sha256 == sealing[1].after["sha256"]
    return status


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_inside_sealing_leaves_it_wholly_sealed_or_not_at_all(point: str, qtbot: QtBot, tmp_path: Path) -> None:
    bench = make_bench(tmp_path)
    prep = bench.started()
    before = bench.store.load(prep.id).to_dict()
    url = str(bench.store.engine.url)
    bench.store.close()

    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.seal_driver", url, str(tmp_path), prep.id, point],
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
        assert _check_all_or_nothing(store, prep.id, before) is EXPECTED[point]

        services = signing_services(store, tmp_path)
        user = store.users.get("ttech")
        assert user is not None
        flow = SigningFlow(store.load(prep.id), services, SigningSession(user))  # opened again: it finishes
        qtbot.addWidget(flow)
        # opened again, it finishes the sealing on a worker thread (busy state), then shows Done
        qtbot.waitUntil(lambda: flow.current_key() == "done", timeout=60_000)
        assert _check_all_or_nothing(store, prep.id, before) is PreparationStatus.SEALED
        assert _actions(store, prep.id).count("record_sealed") == 1
        assert flow.record is not None
        record_name, label_name = f"{flow.record.record_id}-record.pdf", f"{flow.record.record_id}-label.pdf"
        records = tmp_path / "records"
        assert sorted(p.name for p in records.iterdir()) == sorted([record_name, label_name])  # no half file left
        verified = verify_record_pdf((records / record_name).read_bytes(), trusted_certificates(tmp_path / "data"))
        assert verified.sha256 == flow.record.sha256


def test_a_failed_commit_of_the_sealing_transaction_leaves_nothing_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same all-or-nothing, in one process: the database refuses the COMMIT (a full disk, say)."""
    bench = make_bench(tmp_path)
    try:
        store = bench.store
        prep = bench.started()
        for signature in signed(prep).signatures:
            store.add_signature(prep.id, signature)
        before = store.load(prep.id).to_dict()
        user = bench.user("ttech")
        seal_args = {"record_id": "HGX-TEST-1", "record_sha256": "0" * 64, "canonical": "{}"}
        with commit_fails(store, monkeypatch) as failures, pytest.raises(StorageError):
            store.seal_preparation(prep, user, "hood-1", **seal_args)
        assert failures == [1]
        assert store.summary(prep.id).status is PreparationStatus.DRAFT
        assert [a for a in _actions(store, prep.id) if a in SEALING_ACTIONS] == []
        assert store.load(prep.id).to_dict() == before
        assert store.verify_audit_chain().intact
        store.seal_preparation(prep, user, "hood-1", **seal_args)
        assert store.summary(prep.id).status is PreparationStatus.SEALED
        assert [a for a in _actions(store, prep.id) if a in SEALING_ACTIONS] == list(SEALING_ACTIONS)
        assert store.verify_audit_chain().intact
    finally:
        bench.store.close()
