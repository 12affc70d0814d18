"""Write a PNG of every wizard page, some stop states and practice mode to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The wizard is driven by the same helpers as the tests (tests/ui/helpers.py) on a fixed clock, rendered
offscreen at 1366×768. The two densest pages are also written at 150% scaling (QT_SCALE_FACTOR=1.5, in a
second process, since the factor must be set before Qt starts): the same 1366×768 pixels, as a laptop at
150% shows them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCREEN = (1366, 768)
MAX_BYTES = 150_000


def _shots(scaled: bool) -> list[tuple[str, bool, Callable[..., None]]]:
    from tests.ui import helpers as h

    def order(w: object) -> None:
        h.fill_order(w)  # type: ignore[arg-type]

    def upto(key: str, then: Callable[[object], None] | None = None) -> Callable[[object], None]:
        def go(w: object) -> None:
            h.walk_to(w, key)  # type: ignore[arg-type]
            filler = h.FILLERS.get(key)
            if then is not None:
                then(w)
            elif filler is not None:
                filler(w)  # type: ignore[arg-type]

        return go

    def identity_mismatch(w: object) -> None:
        h.fill_identity(w, identifier="HGX-PSI-7713")  # type: ignore[arg-type]

    def kit_expired(w: object) -> None:
        h.scan(w, h.kit_code(expiry=date(2026, 11, 28), lot="OLD7"))  # type: ignore[arg-type]

    def weight_drift(w: object) -> None:
        h.fill_weight(w, weight="76")  # type: ignore[arg-type]

    def review(w: object) -> None:
        h.walk_to(w, "review")  # type: ignore[arg-type]

    def review_end(w: object) -> None:
        """A review with a stop met on the way (a wrong identifier, corrected) and a weight notice."""
        h.walk_to(w, "identity")  # type: ignore[arg-type]
        h.fill_identity(w, identifier="HGX-PSI-7713")  # type: ignore[arg-type]
        h.fill_identity(w)  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.fill_weight(w, weight="73.5")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.walk_to(w, "preparation")  # type: ignore[arg-type]
        h.fill_preparation(w, volume_drawn_ml="147")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.walk_to(w, "review")  # type: ignore[arg-type]
        h.tick(w, "reviewConfirmCheck")  # type: ignore[arg-type]
        page = w.currentPage()  # type: ignore[attr-defined]
        bar = page.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())

    def weight_changed(w: object) -> None:
        """Back from the preparation checks to a new weight: the kit page says what was cleared."""
        h.walk_to(w, "administration")  # type: ignore[arg-type]
        w.go_to("weight")  # type: ignore[attr-defined]
        h.fill_weight(w, weight="73")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]

    if scaled:
        return [
            ("weight-150", False, upto("weight")),
            ("preparation-checks-150", False, upto("preparation")),
        ]
    return [
        ("01-order", False, order),
        ("02-eligibility", False, upto("eligibility")),
        ("03-identity", False, upto("identity")),
        ("04-weight", False, upto("weight")),
        ("05-kit", False, upto("kit")),
        ("06-preparation-checks", False, upto("preparation")),
        ("07-administration", False, upto("administration")),
        ("08-review", False, review),
        ("08b-review-end", False, review_end),
        ("kit-cleared-after-weight-change", False, weight_changed),
        ("stop-identity-mismatch", False, upto("identity", identity_mismatch)),
        ("stop-weight-drift", False, upto("weight", weight_drift)),
        ("stop-kit-expired", False, upto("kit", kit_expired)),
        ("practice-order", True, lambda _w: None),
    ]


def _save(image: object, path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    image.save(str(path))
    if path.stat().st_size > MAX_BYTES:  # flat UI colours survive a palette without dithering noise
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image.convertToFormat(QImage.Format.Format_RGB32).convertToFormat(QImage.Format.Format_Indexed8, flags).save(
            str(path)
        )
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}  {image.width()}×{image.height()}  {size // 1024} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{path} is larger than {MAX_BYTES // 1000} KB")


def _quiet(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """The offscreen platform says it cannot propagate size hints; everything else is shown."""
    if "does not support propagateSizeHints" not in message:
        sys.stderr.write(f"{kind.name}: {message}\n")


def render(out: Path, scaled: bool) -> None:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from hemgenix_desktop.ui.app import application
    from tests.ui import helpers as h

    app = application()
    qInstallMessageHandler(_quiet)
    ratio = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    width, height = int(SCREEN[0] / ratio), int(SCREEN[1] / ratio)
    for name, practice, drive in _shots(scaled):
        wizard = h.make_wizard(practice=practice)
        wizard.resize(width, height)
        wizard.show()
        drive(wizard)
        for _ in range(3):  # nested layouts settle over a few passes of the event loop
            QApplication.processEvents()
        if name == "08b-review-end":  # the scroll range is known once laid out
            bar = wizard.currentPage().scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
            bar.setValue(bar.maximum())
            QApplication.processEvents()
        _save(wizard.grab().toImage(), out / f"{name}.png")
        wizard.close()
        wizard.deleteLater()
    if not scaled:
        from hemgenix_desktop.ui.practice_sheet import PracticeSheetDialog

        wizard = h.make_wizard(practice=True)
        sheet = PracticeSheetDialog(h.TODAY, wizard)
        sheet.resize(width, height)
        sheet.show()
        QApplication.processEvents()
        _save(sheet.grab().toImage(), out / "practice-codes-dialog.png")
        sheet.close()
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scaled", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.scaled:
        render(out, scaled=True)
        return 0
    render(out, scaled=False)
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5"}
    return subprocess.run([sys.executable, __file__, "--out", str(out), "--scaled"], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
