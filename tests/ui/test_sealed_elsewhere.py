"""The slower of two workstations finishing one preparation (issue 16, "Seal race"): its Done screen says who
sealed the record, at which workstation and when, and offers that kept record (the same record ID and SHA-256,
printed and saved from it), never a second one."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.signing import SigningSession
from hemgenix_desktop.ui.signing import SigningFlow
from hemgenix_desktop.ui.widgets import MessageLabel
from tests.helpers.preparations import WORKSTATION
from tests.ui.helpers import find
from tests.ui.main_helpers import OFFSCREEN_NOISE
from tests.ui.signing_helpers import make_bench, sign_through

pytestmark = OFFSCREEN_NOISE
OTHER = "PHARM-WS-2"


@pytest.mark.slow  # two signing flows, a record sealed and its PDFs made twice
def test_the_slower_workstation_shows_who_sealed_it_and_offers_the_kept_record(qtbot: QtBot, tmp_path: Path) -> None:
    bench = make_bench(tmp_path)
    prep = bench.started()
    faster = bench.flow(prep)
    qtbot.addWidget(faster)
    sign_through(faster)  # sealed at WORKSTATION by Tara Technician's session
    assert faster.current_key() == "done"
    assert not find(faster, MessageLabel, "doneStatusMessage").isVisibleTo(faster)  # sealed here: nothing to say
    kept = stored_record(bench.store, prep.id)
    assert kept is not None

    other = copy.copy(bench.services)  # the other workstation: same database, its own name and records folder
    other.workstation = OTHER
    other.records_dir = tmp_path / "records-other"
    slower = SigningFlow(bench.store.load(prep.id), other, SigningSession(bench.user("ppharm")), printer=bench.printer)
    qtbot.addWidget(slower)
    qtbot.waitUntil(lambda: slower.current_key() == "done", timeout=60_000)  # sealing runs off the GUI thread
    said = find(slower, MessageLabel, "doneStatusMessage")
    assert said.isVisibleTo(slower)
    assert said.text().startswith(f"Preparation {prep.id[:8]} was sealed already, by Tara Technician (ttech) at")
    assert f"at {WORKSTATION} on" in said.text()
    assert f"Its record {kept.record_id} is the one kept" in said.text()
    assert slower.record is not None
    assert slower.outputs is not None
    assert (slower.record.record_id, slower.record.sha256) == (kept.record_id, kept.sha256)
    assert slower.outputs.record_id == kept.record_id
    assert slower.outputs.reprint is None
    assert sorted(p.name for p in other.records_dir.iterdir()) == [
        f"{kept.record_id}-label.pdf",
        f"{kept.record_id}-record.pdf",
    ]
    assert [e.action for e in bench.store.audit_trail(prep.id)].count("record_sealed") == 1
