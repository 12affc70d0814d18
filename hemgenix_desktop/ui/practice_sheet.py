"""Practice mode's sheet of synthetic carton codes: shown in a dialog, saved as a PNG to print.

Each code is a true GS1 DataMatrix drawn by zxing-cpp (see ``hemgenix_desktop.practice``), with what the
wizard does with it and its text for typing without a scanner. The sheet also carries the practice
carton's label (identifier and date of birth) for the identity page. Every part is marked PRACTICE.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.practice import PRACTICE_MARK, Bitmap, demo_order, practice_codes, render_datamatrix
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import PracticeBanner, hint_label, named

SHEET_WIDTH = 1600
SHEET_HEIGHT = 1130
_COLUMNS = 3
_MODULE_PX = 8  # pixels per DataMatrix module on the sheet


def bitmap_to_image(bitmap: Bitmap) -> QImage:
    image = QImage(bitmap.pixels, bitmap.width, bitmap.height, bitmap.width, QImage.Format.Format_Grayscale8)
    return image.copy()  # own the pixels (the bytes object may go away)


def tr(text: str) -> str:
    return QCoreApplication.translate("PracticeSheet", text)


def _font(pixels: int, *, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    if mono:
        font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def render_sheet(today: date) -> QImage:
    """The practice sheet for the demo order of ``today``, as a printable image."""
    order = demo_order(today)
    codes = practice_codes(today)
    image = QImage(SHEET_WIDTH, SHEET_HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    margin = 40
    width = SHEET_WIDTH - 2 * margin

    band = QRect(margin, margin, width, 70)
    painter.fillRect(band, QColor("#ffd400"))
    painter.setPen(QPen(QColor("black"), 3))
    painter.drawRect(band)
    painter.setFont(_font(40, bold=True))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, PRACTICE_MARK)

    painter.setPen(QColor("black"))
    painter.setFont(_font(22))
    intro = tr(
        "Synthetic Hemgenix carton codes for rehearsing the preparation wizard (practice mode only). Demo patient "
        "{name}, prescription weight {weight} kg, infusion date {infusion}. Scan a code, or type the text under it "
        "into the carton field and press Enter."
    ).format(name=order.full_name, weight=order.prescription_weight, infusion=order.infusion_date.isoformat())
    painter.drawText(QRect(margin, 130, width, 70), Qt.TextFlag.TextWordWrap, intro)

    label_box = QRect(margin, 210, width, 64)
    painter.setPen(QPen(QColor("black"), 2, Qt.PenStyle.DashLine))
    painter.drawRect(label_box)
    painter.setFont(_font(24, bold=True))
    painter.drawText(
        label_box.adjusted(16, 0, -16, 0),
        Qt.AlignmentFlag.AlignVCenter,
        tr("Outer carton label (practice): patient-specific identifier {psi} · date of birth {dob}").format(
            psi=order.patient_specific_id, dob=order.date_of_birth.isoformat()
        ),
    )

    top = 300
    cell_w = width // _COLUMNS
    cell_h = (SHEET_HEIGHT - top - margin) // 2
    for index, code in enumerate(codes):
        col, row = index % _COLUMNS, index // _COLUMNS
        cell = QRect(margin + col * cell_w, top + row * cell_h, cell_w - 16, cell_h - 16)
        painter.setPen(QPen(QColor("#777777"), 1))
        painter.drawRect(cell)
        symbol = bitmap_to_image(render_datamatrix(code, scale=_MODULE_PX))
        painter.drawImage(cell.left() + 14, cell.top() + 14, symbol)
        text_left = cell.left() + 14 + symbol.width() + 12
        text_rect = QRect(text_left, cell.top() + 14, cell.right() - text_left - 10, symbol.height())
        painter.setPen(QColor("black"))
        painter.setFont(_font(24, bold=True))
        painter.drawText(text_rect, Qt.TextFlag.TextWordWrap, f"{index + 1}. {code.title}")
        painter.setFont(_font(20))
        painter.drawText(text_rect.adjusted(0, 70, 0, 0), Qt.TextFlag.TextWordWrap, code.expected)
        painter.setFont(_font(22, mono=True))  # shown at about three quarters: still 16 px high on screen
        text = code.bracketed()
        split = text.index("(10)")  # one line for product and expiry, one for lot and serial
        painter.drawText(
            QRect(
                cell.left() + 14, cell.top() + 24 + symbol.height(), cell.width() - 28, cell_h - symbol.height() - 60
            ),
            Qt.TextFlag.TextWrapAnywhere,
            text[:split] + "\n" + text[split:],
        )
        painter.setFont(_font(20, bold=True))
        painter.drawText(
            QRect(cell.left(), cell.bottom() - 34, cell.width() - 10, 30),
            Qt.AlignmentFlag.AlignRight,
            tr("PRACTICE — synthetic code"),
        )
    painter.end()
    return image


class _FitImage(QWidget):
    """Shows an image as wide as the widget, keeping its proportions: in a scroll area, the sheet scrolls down
    instead of shrinking until its smallest text cannot be read (saved and printed full size)."""

    def __init__(self, image: QImage) -> None:
        super().__init__()
        self.image = image
        self.setMinimumWidth(320)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return width * self.image.height() // self.image.width()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(1200, self.heightForWidth(1200))

    def shown_scale(self) -> float:
        """How large the sheet is shown: 1.0 is its full size."""
        return self.width() / self.image.width()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(QRect(0, 0, self.width(), self.heightForWidth(self.width())), self.image)
        painter.end()


class PracticeSheetDialog(QDialog):
    """Shows the practice sheet and saves it as a PNG (never blocks: opened with show())."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceSheetDialog")
        self.setAccessibleName(self.tr("Practice carton codes"))
        self.setWindowTitle(f"{PRACTICE_MARK} · {self.tr('Practice carton codes')}")
        self.setStyleSheet(STYLE_SHEET)
        self.today = today
        self.image = render_sheet(today)

        layout = QVBoxLayout(self)
        layout.addWidget(PracticeBanner("practiceSheetPracticeBanner"))
        layout.addWidget(
            hint_label(
                self.tr(
                    "Rehearse with these synthetic cartons: scan a code from the screen or a printout, or type its "
                    "text. Save the sheet as a PNG to print it."
                )
            )
        )
        self.picture = named(_FitImage(self.image), "practiceSheetImage", self.tr("Sheet of practice carton codes"))
        scroll = QScrollArea()
        scroll.setObjectName("practiceSheetScrollArea")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.picture)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        self.save_button = named(
            QPushButton(self.tr("Save as PNG…")), "practiceSheetSaveButton", self.tr("Save the sheet as a PNG")
        )
        self.close_button = named(QPushButton(self.tr("Close")), "practiceSheetCloseButton", self.tr("Close"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self._ask_where)
        self.close_button.clicked.connect(self.close)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(SHEET_WIDTH, screen.width() * 9 // 10), min(900, screen.height() * 9 // 10))

    def _ask_where(self) -> None:
        msgbox.choose_save_path(
            self,
            self.tr("Save the practice sheet"),
            f"hemgenix-practice-cartons-{self.today.isoformat()}.png",
            self.tr("PNG images (*.png)"),
            self._save_chosen,
        )

    def _save_chosen(self, path: str) -> None:
        self.save_png(path)

    def save_png(self, path: str) -> bool:
        """Write the sheet to ``path`` and say whether it worked."""
        target = Path(path)
        if target.suffix.lower() != ".png":
            target = target.with_suffix(".png")
        if self.image.save(str(target)):  # the .png suffix chooses the format
            msgbox.inform(self, self.tr("Practice sheet saved"), self.tr("Saved to {path}.").format(path=target))
            return True
        msgbox.inform(
            self,
            self.tr("Practice sheet not saved"),
            self.tr("The sheet could not be written to {path}. Choose a folder you can write to.").format(path=target),
        )
        return False
