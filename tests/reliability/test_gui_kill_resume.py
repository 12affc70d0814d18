"""Nothing lost: the real program is killed (SIGKILL) right after a page was saved; started again, it offers the
preparation and the wizard shows every value entered."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from hemgenix_desktop.storage import PreparationStatus
from tests.ui.helpers import ORDER, click, find, press_next
from tests.ui.main_helpers import (
    OFFSCREEN_NOISE,
    add_people,
    db_url,
    make_main,
    open_store,
    services,
    sign_in,
    wizard_of,
)

ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT_S = 120
KILL_ON = "SAVED kit"  # page 4 (weight) was saved: the preparation resumes at page 5 (kit)

pytestmark = [pytest.mark.slow, OFFSCREEN_NOISE]


def run_until_killed(url: str) -> list[str]:
    """Start the driver, read its lines, and kill it with SIGKILL on ``KILL_ON``. Returns the lines read."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.gui_driver", url],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.strip())
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while True:
            line = lines.get(timeout=LINE_TIMEOUT_S)
            assert line is not None, f"the driver ended before {KILL_ON!r}: {seen}"
            seen.append(line)
            if line == KILL_ON:
                process.send_signal(signal.SIGKILL)
                break
        assert process.wait(timeout=LINE_TIMEOUT_S) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=LINE_TIMEOUT_S)  # the pipe ends with the process
        assert process.stdout is not None
        process.stdout.close()
    return seen


def test_a_preparation_killed_after_a_saved_page_resumes_with_every_value(qtbot: QtBot, tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        add_people(store)
    lines = run_until_killed(db_url(tmp_path))
    assert lines[0].startswith("PREPARATION ")
    prep_id = lines[0].split()[1]
    assert lines[1:] == ["SAVED eligibility", "SAVED identity", "SAVED weight", "SAVED kit"]

    store = open_store(tmp_path)  # the next start
    try:
        assert store.verify_audit_chain().intact
        window = make_main(services(store), qtbot)
        window.show()
        sign_in(window, "ttech")
        assert window.stack.currentWidget() is window.resume
        assert [s.id for s in window.resume.summaries] == [prep_id]
        assert window.resume.table.item(0, 3).text() == "Step 5 of 8: kit carton and vial count"
        click(window, "resumeButton")
        wizard = wizard_of(window)
        assert wizard.current_key() == "kit"
        assert find(wizard, QLineEdit, "kitScanField").text() == ""  # typed after the last save: not kept

        wizard.go_to("weight")
        assert find(wizard, QLineEdit, "weightEdit").text() == "72"
        assert find(wizard, QRadioButton, "weightUnitKg").isChecked()
        assert find(wizard, QLineEdit, "weightMeasuredAtEdit").text() == "2026-11-29 08:15"
        assert find(wizard, QComboBox, "weightMethodCombo").currentData() == "Standing scale"
        wizard.go_to("identity")
        assert find(wizard, QLineEdit, "identityCartonIdEdit").text() == "HGX-PSI-7731"
        assert find(wizard, QLineEdit, "identityDateOfBirthEdit").text() == "1980-03-15"
        wizard.go_to("eligibility")
        assert find(wizard, QRadioButton, "eligibilityAuthorizationYes").isChecked()
        assert find(wizard, QRadioButton, "eligibilityPriorGeneTherapyNo").isChecked()
        assert find(wizard, QLineEdit, "eligibilityInhibitorEdit").text() == "0.1"
        assert find(wizard, QLineEdit, "eligibilityTitreEdit").text() == "1:300"
        assert find(wizard, QRadioButton, "eligibilityAssay9").isChecked()
        wizard.go_to("order")
        for name, value in ORDER.items():
            assert find(wizard, QLineEdit, name).text() == value, name
        assert find(wizard, QRadioButton, "orderWeightUnitKg").isChecked()

        while wizard.current_key() != "kit":  # every restored page passes its checks again
            press_next(wizard)
        assert not find(wizard, QAbstractButton, "wizardNextButton").isEnabled()  # page 5 waits for the carton
        assert store.summary(prep_id).status is PreparationStatus.DRAFT
    finally:
        store.close()
