"""The wizard's look: readable type, and banners that cannot be mistaken for one another.

Colour is never the only cue: every banner also starts with a bold word (STOP, WARNING, NOTICE, PRACTICE).
The widget that takes the keyboard has a thick blue frame (a field, a button) or a blue background (a check
box, a radio button); a scroll bar is dark on light grey, so a page that scrolls shows it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

BODY_POINT_SIZE = 11
FOCUS_COLOUR = "#1f5fa8"  # the frame of the field, button or choice that takes the keyboard now

STYLE_SHEET = f"""
QWidget {{ font-size: {BODY_POINT_SIZE}pt; }}
QLabel[role="heading"] {{ font-size: 15pt; font-weight: bold; }}
QLabel[role="step"] {{ color: #3c3c3c; }}
QLabel[role="fieldLabel"] {{ font-weight: bold; }}
QLabel[role="hint"] {{ color: #3c3c3c; }}
QLabel[message="error"] {{ color: #a1140b; }}
QLabel[message="ok"] {{ color: #1b5e20; }}
QLabel[message="status"] {{ color: #202020; }}
QLabel[role="value"] {{ font-weight: bold; }}
QLabel[role="formula"] {{ font-family: monospace; background: #f4f4f4; padding: 6px; border: 1px solid #c8c8c8; }}
QFrame[banner="stop"] {{ border: 3px solid #b3261e; background: #fdecea; border-radius: 4px; }}
QFrame[banner="stop"] QLabel {{ color: #410e0b; }}
QFrame[banner="stop"] QLabel[role="bannerTitle"] {{ color: #8c1d18; font-size: 14pt; font-weight: bold; }}
QFrame[banner="warning"] {{ border: 2px solid #a15c00; background: #fff3e0; border-radius: 4px; }}
QFrame[banner="warning"] QLabel[role="bannerTitle"] {{ color: #7a4500; font-weight: bold; }}
QFrame#mainStartWarningsBanner {{ margin: 6px 8px 2px 8px; }}
QFrame[banner="notice"] {{ border: 2px solid #1f5fa8; background: #e8f0fb; border-radius: 4px; }}
QFrame[banner="notice"] QLabel[role="bannerTitle"] {{ color: #17487f; font-weight: bold; }}
QFrame[banner="practice"] {{ border: 2px solid #000000; background: #ffd400; }}
QFrame[banner="practice"] QLabel {{ color: #000000; font-weight: bold; font-size: 12pt; }}
QGroupBox {{ font-weight: bold; margin-top: 14px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 6px; padding: 0 4px; }}
QGroupBox QLabel, QGroupBox QCheckBox, QGroupBox QRadioButton, QGroupBox QLineEdit {{ font-weight: normal; }}
QGroupBox QLabel[role="fieldLabel"], QGroupBox QLabel[role="value"] {{ font-weight: bold; }}
QLineEdit {{ padding: 3px; border: 1px solid #767676; border-radius: 3px; background: #ffffff; }}
QLineEdit:focus {{ border: 2px solid {FOCUS_COLOUR}; padding: 2px; }}
QLineEdit:read-only, QLineEdit:disabled {{ background: #efefef; }}
QPushButton {{ padding: 4px 14px; border: 1px solid #767676; border-radius: 4px; background: #f3f3f3; }}
QPushButton:hover {{ background: #e6edf7; }}
QPushButton:pressed {{ background: #cfdcee; }}
QPushButton:disabled {{ color: #767676; background: #ececec; border-color: #b8b8b8; }}
QPushButton:focus {{ border: 2px solid {FOCUS_COLOUR}; padding: 3px 13px; background: #e3ecf8; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QCheckBox:focus, QRadioButton:focus {{ background: #d6e4f5; border-color: {FOCUS_COLOUR}; }}
QTableView:focus, QListView:focus {{ border: 2px solid {FOCUS_COLOUR}; }}
QScrollBar:vertical {{ background: #dcdcdc; width: 16px; margin: 0; }}
QScrollBar::handle:vertical {{ background: #505050; min-height: 48px; border-radius: 4px; margin: 2px; }}
QScrollBar:horizontal {{ background: #dcdcdc; height: 16px; margin: 0; }}
QScrollBar::handle:horizontal {{ background: #505050; min-width: 48px; border-radius: 4px; margin: 2px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QLineEdit#kitScanField {{ font-family: "DejaVu Sans Mono", "Consolas", monospace; }}
QCheckBox, QRadioButton {{ spacing: 8px; }}
"""


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
