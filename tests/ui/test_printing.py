"""Printing: Qt's print preview of the saved PDF (pages rendered by QtPdf), printed through Qt's print dialog
on the PDF's own paper at true size; a printer without that paper says so; no printer, an unreadable file or a
failed print say so and the saved PDF stays. The printers are stand-ins that print into PDF files
(tests/ui/signing_helpers.py, and here printers with one paper only), so no printer is needed; what they print is
read back with pypdf and rendered with pdftoppm to measure it and decode its barcodes. scripts/check-cups-printing.sh
prints through a real CUPS queue."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import ImageChops
from pypdf import PdfReader
from PySide6.QtCore import QMarginsF, QSizeF, QTimer
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.records.codes import qr_payload
from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.ui import printing
from hemgenix_desktop.ui.printing import (
    PageRendering,
    Painted,
    PreferredPrinter,
    PrintOutcome,
    PrintPreview,
    page_target,
    paint_pages,
    pdf_file_printer,
    set_paper,
    start_print,
)
from tests.helpers.preparations import sealed_record
from tests.helpers.printer import FakePrinter
from tests.records.conftest import render
from tests.ui.signing_helpers import press_print, print_as_set_up

# The offscreen platform cannot propagate a dialog's size hints and says so; that is not a failure.
IGNORE_SIZE_HINTS = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
RECORD_NAME = "HGX-20261201-3F9A1C2B-record.pdf"
LABEL_NAME = "HGX-20261201-3F9A1C2B-label.pdf"


@pytest.fixture(scope="module")
def record() -> SealedRecord:
    return sealed_record()


@pytest.fixture(scope="module")
def pdfs(record: SealedRecord, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    site = create_site_certificate(tmp_path_factory.mktemp("site"), "St. Example Infusion Pharmacy")
    return {"record": build_record_pdf(record, site), "label": build_label_pdf(record)}


@pytest.fixture
def saved(pdfs: dict[str, bytes], tmp_path: Path) -> dict[str, Path]:
    """The record and the label saved in this test's records folder, as the Done screen leaves them."""
    folder = tmp_path / "records"
    folder.mkdir()
    paths = {"record": folder / RECORD_NAME, "label": folder / LABEL_NAME}
    for kind, path in paths.items():
        path.write_bytes(pdfs[kind])
    return paths


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def open_preview(
    parent: QWidget, path: Path, kind: str, printer: FakePrinter
) -> tuple[PrintPreview, list[PrintOutcome]]:
    outcomes: list[PrintOutcome] = []
    preview = start_print(parent, path, kind, printer, outcomes.append)
    assert isinstance(preview, PrintPreview)
    return preview, outcomes


def pages_of(pdf: Path) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(pdf).pages]


def codes(pdf: Path, tmp_path: Path, page: int = 1) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(render(pdf.read_bytes(), tmp_path, dpi=150, page=page))]


def marks(pdf: Path, tmp_path: Path, page: int = 1) -> tuple[int, int]:
    """The width and height, in pixels at 72 dpi (so in points), of what is printed on a page: the box around
    every pixel darker than light grey."""
    image = render(pdf.read_bytes(), tmp_path, dpi=72, page=page).point(lambda value: 255 if value > 200 else 0)
    box = ImageChops.invert(image).getbbox()
    assert box is not None, f"page {page} of {pdf} is blank"
    return box[2] - box[0], box[3] - box[1]


def same_marks(printed: tuple[int, int], saved: tuple[int, int]) -> bool:
    """Printed at true size: the marks measure what the saved PDF's do, give or take 2 pt of rendering."""
    return abs(printed[0] - saved[0]) <= 2 and abs(printed[1] - saved[1]) <= 2


class OnePaper(QPrinter):
    """A printer that has one paper only and no custom sizes, like an office printer with Letter: asked for any
    other paper, it keeps its own. It prints into the PDF file ``file``."""

    def __init__(self, file: Path, paper: QPageSize) -> None:
        super().__init__(QPrinter.PrinterMode.HighResolution)
        self.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.setOutputFileName(str(file))
        self.paper = paper
        super().setPageLayout(QPageLayout(paper, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))

    def setPageLayout(self, pageLayout: QPageLayout) -> bool:  # noqa: N802, N803 (Qt's names)
        super().setPageLayout(QPageLayout(self.paper, pageLayout.orientation(), pageLayout.margins()))
        return pageLayout.pageSize().isEquivalentTo(self.paper)


class OnePaperPrinters:
    """One printer, ``name``, with only ``paper``; prints go to ``<folder of the PDF>/<name>.pdf``."""

    def __init__(self, name: str, paper: QPageSize) -> None:
        self.name, self.paper = name, paper
        self.made: list[Path] = []

    def printers(self) -> list[str]:
        return [self.name]

    def default_printer(self) -> str | None:
        return self.name

    def make_printer(self, name: str, source: Path) -> QPrinter:
        file = source.parent / f"{name}.pdf"
        self.made.append(file)
        return OnePaper(file, self.paper)


# --- the preview ---------------------------------------------------------------------------------------------
@IGNORE_SIZE_HINTS
@pytest.mark.slow
def test_the_preview_shows_every_page_of_the_saved_record_on_letter_paper(
    parent: QWidget, saved: dict[str, Path]
) -> None:
    pages = len(PdfReader(saved["record"]).pages)
    assert pages >= 2
    preview, outcomes = open_preview(parent, saved["record"], "record", FakePrinter(["Pharmacy-Laser"]))
    assert preview.isVisible()
    assert preview.objectName() == "printPreview"
    assert preview.windowTitle() == "Print preview: preparation record"
    assert preview.page_count() == pages
    assert preview.summary.text() == (
        f"{RECORD_NAME}: {pages} pages, 8.5 × 11 in. Check the pages here, then press Print to choose the printer "
        "and the number of copies; nothing is printed before that."
    )
    paper = preview.target.pageLayout().fullRectPoints()
    assert (paper.width(), paper.height()) == (612, 792)
    assert preview.target.fullPage()
    assert preview.print_button is not None
    assert preview.print_button.objectName() == "printPreviewPrintButton"
    assert preview.print_button.isVisible()
    assert outcomes == []


@IGNORE_SIZE_HINTS
def test_the_preview_of_the_label_is_one_4_by_6_inch_page(parent: QWidget, saved: dict[str, Path]) -> None:
    preview, _ = open_preview(parent, saved["label"], "label", FakePrinter(["Label-4x6"]))
    assert preview.page_count() == 1
    assert "1 page, 4 × 6 in." in preview.summary.text()
    assert preview.print_button is not None
    assert preview.print_button.isVisible()  # not hidden in the tool bar's overflow menu
    paper = preview.target.pageLayout().fullRectPoints()
    assert (paper.width(), paper.height()) == (288, 432)


@IGNORE_SIZE_HINTS
@pytest.mark.slow
def test_pdfium_stays_loaded_from_one_print_preview_to_the_next(
    qtbot: QtBot, parent: QWidget, saved: dict[str, Path]
) -> None:
    """QtPdf tears PDFium down with its last document, and each teardown left memory behind (issue 13): one empty
    document, made at the first print, keeps it loaded."""
    preview, _ = open_preview(parent, saved["label"], "label", FakePrinter(["Label-4x6"]))
    kept = list(printing._PDFIUM)
    assert len(kept) == 1
    assert kept[0].status() == QPdfDocument.Status.Null  # empty: it only keeps the library loaded
    preview.close()  # deleted on close, with its document
    qtbot.waitUntil(lambda: not parent.findChildren(PrintPreview))
    again, _ = open_preview(parent, saved["record"], "record", FakePrinter(["Pharmacy-Laser"]))
    assert kept == printing._PDFIUM
    again.close()


@IGNORE_SIZE_HINTS
def test_the_preview_starts_on_the_preferred_printer(parent: QWidget, saved: dict[str, Path]) -> None:
    printer = FakePrinter(["Pharmacy-Laser", "Label-4x6"], default="Pharmacy-Laser")
    open_preview(parent, saved["label"], "label", PreferredPrinter(printer, "Label-4x6"))  # type: ignore[arg-type]
    open_preview(parent, saved["label"], "label", PreferredPrinter(printer, "Gone-Printer"))  # type: ignore[arg-type]
    assert [name for name, _source, _file in printer.made] == ["Label-4x6", "Pharmacy-Laser"]


def test_pages_are_rendered_ahead_on_qtpdfs_thread_in_the_format_the_preview_draws(
    qtbot: QtBot, saved: dict[str, Path], tmp_path: Path
) -> None:
    """Rendered by QtPdf's own thread (no Python there), then converted to QPainter's own format, so that the preview
    draws them without converting each page (some 15 ms a Letter page at 300 dpi) on the GUI thread; the pixels are
    QtPdf's. A file QtPdf cannot read gives no pages (the preview then says why)."""
    rendering = PageRendering(saved["record"], 150)
    with qtbot.waitSignal(rendering.finished, timeout=30_000) as done:
        rendering.start()
    pages = done.args[0]
    document = QPdfDocument()
    assert document.load(str(saved["record"])) == QPdfDocument.Error.None_
    assert sorted(pages) == [(page, 150) for page in range(document.pageCount())]
    for (page, _dpi), image in pages.items():
        assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
        assert (image.width(), image.height()) == (1275, 1650)  # Letter at 150 dpi
        straight = document.render(page, image.size())
        assert straight.format() == QImage.Format.Format_ARGB32
        assert image == straight.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    document.close()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a PDF")
    nothing = PageRendering(broken, 150)
    with qtbot.waitSignal(nothing.finished) as done:
        nothing.start()
    assert done.args[0] == {}


# --- printing --------------------------------------------------------------------------------------------------
@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
@IGNORE_SIZE_HINTS
def test_print_reproduces_every_page_of_the_record_and_its_qr_code(
    parent: QWidget, saved: dict[str, Path], record: SealedRecord, tmp_path: Path
) -> None:
    printer = FakePrinter(["Pharmacy-Laser"], default="Pharmacy-Laser")
    preview, outcomes = open_preview(parent, saved["record"], "record", printer)
    press_print(preview)  # Print, then Print in Qt's print dialog
    [(name, source, file)] = printer.made
    assert (name, source) == ("Pharmacy-Laser", saved["record"])
    pages = len(PdfReader(saved["record"]).pages)
    assert outcomes == [
        PrintOutcome(
            True,
            f"The preparation record was printed into the file {file} ({pages} pages, 1 copy). That file is a "
            f"picture of the pages; the signed record is the saved PDF {saved['record']}.",
            str(file),
            1,
            pages,
        )
    ]
    assert pages_of(file) == [(612, 792)] * pages
    assert qr_payload(record.record_id, record.sha256) in codes(file, tmp_path)
    assert saved["record"].read_bytes().startswith(b"%PDF-")  # the saved, signed PDF is untouched


@IGNORE_SIZE_HINTS
def test_a_printer_into_a_file_starts_the_print_dialog_on_print_to_file(
    parent: QWidget, saved: dict[str, Path]
) -> None:
    """Qt's own dialog would start on the computer's first real printer (where CUPS has printers), so the
    tests and the smoke test would print on it."""
    printer = FakePrinter(["Label-4x6"])
    preview, outcomes = open_preview(parent, saved["label"], "label", printer)
    seen: list[tuple[str, str, str]] = []

    def look_and_accept() -> None:
        dialog = preview.findChild(QPrintDialog)
        assert dialog is not None
        printers, file = dialog.findChild(QComboBox, "printers"), dialog.findChild(QLineEdit, "filename")
        assert printers is not None
        assert file is not None
        seen.append((dialog.objectName(), printers.currentText(), file.text()))
        dialog.accept()

    QTimer.singleShot(0, look_and_accept)
    assert preview.print_button is not None
    preview.print_button.click()
    assert seen == [("printDialog", "Print to File (PDF)", str(printer.made[0][2]))]
    assert [(o.printed, o.printer) for o in outcomes] == [(True, str(printer.made[0][2]))]


@IGNORE_SIZE_HINTS
@pytest.mark.slow
def test_print_reproduces_the_label_on_its_own_paper_at_true_size(
    parent: QWidget, saved: dict[str, Path], record: SealedRecord, tmp_path: Path
) -> None:
    printer = FakePrinter(["Label-4x6"])
    preview, outcomes = open_preview(parent, saved["label"], "label", printer)
    press_print(preview)  # Qt's print dialog, accepted, puts its printer on its default paper (A4 or Letter)
    file = printer.made[0][2]
    assert [(o.printed, o.pages) for o in outcomes] == [(True, 1)]
    assert "paper" not in outcomes[0].message  # nothing to say about the paper: it is the label's own
    assert pages_of(file) == [(288, 432)]  # the job asked for the label's own paper again
    assert same_marks(marks(file, tmp_path), marks(saved["label"], tmp_path))
    assert record.record_id in codes(file, tmp_path)


@IGNORE_SIZE_HINTS
@pytest.mark.slow
def test_a_printer_without_label_paper_prints_the_label_at_true_size_and_says_so(
    parent: QWidget, saved: dict[str, Path], record: SealedRecord, tmp_path: Path
) -> None:
    printers = OnePaperPrinters("Office-Letter", QPageSize(QPageSize.PageSizeId.Letter))
    preview, outcomes = open_preview(parent, saved["label"], "label", printers)  # type: ignore[arg-type]
    press_print(preview)
    [file] = printers.made
    assert outcomes == [
        PrintOutcome(
            True,
            f"The bag label was printed into the file {file} (1 page, 1 copy). That file is a picture of the pages; "
            f"the signed record is the saved PDF {saved['label']}. The printer {file} cannot take 4 × 6 in paper, "
            "so it printed the bag label on its Letter / ANSI A (8.5 × 11 in) paper, at true size (not enlarged "
            "or shrunk) in the middle of the sheet. Cut it to size, or print it on a printer that takes 4 × 6 in "
            "paper.",
            str(file),
            1,
            1,
        )
    ]
    assert pages_of(file) == [(612, 792)]
    assert same_marks(marks(file, tmp_path), marks(saved["label"], tmp_path))  # not enlarged to fit Letter
    assert record.record_id in codes(file, tmp_path)


@IGNORE_SIZE_HINTS
@pytest.mark.slow
def test_a_printer_with_paper_smaller_than_the_record_cuts_its_edges_and_the_print_counts_as_failed(
    parent: QWidget, saved: dict[str, Path], tmp_path: Path
) -> None:
    printers = OnePaperPrinters("Label-4x6", QPageSize(QSizeF(288, 432), QPageSize.Unit.Point))
    preview, outcomes = open_preview(parent, saved["record"], "record", printers)  # type: ignore[arg-type]
    press_print(preview)
    [file] = printers.made
    pages = len(PdfReader(saved["record"]).pages)
    assert [(o.printed, o.message, o.pages) for o in outcomes] == [
        (
            False,
            f"The printer {file} cannot take 8.5 × 11 in paper, so it printed the preparation record on its "
            "smaller 4 × 6 in paper, at true size: the edges of the pages are cut off. Do not use that print. "
            f"Print the preparation record again on a printer that takes 8.5 × 11 in paper; it is saved as "
            f"{saved['record']}.",
            pages,
        )
    ]
    assert pages_of(file) == [(288, 432)] * pages  # not shrunk onto the label


@pytest.mark.slow
def test_on_its_own_paper_the_label_prints_edge_to_edge(
    qapp: object, saved: dict[str, Path], record: SealedRecord, tmp_path: Path
) -> None:
    document = QPdfDocument()
    assert document.load(str(saved["label"])) == QPdfDocument.Error.None_
    printer = pdf_file_printer(tmp_path / "label-printer.pdf")
    assert set_paper(printer, document, LABEL_NAME)
    assert printer.docName() == LABEL_NAME
    assert paint_pages(document, printer) == Painted(1)
    assert pages_of(tmp_path / "label-printer.pdf") == [(288, 432)]
    assert same_marks(marks(tmp_path / "label-printer.pdf", tmp_path), marks(saved["label"], tmp_path))
    assert record.record_id in codes(tmp_path / "label-printer.pdf", tmp_path)


def test_set_paper_says_when_the_printer_keeps_its_own_paper(
    qapp: object, saved: dict[str, Path], tmp_path: Path
) -> None:
    document = QPdfDocument()
    assert document.load(str(saved["label"])) == QPdfDocument.Error.None_
    letter = OnePaper(tmp_path / "letter.pdf", QPageSize(QPageSize.PageSizeId.Letter))
    assert not set_paper(letter, document, LABEL_NAME)
    assert letter.fullPage()
    assert paint_pages(document, letter) == Painted(1, "", "Letter / ANSI A (8.5 × 11 in)", cut=False)


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_copies_the_printer_cannot_make_and_a_page_range_are_painted(
    qapp: object, saved: dict[str, Path], tmp_path: Path
) -> None:
    document = QPdfDocument()
    assert document.load(str(saved["record"])) == QPdfDocument.Error.None_
    pages = document.pageCount()

    copies = pdf_file_printer(tmp_path / "two-copies.pdf")
    copies.setCopyCount(2)
    assert not copies.supportsMultipleCopies()  # a PDF file: the copies are painted
    assert paint_pages(document, copies).pages == 2 * pages
    assert len(pages_of(tmp_path / "two-copies.pdf")) == 2 * pages

    some = pdf_file_printer(tmp_path / "pages-2-3.pdf")
    some.setPrintRange(QPrinter.PrintRange.PageRange)
    some.setFromTo(2, 3)
    assert paint_pages(document, some).pages == 2

    beyond = pdf_file_printer(tmp_path / "beyond.pdf")
    beyond.setPrintRange(QPrinter.PrintRange.PageRange)
    beyond.setFromTo(pages + 1, pages + 2)
    painted = paint_pages(document, beyond)
    assert painted.pages == 0
    assert painted.problem == (
        f"the pages chosen ({pages + 1} to {pages + 2}) are not in the PDF, which has {pages} pages"
    )


def test_a_page_keeps_its_true_size_on_larger_and_on_smaller_paper(qapp: object, tmp_path: Path) -> None:
    printer = pdf_file_printer(tmp_path / "out.pdf")
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    per_point = printer.resolution() / 72
    label = page_target(printer, QSizeF(288, 432))  # a 4 × 6 in label on Letter: its own size, centred
    assert (round(label.width() / per_point), round(label.height() / per_point)) == (288, 432)
    assert (round(label.x() / per_point), round(label.y() / per_point)) == (162, 180)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))  # Letter on A4: narrower paper; never shrunk
    letter = page_target(printer, QSizeF(612, 792))
    assert (round(letter.width() / per_point), round(letter.height() / per_point)) == (612, 792)
    assert round(letter.x() / per_point) == round((595.28 - 612) / 2)  # centred: its side edges fall off the A4
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))  # on its own paper: the whole sheet
    own = page_target(printer, QSizeF(612, 792))
    assert (round(own.x()), round(own.y())) == (0, 0)
    assert (round(own.width() / per_point), round(own.height() / per_point)) == (612, 792)


# --- what goes wrong -------------------------------------------------------------------------------------------
def test_no_printer_says_so_and_keeps_the_pdf(parent: QWidget, saved: dict[str, Path], pdfs: dict[str, bytes]) -> None:
    outcomes: list[PrintOutcome] = []
    assert start_print(parent, saved["label"], "label", FakePrinter([]), outcomes.append) is None
    assert outcomes == [
        PrintOutcome(
            False,
            f"No printer is set up on this computer, so the bag label was not printed. It is saved as "
            f"{saved['label']}: ask IT to set up a printer, or print that file from another computer.",
        )
    ]
    assert saved["label"].read_bytes() == pdfs["label"]


def test_a_saved_file_qtpdf_cannot_read_says_so_and_is_kept(parent: QWidget, tmp_path: Path) -> None:
    path = tmp_path / RECORD_NAME
    path.write_bytes(b"%PDF-1.7 not really")
    outcomes: list[PrintOutcome] = []
    printer = FakePrinter(["Pharmacy-Laser"])
    assert start_print(parent, path, "record", printer, outcomes.append) is None
    assert [o.message for o in outcomes] == [
        f"The preparation record was not printed: the saved file {path} could not be opened for printing (it is "
        "not a PDF file QtPdf can read). Save the PDFs again with “Save PDFs…”, or open the file in a PDF viewer "
        "and print it from there."
    ]
    assert path.read_bytes() == b"%PDF-1.7 not really"
    assert printer.made == []


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)|QPainter::begin\(\): Returned false")
def test_a_print_that_cannot_start_says_so_and_keeps_the_pdf(
    parent: QWidget, saved: dict[str, Path], pdfs: dict[str, bytes]
) -> None:
    printer = FakePrinter(["Ward-3"], broken=True)
    preview, outcomes = open_preview(parent, saved["record"], "record", printer)
    print_as_set_up(preview)  # the printer's output folder does not exist: QPainter.begin fails
    file = printer.made[0][2]
    assert [(o.printed, o.message, o.pages) for o in outcomes] == [
        (
            False,
            f"The preparation record was not printed: the file {file} could not be written. It is saved as "
            f"{saved['record']}: check the printer and print again.",
            0,
        )
    ]
    assert not file.exists()
    assert saved["record"].read_bytes() == pdfs["record"]


@IGNORE_SIZE_HINTS
def test_closing_the_preview_prints_nothing(parent: QWidget, saved: dict[str, Path]) -> None:
    printer = FakePrinter(["Ward-3"])
    preview, outcomes = open_preview(parent, saved["record"], "record", printer)
    preview.reject()
    assert outcomes == []
    assert not printer.made[0][2].exists()
