"""Sealed, its PDFs never saved (issue 16): the program killed after the sealing's COMMIT, before the files.

The real signing flow runs in its own process (``seal_driver.py``, point ``after-commit``) and is killed with
SIGKILL right after the sealing transaction committed: the preparation is sealed, its record kept, and no record
or label PDF was made. The next start lists it among the unfinished work, "Sealed — the record and label were not
saved", and resuming it makes the ORIGINALS (not a COPY) from the sealed record, saves them, and takes it off the
list.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services import drafting
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signing import SigningFlow
from tests.reliability.seal_driver import signing_services
from tests.ui.helpers import click
from tests.ui.main_helpers import OFFSCREEN_NOISE, sign_in
from tests.ui.signing_helpers import FakePrinter, make_bench

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 180
NOT_SAVED = "Sealed — the record and label were not saved"

pytestmark = [pytest.mark.slow, OFFSCREEN_NOISE]


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_a_kill_after_the_commit_is_listed_and_resuming_makes_the_originals(qtbot: QtBot, tmp_path: Path) -> None:
    bench = make_bench(tmp_path)
    prep = bench.started()
    url = str(bench.store.engine.url)
    bench.store.close()

    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.seal_driver", url, str(tmp_path), prep.id, "after-commit"],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr[-3000:]
    records = tmp_path / "records"
    assert not records.exists() or list(records.iterdir()) == []  # killed before any file

    with Store.open(url) as store:  # the next start
        assert store.summary(prep.id).status is PreparationStatus.SEALED
        kept = stored_record(store, prep.id)
        assert kept is not None
        assert [s.id for s in store.preparations.outputs_not_saved()] == [prep.id]
        listed = drafting.resumable(store)
        assert [s.id for s in listed] == [prep.id]
        assert listed[0].outputs_pending
        assert drafting.resume_in(listed[0]) is drafting.ResumeIn.SIGNING

        window = MainWindow(signing_services(store, tmp_path), printer=FakePrinter())
        window.resize(1366, 768)
        qtbot.addWidget(window, before_close_func=lambda w: w.quit_without_asking())  # type: ignore[attr-defined]
        window.show()
        sign_in(window, "ttech")
        assert window.stack.currentWidget() is window.resume
        table = window.resume.table
        assert table.rowCount() == 1
        assert table.item(0, 3).text() == NOT_SAVED

        click(window.resume, "resumeButton")  # opening it makes the originals from the sealed record
        flow = window.signing
        assert isinstance(flow, SigningFlow)
        assert flow.current_key() == "done"
        assert flow.record is not None
        assert (flow.record.record_id, flow.record.sha256) == (kept.record_id, kept.sha256)
        assert flow.outputs is not None
        assert flow.outputs.reprint is None  # the originals, not a copy
        record_pdf = records / f"{kept.record_id}-record.pdf"
        label_pdf = records / f"{kept.record_id}-label.pdf"
        assert sorted(p.name for p in records.iterdir()) == sorted([record_pdf.name, label_pdf.name])
        verified = verify_record_pdf(record_pdf.read_bytes(), trusted_certificates(tmp_path / "data"))
        assert verified.sha256 == kept.sha256
        assert "COPY" not in _pdf_text(record_pdf)
        assert "COPY" not in _pdf_text(label_pdf)

        assert [e.action for e in store.audit_trail(prep.id)].count("record_sealed") == 1  # not sealed again
        assert store.preparations.outputs_not_saved() == []  # off the list
        assert drafting.resumable(store) == []
        assert store.verify_audit_chain().intact
