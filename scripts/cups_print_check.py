"""Print one saved PDF to a real CUPS queue through the app's own printing code, and check what came out.

    .venv/bin/python scripts/cups_print_check.py --printer QUEUE --kind record|label --pdf FILE --out DIR
        [--record-id ID] [--expect-paper own|WxH] [--spool DIR ...]

Run by scripts/check-cups-printing.sh (docs/printing.md), which sets up CUPS and a CUPS-PDF queue. The print
goes the way the Print button sends it: ``start_print`` with this computer's printers (``SystemPrinters``, Qt's
print support over CUPS) opens the print preview; its Print button opens Qt's real print dialog, which is
accepted as it stands (the queue chosen, nothing changed), so the pages are painted on the CUPS printer. Then:
the CUPS job must complete, CUPS-PDF's output must appear, and it must have the saved PDF's page count, the
expected paper (the PDF's own, or the printer's when it cannot take that), pages printed at true size (the
printed marks measure what the saved PDF's do), and a barcode that reads the record ID. Exit 0 when all of
that holds, 1 with the reason otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

JOB_TIMEOUT_S = 180
RENDER_DPI = 60  # what docs/printing.md's pictures use; enough to measure a page to 1/60 in
CODE_DPI = 200  # for reading the barcodes
SIZE_TOLERANCE_PT = 1.5
MARKS_TOLERANCE_PX = 2  # at RENDER_DPI: 2.4 pt; a page shrunk to fit Letter would be 20+ px off


class CheckError(Exception):
    pass


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(pdf).pages]


def render(pdf: Path, out_prefix: Path, dpi: int, page: int | None = None) -> list[Path]:
    """pdftoppm's PNGs of ``pdf`` (one page, or all), sorted by page."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    run("pdftoppm", "-png", "-r", str(dpi), *pages, str(pdf), str(out_prefix))
    return sorted(out_prefix.parent.glob(out_prefix.name + "-*.png"))


def marks(png: Path) -> tuple[int, int]:
    """The width and height (pixels) of what is printed on a page: the box around every non-white pixel."""
    image = Image.open(png).convert("L").point(lambda value: 255 if value > 200 else 0)
    box = ImageChops.invert(image).getbbox()
    if box is None:
        raise CheckError(f"{png.name} is blank")
    return box[2] - box[0], box[3] - box[1]


def codes(png: Path) -> list[str]:
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(Image.open(png))]


def jobs(queue: str, which: str) -> list[str]:
    """The CUPS job IDs of ``queue``: ``which`` is "completed" or "not-completed"."""
    return [line.split()[0] for line in run("lpstat", "-W", which, "-o", queue).splitlines() if line.strip()]


def print_through_the_app(printer: str, kind: str, pdf: Path) -> str:
    """Print ``pdf`` as the Print button does, accepting Qt's print dialog as it opens; the outcome's sentence."""
    from PySide6.QtCore import QTimer
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QApplication, QWidget

    from hemgenix_desktop.ui.printing import PreferredPrinter, PrintOutcome, PrintPreview, SystemPrinters, start_print

    app = QApplication.instance() or QApplication([])
    parent = QWidget()
    outcomes: list[PrintOutcome] = []
    backend = PreferredPrinter(SystemPrinters(), printer)
    if printer not in backend.printers():
        raise CheckError(f"Qt's print support does not see the CUPS queue {printer}; it sees {backend.printers()}")
    preview = start_print(parent, pdf, kind, backend, outcomes.append)
    if not isinstance(preview, PrintPreview) or preview.print_button is None:
        raise CheckError(f"the print preview did not open: {[o.message for o in outcomes]}")
    if preview.target.printerName() != printer:
        raise CheckError(f"the preview starts on {preview.target.printerName()}, not {printer}")
    seen: list[str] = []

    def accept_the_dialog() -> None:
        dialog = preview.findChild(QPrintDialog)
        if dialog is None:
            seen.append("no print dialog opened")
            return
        seen.append(f"print dialog on {dialog.printer().printerName()}")
        dialog.accept()

    QTimer.singleShot(0, accept_the_dialog)
    preview.print_button.click()  # returns when the dialog was accepted and the job handed to CUPS
    app.processEvents()
    print(f"  app: {'; '.join(seen)}")
    if len(outcomes) != 1:
        raise CheckError(f"the app reported {len(outcomes)} outcomes, not 1 ({seen})")
    outcome = outcomes[0]
    print(f"  app says: {outcome.message}")
    if outcome.printer != printer:
        raise CheckError(f"the app printed to {outcome.printer!r}, not {printer!r}")
    return outcome.message if outcome.printed else f"FAILED: {outcome.message}"


def wait_for_job(queue: str, before: set[str]) -> str:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        done = [job for job in jobs(queue, "completed") if job not in before]
        if done and not jobs(queue, "not-completed"):
            return done[0]
        time.sleep(0.5)
    raise CheckError(
        f"the CUPS job on {queue} did not complete within {JOB_TIMEOUT_S} s: "
        f"{run('lpstat', '-W', 'all', '-o', queue).strip() or 'no job at all'}"
    )


def wait_for_output(spools: list[Path], since: float) -> Path:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        found = [
            pdf for spool in spools if spool.is_dir() for pdf in spool.glob("*.pdf") if pdf.stat().st_mtime >= since
        ]
        if found:
            newest = max(found, key=lambda pdf: pdf.stat().st_mtime)
            size = newest.stat().st_size
            time.sleep(1.0)  # CUPS-PDF may still be writing it
            if size and newest.stat().st_size == size:
                return newest
        time.sleep(0.5)
    raise CheckError(f"no CUPS-PDF output appeared in {', '.join(map(str, spools))}")


def check(args: argparse.Namespace) -> None:
    source: Path = args.pdf
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    expected_pages = page_sizes(source)
    since = time.time() - 1
    before = set(jobs(args.printer, "completed"))
    message = print_through_the_app(args.printer, args.kind, source)
    if message.startswith("FAILED: "):
        raise CheckError(f"the app did not print: {message[8:]}")
    if args.expect_message and args.expect_message not in message:
        raise CheckError(f"the app's sentence does not say {args.expect_message!r}")
    job = wait_for_job(args.printer, before)
    print(f"  CUPS: job {job} completed")
    printed = wait_for_output(args.spool, since)
    kept = out / f"{args.name}.pdf"
    shutil.copyfile(printed, kept)
    print(f"  CUPS-PDF wrote {printed} (copied to {kept})")

    sizes = page_sizes(kept)
    if len(sizes) != len(expected_pages):
        raise CheckError(f"{kept.name} has {len(sizes)} pages; {source.name} has {len(expected_pages)}")
    if args.expect_paper == "own":
        paper = expected_pages
    else:
        width, height = (float(value) for value in args.expect_paper.split("x"))
        paper = [(width, height)] * len(expected_pages)
    for number, (got, want) in enumerate(zip(sizes, paper, strict=True), start=1):
        if abs(got[0] - want[0]) > SIZE_TOLERANCE_PT or abs(got[1] - want[1]) > SIZE_TOLERANCE_PT:
            raise CheckError(
                f"page {number} of {kept.name} is {got[0]:g} × {got[1]:g} pt, not {want[0]:g} × {want[1]:g} pt"
            )
    print(f"  {len(sizes)} page(s) of {sizes[0][0]:g} × {sizes[0][1]:g} pt, as expected")

    shown = render(kept, out / args.name, RENDER_DPI)
    original = render(source, out / f"{args.name}-original", RENDER_DPI)
    for number, (printed_png, original_png) in enumerate(zip(shown, original, strict=True), start=1):
        got, want = marks(printed_png), marks(original_png)
        if abs(got[0] - want[0]) > MARKS_TOLERANCE_PX or abs(got[1] - want[1]) > MARKS_TOLERANCE_PX:
            raise CheckError(
                f"page {number} is not printed at true size: its marks measure {got[0]} × {got[1]} px at "
                f"{RENDER_DPI} dpi, the saved PDF's {want[0]} × {want[1]} px"
            )
    print(
        f"  every page printed at true size (marks within {MARKS_TOLERANCE_PX} px of the saved PDF's at {RENDER_DPI} dpi)"
    )
    print(f"  pictures: {', '.join(str(png) for png in shown)}")

    read = codes(render(kept, out / f"{args.name}-codes", CODE_DPI, page=1)[0])
    if not any(args.record_id in text for text in read):
        raise CheckError(f"no barcode on page 1 of {kept.name} reads {args.record_id} (read: {read})")
    print(f"  a barcode on page 1 reads {args.record_id}")
    text = run("pdftotext", str(kept), "-")
    print(
        "  pdftotext: "
        + (
            f"the record ID is in the text too ({args.record_id})"
            if args.record_id in text
            else "no text layer (the app prints each page as a picture rendered by QtPdf); the ID was read from the barcode"
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--printer", required=True, help="the CUPS queue")
    parser.add_argument("--kind", required=True, choices=["record", "label"])
    parser.add_argument("--pdf", required=True, type=Path, help="the saved PDF to print")
    parser.add_argument("--name", required=True, help="a name for this check's files")
    parser.add_argument("--out", required=True, type=Path, help="where the printed PDF and its pictures go")
    parser.add_argument("--record-id", required=True, help="what a barcode on page 1 must read")
    parser.add_argument("--expect-paper", default="own", help='"own" (the PDF\'s page size) or WxH in points')
    parser.add_argument("--expect-message", default="", help="words the app's outcome sentence must hold")
    parser.add_argument("--spool", type=Path, action="append", required=True, help="where CUPS-PDF writes")
    args = parser.parse_args()
    try:
        check(args)
    except (CheckError, subprocess.CalledProcessError) as problem:
        print(f"  FAIL: {problem}")
        return 1
    print("  OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
