"""The fonts of the printed record and label: DejaVu Sans (shipped in resources/fonts), embedded as subsets.

A Unicode TrueType font, not a PDF standard font, so that every patient name in a Latin, Greek or Cyrillic
script prints as typed, and µ, °, ×, ≤ and the dashes print everywhere the same.
"""

from __future__ import annotations

from functools import cache

from hemgenix_desktop.resource_locator import resource_path

REGULAR = "HgxSans"
BOLD = "HgxSans-Bold"
MONO = "Courier"  # hashes and fingerprints: hex digits only, a PDF standard font (nothing to embed)
MONO_BOLD = "Courier-Bold"


@cache
def register_fonts() -> None:
    """Register the record fonts with reportlab once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
