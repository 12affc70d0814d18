"""Every row of the bad-input corpus (tests/reliability/bad_inputs.py) is refused with its sentence, word for
word and nothing else: through the domain function its page calls, through the command line where a command
takes the field (exit code 2, or 3 for a clinical stop; one line on stderr; no traceback), and, for the scan
field, on the wizard's kit page."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import ClinicalStop, DomainError, InvalidInput
from hemgenix_desktop.ui.scanfield import ScanField
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.reliability.bad_inputs import BAD_INPUTS, CLI, FIELDS, BadInput
from tests.ui.helpers import find, make_wizard, walk_to

ROOT = Path(__file__).resolve().parents[2]
CLI_ROWS = [row for row in BAD_INPUTS if row.field in CLI]


def _id(row: BadInput) -> str:
    return f"{row.field}: {row.why}"


def test_the_corpus_is_large_and_covers_every_field() -> None:
    assert len(BAD_INPUTS) >= 80
    counts = Counter(row.field for row in BAD_INPUTS)
    assert set(counts) == set(FIELDS)
    assert len({(row.field, row.text) for row in BAD_INPUTS}) == len(BAD_INPUTS)  # no row twice
    whys = " ".join(row.why for row in BAD_INPUTS)
    for kind in ("empty", "spaces", "fullwidth", "Cyrillic", "NUL", "10,000", "SQL", "script", "check digit"):
        assert kind in whys, kind


@pytest.mark.parametrize("row", BAD_INPUTS, ids=_id)
def test_the_domain_refuses_it_with_its_sentence(row: BadInput) -> None:
    with pytest.raises(DomainError) as caught:
        FIELDS[row.field](row.text)
    assert caught.value.message == row.sentence
    assert isinstance(caught.value, ClinicalStop if row.stop else InvalidInput)


@pytest.mark.parametrize("row", CLI_ROWS, ids=_id)
def test_the_command_line_refuses_it_with_its_sentence(row: BadInput, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(CLI[row.field](row.text))
    out, err = capsys.readouterr()
    assert (code, out) == (3 if row.stop else 2, "")
    assert err == ("CLINICAL STOP: " if row.stop else "") + row.sentence + "\n"


SUBPROCESS_SAMPLE = [
    row
    for row in CLI_ROWS
    if "\x00" not in row.text and row.why in ("fullwidth digits", "SQL fragment", "10,000 characters", "a QR code")
]


@pytest.mark.slow
def test_the_real_command_prints_one_sentence_and_no_traceback() -> None:
    """A few rows through the installed command in its own process (argv cannot carry NUL)."""
    assert len(SUBPROCESS_SAMPLE) >= 5
    for row in SUBPROCESS_SAMPLE:
        result = subprocess.run(
            [sys.executable, "-m", "hemgenix_desktop", *CLI[row.field](row.text)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == (3 if row.stop else 2), _id(row)
        assert result.stderr == ("CLINICAL STOP: " if row.stop else "") + row.sentence + "\n"
        assert "Traceback" not in result.stdout + result.stderr


def test_the_kit_page_shows_each_bad_scan_s_sentence(qtbot: QtBot) -> None:
    wizard: PreparationWizard = make_wizard()
    qtbot.addWidget(wizard)
    walk_to(wizard, "kit")
    field = find(wizard, ScanField, "kitScanField")
    checked = 0
    for row in (r for r in BAD_INPUTS if r.field == "scan"):
        field.set_scan_text(row.text)
        if field.scan_data() != row.text:  # the field keeps 600 characters at most
            assert len(row.text) > field.maxLength()
        field.emit_scan()
        message = find(wizard, QLabel, "kitScanMessage")
        stop = find(wizard, QLabel, "kitStopMessage")
        assert (stop.text() if row.stop else message.text()) == row.sentence, _id(row)
        assert (message.text() if row.stop else stop.text()) == ""
        assert not wizard.next_button().isEnabled()
        assert find(wizard, QLabel, "kitVialsValue").text() == "—"
        checked += 1
    assert checked == sum(1 for r in BAD_INPUTS if r.field == "scan")
