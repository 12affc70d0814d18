"""Printing a sealed record's PDFs through Qt's print preview and print dialog.

The **saved** PDF is opened with QtPdf (:class:`QPdfDocument`) and shown in Qt's print preview
(:class:`PrintPreview`, a ``QPrintPreviewDialog``). Its Print button opens Qt's print dialog (printer, copies,
pages); the same code that drew the preview then draws the pages on the chosen printer (:func:`paint_pages`):
each page rendered by QtPdf at the printer's resolution (at most :data:`MAX_RENDER_DPI`) and drawn at its true
size, never enlarged or shrunk, without margins (the PDFs have their own).

The job asks for the PDF's own paper (:func:`set_paper`): the record's US Letter (or A4, as its PDF says), the
label's configured size (4 × 6 in by default). Qt's print dialog puts its printer back on the printer's default
paper when it is accepted, so the paper is asked for again just before the pages are drawn; a paper chosen in the
dialog or in the preview's page setup is not used. A printer that cannot take that paper keeps its own: the pages
are still drawn at true size, centred, and the sentence says so (:func:`paper_sentence`); when its paper is
smaller than the pages, their edges are cut off and the print counts as failed.

The file is saved before it is printed, so no printer, a file that cannot be read, or a failed print says so in
a sentence that names the saved PDF, which stays where it is.

Which printers there are, and the ``QPrinter`` a print starts from, come from a :class:`PrinterBackend`: this
computer's (Qt's print support, CUPS on Linux) or a stand-in for the tests and the smoke test that prints into
a PDF file, so no printer is needed to test printing. ``scripts/check-cups-printing.sh`` prints through a real
CUPS queue (docs/printing.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QMarginsF, QObject, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QToolBar, QToolButton, QVBoxLayout, QWidget

from hemgenix_desktop.ui.background import Turns
from hemgenix_desktop.ui.widgets import named

# Pages are rendered at the printer's resolution but at most this many dots per inch: a Letter page at 300 dpi
# is a 34 MB image, and the preview keeps one per page while it is open. 300 dpi is a label printer's
# resolution and prints 9-point text and the record's QR code sharply.
MAX_RENDER_DPI = 300
POINTS_PER_INCH = 72.0
# A page and a paper within this many points (1/72 in) of each other are the same size (A4 is 595.28 × 841.89 pt;
# the PDFs and the printers round it differently).
SAME_SIZE_POINTS = 1.5


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class PrinterBackend(Protocol):
    """Where printing goes: this computer's printers, or a stand-in for tests and the smoke test."""

    def printers(self) -> list[str]:
        """The printers set up on this computer (may be empty)."""
        ...

    def default_printer(self) -> str | None:
        """The printer to choose first, or None."""
        ...

    def make_printer(self, name: str, source: Path) -> QPrinter:
        """The QPrinter for printer ``name`` that the preview and the print dialog start from (``source`` is
        the PDF file that is printed)."""
        ...


class SystemPrinters:
    """The printers Qt's print support finds on this computer (through CUPS on Linux)."""

    def printers(self) -> list[str]:
        return list(QPrinterInfo.availablePrinterNames())

    def default_printer(self) -> str | None:
        return QPrinterInfo.defaultPrinterName() or None

    def make_printer(self, name: str, source: Path) -> QPrinter:
        return QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)


def pdf_file_printer(file: Path) -> QPrinter:
    """A QPrinter that prints into the PDF file ``file`` (Qt's "Print to File (PDF)")."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(file))
    return printer


@dataclass
class PreferredPrinter:
    """The site's printer setting over a backend: the print dialog chooses ``preferred`` first when the
    backend has a printer of that name, else the backend's default printer."""

    backend: PrinterBackend
    preferred: str = ""

    def printers(self) -> list[str]:
        return self.backend.printers()

    def default_printer(self) -> str | None:
        if self.preferred and self.preferred in self.backend.printers():
            return self.preferred
        return self.backend.default_printer()

    def make_printer(self, name: str, source: Path) -> QPrinter:
        return self.backend.make_printer(name, source)


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print request: ``printed`` and the sentence to show (always set); ``printer`` is the
    printer's name (or the PDF file printed into), ``copies`` the copies and ``pages`` the pages of one copy."""

    printed: bool
    message: str
    printer: str = ""
    copies: int = 0
    pages: int = 0


@dataclass(frozen=True)
class Painted:
    """What :func:`paint_pages` drew: ``pages`` pages (copies included); ``problem`` says why it stopped
    ("" when every page was drawn). ``paper`` names the printer's paper when it is not the pages' own size
    ("" when it is), and ``cut`` is True when that paper is smaller than a page, so the page's edges are cut
    off."""

    pages: int
    problem: str = ""
    paper: str = ""
    cut: bool = False


# --- sentences ---------------------------------------------------------------------------------------------
def _what(kind: str) -> str:
    return tr("preparation record") if kind == "record" else tr("bag label")


def _pages(count: int) -> str:
    return tr("1 page") if count == 1 else tr("{count} pages").format(count=count)


def _copies(count: int) -> str:
    return tr("1 copy") if count == 1 else tr("{count} copies").format(count=count)


def no_printer_sentence(kind: str, path: Path) -> str:
    return tr(
        "No printer is set up on this computer, so the {what} was not printed. It is saved as {path}: ask IT to "
        "set up a printer, or print that file from another computer."
    ).format(what=_what(kind), path=path)


def unreadable_sentence(kind: str, path: Path, reason: str) -> str:
    return tr(
        "The {what} was not printed: the saved file {path} could not be opened for printing ({reason}). Save the "
        "PDFs again with “Save PDFs…”, or open the file in a PDF viewer and print it from there."
    ).format(what=_what(kind), path=path, reason=reason)


def failed_sentence(kind: str, path: Path, reason: str) -> str:
    return tr("The {what} was not printed: {reason}. It is saved as {path}: check the printer and print again.").format(
        what=_what(kind), reason=reason, path=path
    )


def sent_sentence(kind: str, printer: str, pages: int, copies: int) -> str:
    return tr(
        "The {what} was sent to the printer {printer}: {pages}, {copies}. Collect it and check every page."
    ).format(what=_what(kind), printer=printer, pages=_pages(pages), copies=_copies(copies))


def inches(size: QSizeF) -> str:
    """A size in points as "4 × 6 in"."""
    return tr("{width:g} × {height:g} in").format(
        width=round(size.width() / POINTS_PER_INCH, 2), height=round(size.height() / POINTS_PER_INCH, 2)
    )


def paper_name(printer: QPrinter) -> str:
    """The printer's paper as "A4 (8.27 × 11.69 in)", or "8 × 10 in" for a size without a name."""
    page_size = printer.pageLayout().pageSize()
    sheet = printer.pageLayout().fullRect(QPageLayout.Unit.Inch)  # A4 is 8.27 in wide, its whole points 8.26
    size = inches(QSizeF(sheet.width() * POINTS_PER_INCH, sheet.height() * POINTS_PER_INCH))
    if page_size.id() == QPageSize.PageSizeId.Custom:
        return size
    return tr("{name} ({size})").format(name=page_size.name(), size=size)


def paper_sentence(kind: str, printer: str, page: str, paper: str, cut: bool, path: Path) -> str:
    """What became of the pages when the printer could not take their own paper (``page``) and printed them at
    true size on its ``paper``."""
    if cut:
        return tr(
            "The printer {printer} cannot take {page} paper, so it printed the {what} on its smaller {paper} "
            "paper, at true size: the edges of the pages are cut off. Do not use that print. Print the {what} "
            "again on a printer that takes {page} paper; it is saved as {path}."
        ).format(what=_what(kind), printer=printer, page=page, paper=paper, path=path)
    return tr(
        "The printer {printer} cannot take {page} paper, so it printed the {what} on its {paper} paper, at true "
        "size (not enlarged or shrunk) in the middle of the sheet. Cut it to size, or print it on a printer that "
        "takes {page} paper."
    ).format(what=_what(kind), printer=printer, page=page, paper=paper)


def file_sentence(kind: str, file: str, pages: int, copies: int, path: Path) -> str:
    return tr(
        "The {what} was printed into the file {file} ({pages}, {copies}). That file is a picture of the pages; "
        "the signed record is the saved PDF {path}."
    ).format(what=_what(kind), file=file, pages=_pages(pages), copies=_copies(copies), path=path)


def _load_reason(error: QPdfDocument.Error) -> str:
    reasons = {
        QPdfDocument.Error.FileNotFound: tr("the file is missing"),
        QPdfDocument.Error.InvalidFileFormat: tr("it is not a PDF file QtPdf can read"),
        QPdfDocument.Error.IncorrectPassword: tr("it is protected by a password"),
        QPdfDocument.Error.UnsupportedSecurityScheme: tr("it is protected by a password"),
    }
    return reasons.get(error, tr("QtPdf could not read it"))


def _to_file(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat


def _destination(printer: QPrinter) -> str:
    """The printer's name, or the PDF file it prints into."""
    return printer.outputFileName() if _to_file(printer) else printer.printerName()


# --- drawing the pages ---------------------------------------------------------------------------------------
def same_size(first: QSizeF, second: QSizeF) -> bool:
    """Whether two sizes in points are the same, give or take :data:`SAME_SIZE_POINTS`."""
    return (
        abs(first.width() - second.width()) <= SAME_SIZE_POINTS
        and abs(first.height() - second.height()) <= SAME_SIZE_POINTS
    )


def set_paper(printer: QPrinter, document: QPdfDocument, title: str) -> bool:
    """Ask ``printer`` for the PDF's own paper (the size of its first page: a standard size by its name, any
    other by its size, which the printer receives as a custom size), in the page's orientation, printing on the
    whole sheet, and name the job. Returns whether the printer took that paper; one that cannot keeps its own."""
    size = document.pagePointSize(0)
    landscape = size.width() > size.height()
    portrait = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
    layout = QPageLayout(
        QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )
    printer.setPageLayout(layout)  # its result also compares the margins, which a printer sets to its own
    printer.setFullPage(True)  # after the layout, which would set its own mode
    printer.setDocName(title)
    return same_size(printer.pageLayout().fullRect(QPageLayout.Unit.Point).size(), size)


def _chosen_pages(printer: QPrinter, count: int) -> range:
    """The pages (0-based) the print dialog's page range chose; all of them when it chose none."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        return range(printer.fromPage() - 1, min(printer.toPage() or count, count))
    return range(count)


def page_target(printer: QPrinter, page_points: QSizeF) -> QRectF:
    """Where a PDF page of ``page_points`` goes on the printer's paper (device pixels): at its true size, never
    enlarged or shrunk, centred (on its own paper that is the whole sheet; on smaller paper its edges fall off
    the sheet)."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    paper_points = printer.paperRect(QPrinter.Unit.Point)
    per_point = paper.width() / paper_points.width() if paper_points.width() > 0 else 1.0
    width, height = page_points.width() * per_point, page_points.height() * per_point
    return QRectF(paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2, width, height)


_PDFIUM: list[QPdfDocument] = []  # the one empty document that keeps PDFium loaded (keep_pdfium_loaded)


def keep_pdfium_loaded() -> None:
    """Keep QtPdf's PDF library (PDFium) initialised for the rest of the program, with one empty document made on
    the GUI thread at the first print. QtPdf initialises PDFium when a first document is made and tears it down when
    the last is deleted, and each teardown leaves memory behind (its allocator's pages, about 0.16 MiB a document;
    benchmarks/memory.py): with every print preview opening and closing its documents, a day of preparations grew
    the program by that much per PDF printed. Kept loaded, PDFium reuses its memory from one document to the next."""
    if not _PDFIUM:
        _PDFIUM.append(QPdfDocument())


def page_pixels(document: QPdfDocument, page: int, dpi: int) -> QSize:
    """The size in pixels of page ``page`` (0-based) of ``document`` at ``dpi`` dots per inch."""
    size = document.pagePointSize(page)
    return QSize(round(size.width() * dpi / POINTS_PER_INCH), round(size.height() * dpi / POINTS_PER_INCH))


def render_page(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """Page ``page`` (0-based) of ``document`` as an image of ``dpi`` dots per inch, in the premultiplied format
    QPainter draws (QtPdf renders straight ARGB32, which QPainter would convert at every ``drawImage``)."""
    image = document.render(page, page_pixels(document, page, dpi))
    image.convertTo(QImage.Format.Format_ARGB32_Premultiplied)
    return image


class PageRendering(QObject):
    """Every page of the PDF at ``path`` rendered at ``dpi`` before the print preview opens, so that the preview only
    draws them. QtPdf's own rendering thread renders them (``QPdfPageRenderer``: C++ throughout). Rendered on a
    Python thread, ``QPdfDocument.render`` keeps Python's interpreter lock for a whole page (25–50 ms at 300 dpi), and
    the GUI thread, which runs Python for every event while someone is signed in (the idle watch), stood still that
    long. Each page is then converted to QPainter's premultiplied format on the GUI thread, one page per turn of the
    event loop (:class:`~hemgenix_desktop.ui.background.Turns`; about 15 ms a Letter page at 300 dpi, which QPainter
    would otherwise spend at every ``drawImage``, four pages in one paint). ``finished`` carries them, keyed by
    (page, dpi): every page, or none when the file cannot be read (the preview then says why)."""

    finished = Signal(object)  # dict[tuple[int, int], QImage]

    def __init__(self, path: Path, dpi: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.dpi = path, dpi
        self.document = QPdfDocument(self)
        self.renderer = QPdfPageRenderer(self)
        self.renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self.renderer.pageRendered.connect(self._rendered)
        self._wanted: set[int] = set()  # the requests not answered yet
        self.pages: dict[tuple[int, int], QImage] = {}

    def start(self) -> None:
        if self.document.load(str(self.path)) != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            QTimer.singleShot(0, self._done)  # nothing to render: said on the next turn, like a rendering
            return
        sizes = [page_pixels(self.document, page, self.dpi) for page in range(self.document.pageCount())]
        self.renderer.setDocument(self.document)  # every size read first: once the renderer's thread renders a page,
        for page, size in enumerate(sizes):  # reading one waits for it (QtPdf lets one thread at a time into PDFium)
            self._wanted.add(self.renderer.requestPage(page, size))

    def _rendered(self, page: int, _size: QSize, image: QImage, _options: object, request: int) -> None:
        if request not in self._wanted:
            return
        self._wanted.discard(request)
        self.pages[(page, self.dpi)] = image
        if not self._wanted:
            Turns(self._convert())  # (held by ui.background until its last piece ran)

    def _convert(self) -> Iterator[None]:
        for image in self.pages.values():
            image.convertTo(QImage.Format.Format_ARGB32_Premultiplied)
            yield
        self._done()

    def _done(self) -> None:
        self.finished.emit(dict(self.pages))


def paint_pages(
    document: QPdfDocument, printer: QPrinter, rendered: Mapping[tuple[int, int], QImage] | None = None
) -> Painted:
    """Draw the PDF's pages on ``printer`` (the preview and the real print alike): the print dialog's page
    range, and the copies when the printer cannot make them itself. A page in ``rendered`` at the resolution
    drawn (:class:`PageRendering`) is not rendered again."""
    pages = _chosen_pages(printer, document.pageCount())
    if not pages:
        return Painted(
            0,
            tr("the pages chosen ({first} to {last}) are not in the PDF, which has {pages}").format(
                first=printer.fromPage(), last=printer.toPage(), pages=_pages(document.pageCount())
            ),
        )
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    painter = QPainter()
    if not painter.begin(printer):
        if _to_file(printer):
            return Painted(0, tr("the file {file} could not be written").format(file=printer.outputFileName()))
        return Painted(0, tr("the printer {printer} could not start the job").format(printer=printer.printerName()))
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # the preview scales the pages down
    dpi = min(printer.resolution(), MAX_RENDER_DPI)
    drawn, problem = 0, ""
    try:
        for page in [page for _copy in range(copies) for page in pages]:
            if drawn and not printer.newPage():
                problem = tr("the printer {printer} stopped before page {page}").format(
                    printer=_destination(printer), page=page + 1
                )
                break
            image = (rendered or {}).get((page, dpi))
            if image is None or image.isNull():
                image = render_page(document, page, dpi)
            if image.isNull():
                problem = tr("page {page} of the PDF could not be drawn").format(page=page + 1)
                break
            painter.drawImage(page_target(printer, document.pagePointSize(page)), image)
            drawn += 1
    finally:
        ended = painter.end()
    if not problem and (not ended or printer.printerState() == QPrinter.PrinterState.Error):
        problem = tr("the printer {printer} reported an error").format(printer=_destination(printer))
    paper = printer.paperRect(QPrinter.Unit.Point).size()
    sizes = [document.pagePointSize(page) for page in pages]
    if all(same_size(size, paper) for size in sizes):
        return Painted(drawn, problem)
    cut = any(
        size.width() > paper.width() + SAME_SIZE_POINTS or size.height() > paper.height() + SAME_SIZE_POINTS
        for size in sizes
    )
    return Painted(drawn, problem, paper_name(printer), cut)


# --- the preview -------------------------------------------------------------------------------------------
class PrintPreview(QPrintPreviewDialog):
    """Qt's print preview of one saved PDF. Never blocks: opened with ``open()``. Its Print button
    (``print_button``) opens Qt's print dialog; when that prints, the outcome goes to ``finished_printing`` and
    the preview closes. Closing it otherwise prints nothing and says nothing."""

    finished_printing = Signal(object)  # PrintOutcome

    def __init__(
        self,
        document: QPdfDocument,
        path: Path,
        kind: str,
        printer: QPrinter,
        parent: QWidget | None = None,
        rendered: Mapping[tuple[int, int], QImage] | None = None,
    ) -> None:
        set_paper(printer, document, path.name)  # before the preview reads the printer's page layout
        super().__init__(printer, parent)
        self.document = document
        self.rendered = dict(rendered or {})  # the pages rendered before it opened (PageRendering)
        document.setParent(self)
        self.path = path
        self.kind = kind
        self.target = printer  # the dialog does not own its printer: keep it alive as long as the dialog
        self.last_paint: Painted | None = None
        self.print_file = ""  # the PDF file a printer into a file prints into, while its print dialog is open
        title = tr("Print preview: preparation record") if kind == "record" else tr("Print preview: bag label")
        named(self, "printPreview", title)
        self.setWindowTitle(title)
        size = document.pagePointSize(0)
        self.summary = named(
            QLabel(
                tr(
                    "{file}: {pages}, {size}. Check the pages here, then press Print to choose "
                    "the printer and the number of copies; nothing is printed before that."
                ).format(
                    file=path.name,
                    pages=_pages(document.pageCount()),
                    size=inches(size),
                )
            ),
            "printPreviewSummary",
            tr("The PDF file that is printed, its pages and paper size"),
        )
        self.summary.setWordWrap(True)
        self.summary.setContentsMargins(8, 6, 8, 6)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.summary)
        self.pages_view = self.findChild(QPrintPreviewWidget)
        if self.pages_view is not None:
            named(self.pages_view, "printPreviewPages", tr("The pages as they will be printed"))
        self.print_button = self._print_button()
        self.paintRequested.connect(self._paint)
        self.finished.connect(self._finished)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:  # wide enough for the whole tool bar, so Print never hides in its overflow menu
            self.setMinimumWidth(
                toolbar.sizeHint().width() + 2 * self.style().pixelMetric(self.style().PixelMetric.PM_LayoutLeftMargin)
            )
        room = self.screen().availableGeometry()
        self.resize(max(self.minimumWidth(), min(900, room.width() * 9 // 10)), room.height() * 9 // 10)

    def _print_button(self) -> QToolButton | None:
        """The tool bar's Print button (Qt's own action, found by Qt's own text for it), named and labelled."""
        text = QCoreApplication.translate("QPrintPreviewDialog", "Print")
        toolbar = self.findChild(QToolBar)
        action = next((a for a in self.findChildren(QAction) if a.text() == text), None)
        if toolbar is None or action is None:
            return None
        button = toolbar.widgetForAction(action)
        if not isinstance(button, QToolButton):
            return None
        action.triggered.disconnect()  # Qt's own print, which opens its dialog on the first printer listed
        action.triggered.connect(self._print)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return named(button, "printPreviewPrintButton", tr("Print: choose the printer and the number of copies"))

    def _print(self) -> None:
        """What Qt's Print does (Qt's print dialog; once it is accepted, the pages are painted on its printer and
        the preview closes), except that the dialog starts on the printer the print started from: a printer
        into a PDF file (the tests' and the smoke test's) on Qt's "Print to File (PDF)", not on the computer's
        first real printer."""
        # Read before the dialog exists: making it puts the printer on the first printer listed.
        self.print_file = self.target.outputFileName() if _to_file(self.target) else ""
        dialog = QPrintDialog(self.target, self)
        named(dialog, "printDialog", tr("Print: the printer, the pages and the number of copies"))
        dialog.installEventFilter(self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted.value and self.pages_view is not None:
                self.pages_view.print_()
                self.accept()
        finally:
            dialog.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if isinstance(watched, QPrintDialog) and event.type() == QEvent.Type.Show and self.print_file:
            # Qt's own dialog lists "Print to File (PDF)" last, once it is shown, and its file name below.
            printers = watched.findChild(QComboBox, "printers")
            file = watched.findChild(QLineEdit, "filename")
            to_file = QCoreApplication.translate("QPrintDialog", "Print to File (PDF)")
            if printers is not None and printers.count() and printers.itemText(printers.count() - 1) == to_file:
                printers.setCurrentIndex(printers.count() - 1)
                if file is not None:
                    file.setText(self.print_file)
        return super().eventFilter(watched, event)

    def page_count(self) -> int:
        """The pages the preview shows."""
        return self.pages_view.pageCount() if self.pages_view is not None else 0

    def _paint(self, printer: QPrinter) -> None:
        # Qt's print dialog, once accepted, puts the printer on its default paper: ask for the PDF's own again.
        set_paper(printer, self.document, self.path.name)
        self.last_paint = paint_pages(self.document, printer, self.rendered)

    def _finished(self, result: int) -> None:
        # Qt's preview accepts only after its print dialog was accepted and the pages were painted on the printer.
        if result != QDialog.DialogCode.Accepted.value or self.last_paint is None:
            return
        painted, printer = self.last_paint, self.target
        destination = _destination(printer)
        copies = max(printer.copyCount(), 1)
        pages = painted.pages if printer.supportsMultipleCopies() else painted.pages // copies  # of one copy
        page = inches(self.document.pagePointSize(0))
        if painted.problem:
            message = failed_sentence(self.kind, self.path, painted.problem)
        elif painted.cut:
            message = paper_sentence(self.kind, destination, page, painted.paper, True, self.path)
        elif _to_file(printer):
            message = file_sentence(self.kind, destination, pages, copies, self.path)
        else:
            message = sent_sentence(self.kind, destination, pages, copies)
        if painted.paper and not painted.problem and not painted.cut:
            message += " " + paper_sentence(self.kind, destination, page, painted.paper, False, self.path)
        printed = not painted.problem and not painted.cut
        self.finished_printing.emit(PrintOutcome(printed, message, destination, copies, pages))


def start_print(
    parent: QWidget,
    path: Path,
    kind: str,
    backend: PrinterBackend,
    on_done: Callable[[PrintOutcome], None],
    rendered: Mapping[tuple[int, int], QImage] | None = None,
) -> PrintPreview | None:
    """Print the saved PDF at ``path`` (``kind`` "record" or "label"). Opens the print preview, or, when there
    is no printer or the file cannot be read, calls ``on_done`` at once with the sentence and returns None.
    ``rendered``: its pages already rendered (:class:`PageRendering`, off the GUI thread)."""
    printers = backend.printers()
    if not printers:
        on_done(PrintOutcome(False, no_printer_sentence(kind, path)))
        return None
    keep_pdfium_loaded()
    document = QPdfDocument(parent)
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_ or document.pageCount() == 0:
        reason = _load_reason(error) if error != QPdfDocument.Error.None_ else tr("it has no pages")
        document.deleteLater()
        on_done(PrintOutcome(False, unreadable_sentence(kind, path, reason)))
        return None
    default = backend.default_printer()
    printer = backend.make_printer(default if default in printers else printers[0], path)
    dialog = PrintPreview(document, path, kind, printer, parent, rendered)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished_printing.connect(on_done)
    dialog.open()
    return dialog
