"""Crash at every step: for each of the wizard's eight pages, the real program (tests/reliability/gui_driver.py,
in its own process) is killed with SIGKILL right after that page was saved. Started again, it offers the
preparation; resumed, the wizard opens where it stopped and holds every value: the whole ``Preparation.to_dict()``
equals what the killed process had saved, in the database and in the wizard, and the fields show it.

The count of pages killed after is reported in docs/reliability.md (tests/reliability/test_reliability_doc.py
checks the figure against ``PAGE_KEYS``).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QComboBox, QLabel, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.ui.pages.base import PAGE_KEYS
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.ui.helpers import ADMINISTRATION_ITEMS, ORDER, PREPARATION_ANSWERS, click, find, press_next
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

pytestmark = [pytest.mark.slow, OFFSCREEN_NOISE]


def run_until_killed(url: str, page: str) -> list[str]:
    """Start the driver, read its lines, and kill it with SIGKILL as soon as it says ``page`` was saved."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.gui_driver", url, page],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
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
            if line is None:
                assert process.stderr is not None
                pytest.fail(f"the driver ended before saving {page}: {seen}\n{process.stderr.read()[-3000:]}")
            seen.append(line)
            if line.startswith(f"SAVED {page} "):
                process.send_signal(signal.SIGKILL)
                break
        assert process.wait(timeout=LINE_TIMEOUT_S) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=LINE_TIMEOUT_S)  # the pipe ends with the process
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    return seen


def _text(wizard: PreparationWizard, name: str) -> str:
    return find(wizard, QLineEdit, name).text()


def _checked(wizard: PreparationWizard, kind: type[QAbstractButton], name: str) -> bool:
    return find(wizard, kind, name).isChecked()


def _shows_order(wizard: PreparationWizard) -> None:
    for name, value in ORDER.items():
        assert _text(wizard, name) == value, name
    assert _checked(wizard, QRadioButton, "orderWeightUnitKg")


def _shows_eligibility(wizard: PreparationWizard) -> None:
    assert _checked(wizard, QRadioButton, "eligibilityAuthorizationYes")
    assert _checked(wizard, QRadioButton, "eligibilityPriorGeneTherapyNo")
    assert _text(wizard, "eligibilityInhibitorEdit") == "0.1"
    assert _text(wizard, "eligibilityTitreEdit") == "1:300"
    assert _checked(wizard, QRadioButton, "eligibilityAssay9")


def _shows_identity(wizard: PreparationWizard) -> None:
    assert _text(wizard, "identityCartonIdEdit") == "HGX-PSI-7731"
    assert _text(wizard, "identityDateOfBirthEdit") == "1980-03-15"


def _shows_weight(wizard: PreparationWizard) -> None:
    assert _text(wizard, "weightEdit") == "72"
    assert _checked(wizard, QRadioButton, "weightUnitKg")
    assert _text(wizard, "weightMeasuredAtEdit") == "2026-11-29 08:15"
    assert find(wizard, QComboBox, "weightMethodCombo").currentData() == "Standing scale"


def _shows_kit(wizard: PreparationWizard) -> None:
    assert find(wizard, QLabel, "kitVialsValue").text() != "—"  # the scanned carton is shown again
    assert _text(wizard, "kitVialCountEdit") == "15"


def _shows_preparation(wizard: PreparationWizard) -> None:
    for item_id, value in PREPARATION_ANSWERS.items():
        name = f"checkItem_{item_id}"
        if isinstance(value, bool):
            assert _checked(wizard, QCheckBox, name) is value, name
        elif wizard.findChild(QLineEdit, name) is not None:
            assert _text(wizard, name) == value, name


def _shows_administration(wizard: PreparationWizard) -> None:
    for item_id in ADMINISTRATION_ITEMS:
        assert _checked(wizard, QCheckBox, f"checkItem_{item_id}"), item_id


SHOWS = {
    "order": _shows_order,
    "eligibility": _shows_eligibility,
    "identity": _shows_identity,
    "weight": _shows_weight,
    "kit": _shows_kit,
    "preparation": _shows_preparation,
    "administration": _shows_administration,
}


def _saved_lines(lines: list[str]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for line in lines:
        if line.startswith("SAVED "):
            _, page, data = line.split(" ", 2)
            out.append((page, json.loads(data)))
    return out


@pytest.mark.parametrize("page", PAGE_KEYS)
def test_killed_right_after_a_page_was_saved_the_next_start_resumes_with_every_value(
    page: str, qtbot: QtBot, tmp_path: Path
) -> None:
    with open_store(tmp_path) as store:
        add_people(store)
    lines = run_until_killed(db_url(tmp_path), page)
    assert lines[0].startswith("PREPARATION ")
    prep_id = lines[0].split()[1]
    saves = _saved_lines(lines)
    index = PAGE_KEYS.index(page)
    assert [p for p, _ in saves] == list(PAGE_KEYS[: index + 1])  # each page saved once, in order, up to the kill
    _, last_saved = saves[-1]
    resumes_at = PAGE_KEYS[min(index + 1, len(PAGE_KEYS) - 1)]
    assert last_saved["step"] == resumes_at

    store = open_store(tmp_path)  # the next start
    try:
        assert store.verify_audit_chain().intact
        assert store.load(prep_id).to_dict() == last_saved  # every value in the database, exactly as saved
        window = make_main(services(store), qtbot)
        window.show()
        sign_in(window, "ttech")
        assert window.stack.currentWidget() is window.resume
        assert [s.id for s in window.resume.summaries] == [prep_id]
        click(window, "resumeButton")
        wizard = wizard_of(window)
        assert wizard.current_key() == resumes_at
        assert wizard.preparation.to_dict() == last_saved  # and in the wizard, nothing added, nothing lost

        for key in reversed(PAGE_KEYS[: index + 1]):  # each saved page shows what was typed on it
            if key in SHOWS:
                wizard.go_to(key)
                assert wizard.current_key() == key
                SHOWS[key](wizard)
        while wizard.current_key() != resumes_at:  # every restored page passes its checks again
            press_next(wizard)
        assert wizard.preparation.to_dict() == last_saved
        assert store.load(prep_id).to_dict() == last_saved
        if page != "review":  # the page after the last save was filled in, never saved: it is empty again
            assert not wizard.next_button().isEnabled()
        assert store.summary(prep_id).status is PreparationStatus.DRAFT
        assert store.verify_audit_chain().intact
    finally:
        store.close()
