"""Printing: the saved PDF goes to the print service; no service, no printer or a failed job say so, and the
saved PDF stays. The real CUPS commands are stood in for by small scripts on PATH (no printer needed)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop.ui.printing import (
    PrintDialog,
    PrintFailed,
    PrintOutcome,
    PrintServiceMissing,
    SystemPrinters,
    start_print,
)
from tests.ui.helpers import click
from tests.ui.signing_helpers import FakePrinter

IGNORE_SIZE_HINTS = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "records" / "HGX-20261201-3F9A1C2B-record.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.7 a sealed record")
    return path


def fake_cups(folder: Path, *, lpstat_e: str, lpstat_d: str, lp: str, lpstat_code: int = 0, lp_code: int = 0) -> Path:
    """``lpstat`` and ``lp`` scripts that print what they are told and log their arguments."""
    folder.mkdir(exist_ok=True)
    log = folder / "calls.log"
    scripts = {
        "lpstat": f"""#!/bin/sh
echo "lpstat $*" >> "{log}"
if [ "$1" = "-e" ]; then printf '%s' "{lpstat_e}"; exit {lpstat_code}; fi
printf '%s\\n' "{lpstat_d}"
""",
        "lp": f"""#!/bin/sh
echo "lp $*" >> "{log}"
if [ {lp_code} -ne 0 ]; then printf '%s\\n' "{lp}" >&2; exit {lp_code}; fi
printf '%s\\n' "{lp}"
""",
    }
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return log


@pytest.fixture
def only_fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    monkeypatch.setenv("PATH", str(folder))  # only the stand-ins, even where CUPS is installed
    return folder


def test_the_system_print_service_lists_printers_and_prints_the_file(only_fake_tools: Path, pdf: Path) -> None:
    log = fake_cups(
        only_fake_tools,
        lpstat_e="Pharmacy-Laser\nLabel-4x6\n",
        lpstat_d="system default destination: Label-4x6",
        lp="request id is Label-4x6-42 (1 file(s))",
    )
    cups = SystemPrinters()
    assert cups.printers() == ["Pharmacy-Laser", "Label-4x6"]
    assert cups.default_printer() == "Label-4x6"
    assert cups.submit(pdf, "Label-4x6", 2, pdf.name) == "request id is Label-4x6-42 (1 file(s))"
    assert log.read_text().splitlines()[-1] == f"lp -d Label-4x6 -n 2 -t {pdf.name} -- {pdf}"


def test_no_printer_set_up_gives_an_empty_list(only_fake_tools: Path) -> None:
    fake_cups(only_fake_tools, lpstat_e="", lpstat_d="no system default destination", lp="", lpstat_code=1)
    assert SystemPrinters().printers() == []
    assert SystemPrinters().default_printer() is None


def test_a_refused_job_gives_the_print_services_reason(only_fake_tools: Path, pdf: Path) -> None:
    fake_cups(
        only_fake_tools, lpstat_e="Ward-3\n", lpstat_d="", lp="lp: The printer or class does not exist.", lp_code=1
    )
    with pytest.raises(PrintFailed) as caught:
        SystemPrinters().submit(pdf, "Ward-3", 1, pdf.name)
    assert caught.value.message == "The printer or class does not exist"


def test_without_cups_the_service_is_missing(only_fake_tools: Path) -> None:
    only_fake_tools.mkdir()
    with pytest.raises(PrintServiceMissing):
        SystemPrinters().printers()


def test_no_print_service_says_so_and_keeps_the_pdf(qtbot: QtBot, pdf: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    outcomes: list[PrintOutcome] = []
    assert start_print(parent, pdf, "record", FakePrinter(missing=True), outcomes.append) is None
    assert outcomes == [
        PrintOutcome(
            False,
            "This computer has no print service (the CUPS command lp is missing), so the preparation record was not "
            f"printed. It is saved as {pdf}: print that file from a computer with a printer, or ask IT to set up "
            "printing here.",
        )
    ]
    assert pdf.read_bytes() == b"%PDF-1.7 a sealed record"


def test_no_printer_says_so_and_keeps_the_pdf(qtbot: QtBot, pdf: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    outcomes: list[PrintOutcome] = []
    assert start_print(parent, pdf, "label", FakePrinter([]), outcomes.append) is None
    assert [o.message for o in outcomes] == [
        f"No printer is set up on this computer, so the bag label was not printed. It is saved as {pdf}: ask IT to "
        "set up a printer, or print that file from another computer."
    ]
    assert pdf.exists()


@IGNORE_SIZE_HINTS
def test_a_failed_print_says_so_and_keeps_the_pdf(qtbot: QtBot, pdf: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    outcomes: list[PrintOutcome] = []
    printer = FakePrinter(["Ward-3"], default="Ward-3", fail="the printer is out of paper")
    dialog = start_print(parent, pdf, "record", printer, outcomes.append)
    assert isinstance(dialog, PrintDialog)
    assert dialog.printer_combo.currentText() == "Ward-3"
    assert dialog.file_label.text() == f"File: {pdf}"
    click(dialog, "printPrintButton")
    assert outcomes == [
        PrintOutcome(
            False,
            "The preparation record was not printed: the printer Ward-3 did not take it (the printer is out of "
            f"paper). It is saved as {pdf}: check the printer and print again.",
            "Ward-3",
            1,
        )
    ]
    assert pdf.read_bytes() == b"%PDF-1.7 a sealed record"


@IGNORE_SIZE_HINTS
def test_cancel_prints_nothing(qtbot: QtBot, pdf: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    outcomes: list[PrintOutcome] = []
    printer = FakePrinter(["Ward-3"])
    dialog = start_print(parent, pdf, "record", printer, outcomes.append)
    assert dialog is not None
    click(dialog, "printCancelButton")
    assert outcomes == []
    assert printer.jobs == []
