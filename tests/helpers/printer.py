"""The one fake printer of the tests: printers that print into PDF files (no printer is needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from hemgenix_desktop.ui.printing import pdf_file_printer


@dataclass
class FakePrinter:
    """Printers that print into PDF files (no printer is needed): printer N of a print writes
    ``<folder of the PDF printed>/printed/<N>-<printer>.pdf``. A ``broken`` printer's folder does not exist, so
    its print cannot start."""

    names: list[str] = field(default_factory=list)
    default: str | None = None
    broken: bool = False
    made: list[tuple[str, Path, Path]] = field(default_factory=list)  # (printer, PDF printed, file printed into)

    def printers(self) -> list[str]:
        return list(self.names)

    def default_printer(self) -> str | None:
        return self.default

    def make_printer(self, name: str, source: Path) -> QPrinter:
        folder = source.parent / ("missing" if self.broken else "printed")
        if not self.broken:
            folder.mkdir(exist_ok=True)
        file = folder / f"{len(self.made) + 1}-{name}.pdf"
        self.made.append((name, source, file))
        return pdf_file_printer(file)
